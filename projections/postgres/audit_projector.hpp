// Projects the audit topic into audit_records, exactly once (rows and offsets share a transaction), and deletes
// records past their retention. A record that does not decode is logged and skipped: only Debrief writes the topic,
// and no read of it may stop the trail.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "events/event_consumer.hpp"
#include "events/kafka_settings.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/projection_progress.hpp"
#include "projections/projector_health.hpp"

namespace debrief::projections {

struct AuditProjectorSettings {
    std::string connection_string;
    std::string consumer_group = "debrief-projector-audit";
    std::size_t batch_size = 500;
    int poll_timeout_ms = 100;
    std::chrono::milliseconds min_backoff{100};
    std::chrono::milliseconds max_backoff{5000};
    std::chrono::milliseconds purge_every{std::chrono::hours(1)};
};

class AuditProjector {
public:
    inline static const std::string name = "audit";

    AuditProjector(AuditProjectorSettings settings, events::KafkaSettings kafka, ProjectionProgress& progress, ProjectorHealth& health);
    ~AuditProjector();
    // Consumes and applies until stop() is called; returns an error only if it cannot join the consumer group.
    Result<bool> run();
    void stop() { stopping_ = true; }

private:
    void apply_batch(const std::vector<events::Record>& records);
    void purge_if_due();
    pqxx::connection_base& connection();  // opened again after a failure

    AuditProjectorSettings settings_;
    events::KafkaSettings kafka_;
    ProjectionProgress& progress_;
    ProjectorHealth& health_;
    std::shared_ptr<pqxx::connection_base> connection_;  // shared_ptr: its deleter knows the type pqxx_fwd cannot name
    std::atomic<bool> stopping_{false};
    std::chrono::steady_clock::time_point next_purge_{};
};

}  // namespace debrief::projections
