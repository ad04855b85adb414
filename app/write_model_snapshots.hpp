// When the write model's snapshots are taken and how a start uses one: restored if it was folded from this topic
// and the log still reaches its offsets, then the log is read from there; a new one once enough events were folded
// since the last, at the end of a start, in a quiet second while serving (no event folded, no command pending),
// and at shutdown.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/snapshot_store.hpp"
#include "common/result.hpp"

namespace debrief::commands {
class WriteModel;
}

namespace debrief::app {

class WriteModelSnapshots {
public:
    // partition -> high watermark of the events topic, asked of the cluster.
    using LogEnds = std::function<Result<std::map<int, std::int64_t>>()>;

    static Result<std::unique_ptr<WriteModelSnapshots>> open(const std::string& directory, commands::WriteModel& model, std::string topic,
                                                             std::int64_t every_events);
    ~WriteModelSnapshots();

    // Restores the latest usable snapshot into the (empty) model; answers where reading the log resumes (nothing
    // restored: from the beginning).
    std::map<int, std::int64_t> restore(const LogEnds& log_ends);
    // Writes a snapshot now if events were folded since the last one and none is pending; false when it did not.
    bool take(std::string_view reason);
    // The background check; stop() ends it and takes the shutdown's snapshot.
    void start();
    void stop();

private:
    void end_thread();
    WriteModelSnapshots(std::unique_ptr<SnapshotStore> store, commands::WriteModel& model, std::string topic, std::int64_t every_events);
    std::unique_ptr<SnapshotStore> store_;
    commands::WriteModel& model_;
    std::string topic_;
    std::int64_t every_events_;
    std::mutex take_mutex_;           // one snapshot at a time
    std::atomic<std::size_t> covered_events_{0};  // events in the last snapshot written or restored
    std::mutex mutex_;                // stopping_
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace debrief::app
