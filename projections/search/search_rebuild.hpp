// Rebuilding the RocksDB read model (transcript documents and the search index) from the first event into a fresh
// directory while the live one serves, then switching to it (blue/green): the rebuild reads the events topic to
// the ends its partitions had when it started; the live projector is paused; the rebuild reads on to exactly the
// live store's offsets, so the two hold the same events and are compared key by key; readers are switched to the
// fresh store at once (TranscriptStore::replace_with); the live projector resumes on it; the old directory goes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "events/kafka_settings.hpp"
#include "events/keyring.hpp"
#include "projections/rebuild_status.hpp"
#include "projections/search/transcript_store.hpp"

namespace debrief::projections {

class SearchRebuild {
public:
    // How the rebuild reaches the live read model: pause stops its projector and returns once it has stopped;
    // resume starts it again (on whichever store is live by then); switched is told the fresh directory once
    // readers use it.
    struct Live {
        TranscriptStore& store;
        std::function<void()> pause, resume;
        std::function<void(const std::string& directory)> switched;
    };

    SearchRebuild(std::string id, events::KafkaSettings kafka, const events::KeyRing& keys, std::string directory);
    ~SearchRebuild();

    // The whole rebuild, on the caller's thread; stopping (the service's shutdown) ends it as failed, the live store
    // untouched and the fresh directory deleted.
    void run(const Live& live, const std::atomic<bool>& stopping);
    // Only the fresh store, from the first event to the partitions' ends as they were when it started (the
    // command line's rebuild, with no live store to switch): the fresh store stays in its directory.
    Result<bool> build(const std::atomic<bool>& stopping);

    RebuildStatus status() const;
    // Called after every batch, from the rebuild's thread (a terminal's progress bar).
    void on_progress(std::function<void(const RebuildStatus&)> listener) { listener_ = std::move(listener); }

private:
    Result<bool> open();
    // Reads until every partition's next offset reaches its end; with bounded, nothing at or past the end is applied.
    Result<bool> read_to(const std::map<int, std::int64_t>& ends, bool bounded, const std::atomic<bool>& stopping);
    void fail(const std::string& error);

    events::KafkaSettings kafka_;
    const events::KeyRing& keys_;
    std::unique_ptr<TranscriptStore> store_;
    struct Reader;
    std::unique_ptr<Reader> reader_;
    std::function<void(const RebuildStatus&)> listener_;
    mutable std::mutex mutex_;
    RebuildStatus status_;
    std::int64_t started_steady_ms_ = 0;
};

}  // namespace debrief::projections
