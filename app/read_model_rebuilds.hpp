// Rebuilds of a read model inside the serving process (POST /v1/admin/rebuilds): one at a time (of either read
// model: both pause a projector), on a thread of its own, with the status of the running one and of the last
// finished ones. PostgreSQL's is switched in the database itself (projections/postgres/postgres_rebuild.hpp). The search read model's directory is the
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
#include "projections/postgres/postgres_rebuild.hpp"
#include "projections/search/search_rebuild.hpp"

namespace debrief::app {

class ReadModelRebuilds {
public:
    struct Settings {
        events::KafkaSettings kafka;
        std::string postgres_url;
        const events::KeyRing* keys = nullptr;
        std::filesystem::path data_dir;
        std::function<std::string()> new_id;
        std::size_t replay_workers = projections::SchemaReplay::default_workers;
    };
    ReadModelRebuilds(Settings settings, projections::SearchRebuild::Live search, projections::PostgresRebuild::Live postgres);
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
    projections::SearchRebuild::Live search_live_;
    projections::PostgresRebuild::Live postgres_live_;
    mutable std::mutex mutex_;
    struct Running;  // the rebuild running, or the last one run
    std::unique_ptr<Running> running_;
    std::deque<projections::RebuildStatus> finished_;  // the last few, newest first
    std::thread thread_;
    std::atomic<bool> stopping_{false};
};

}  // namespace debrief::app
