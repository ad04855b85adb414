// Rebuilds of a read model inside the serving process (POST /v1/admin/rebuilds): one at a time, on a thread of its
// own, with the status of the running one and of the last finished ones. The search read model's directory is the
// one the last switch named in `<data-dir>/search.current` (else `<data-dir>/search`), so a restart opens the copy
// readers were switched to.
#pragma once

#include <atomic>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "events/kafka_settings.hpp"
#include "events/keyring.hpp"
#include "projections/search/search_rebuild.hpp"

namespace debrief::app {

class ReadModelRebuilds {
public:
    struct Settings {
        events::KafkaSettings kafka;
        const events::KeyRing* keys = nullptr;
        std::filesystem::path data_dir;
        std::function<std::string()> new_id;
    };
    ReadModelRebuilds(Settings settings, projections::SearchRebuild::Live live);
    ~ReadModelRebuilds();

    // conflict rebuild_in_progress while one runs; invalid_read_model for a read model that cannot be rebuilt here.
    Result<projections::RebuildStatus> start(const std::string& read_model);
    std::optional<projections::RebuildStatus> status(const std::string& id) const;
    // The running rebuild ends as failed (the live read model untouched); returns once its thread has.
    void stop();

    // Where the search read model lives, and removes the copies interrupted rebuilds left beside it.
    static std::filesystem::path search_directory(const std::filesystem::path& data_dir);
    // Names the directory readers were switched to, for the next start (written whole: a crash leaves the old name).
    static void record_search_directory(const std::filesystem::path& data_dir, const std::filesystem::path& directory);

private:
    Settings settings_;
    projections::SearchRebuild::Live live_;
    mutable std::mutex mutex_;
    std::unique_ptr<projections::SearchRebuild> running_;
    std::deque<projections::RebuildStatus> finished_;  // the last few, newest first
    std::thread thread_;
    std::atomic<bool> stopping_{false};
};

}  // namespace debrief::app
