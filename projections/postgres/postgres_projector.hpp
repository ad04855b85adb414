// Projects the event log into the PostgreSQL dashboard tables, exactly once: rows and offsets share a transaction.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "commands/result.hpp"
#include "events/kafka_settings.hpp"
#include "projections/projection_progress.hpp"

namespace debrief::projections {

struct PostgresProjectorSettings {
    std::string connection_string;
    std::string consumer_group = "debrief-projector-postgres";
    std::size_t batch_size = 500;
    int poll_timeout_ms = 100;
};

class PostgresProjector {
public:
    inline static const std::string name = "postgres";

    PostgresProjector(PostgresProjectorSettings settings, events::KafkaSettings kafka, ProjectionProgress& progress);
    ~PostgresProjector();

    // Consumes and applies until stop() is called; returns an error if it cannot start or the database fails for good.
    Result<bool> run();
    void stop() { stopping_ = true; }
    std::size_t applied_events() const { return applied_; }

    // Reads the committed offsets of this projector from PostgreSQL (shared by every instance).
    static std::map<int, std::int64_t> stored_offsets(const std::string& connection_string, const std::string& topic);

private:
    PostgresProjectorSettings settings_;
    events::KafkaSettings kafka_;
    ProjectionProgress& progress_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> applied_{0};
};

}  // namespace debrief::projections
