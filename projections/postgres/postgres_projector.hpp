// Projects the event log into the PostgreSQL dashboard tables, exactly once: rows and offsets share a transaction.
// An event that cannot be applied is set aside (dead-lettered) and the projector goes on; a failing database is
// retried with backoff and never costs an event.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "events/event.hpp"
#include "events/kafka_settings.hpp"
#include "projections/dead_letter.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/projection_progress.hpp"
#include "projections/projector_health.hpp"

namespace debrief::events {
class DeadLetterPublisher;
class KeyRing;
}

namespace debrief::projections {

struct PostgresProjectorSettings {
    std::string connection_string;
    std::string consumer_group = "debrief-projector-postgres";
    std::size_t batch_size = 500;
    int poll_timeout_ms = 100;
    std::chrono::milliseconds min_backoff{100};  // between attempts at a batch the database refused
    std::chrono::milliseconds max_backoff{5000};
    // Test-only fault injection (DEBRIEF_FAULT_CRASH_AFTER_PROJECTOR_COMMIT): when N > 0, the process exits with
    // PostgresProjector::fault_exit_status right after the N-th batch transaction commits, before anything that
    // follows the commit (progress, health, the next poll). 0: off.
    std::int64_t crash_after_commits = 0;
};

class PostgresProjector {
public:
    inline static const std::string name = "postgres";
    static constexpr int fault_exit_status = 86;  // of a process ended by the crash_after_commits fault injection

    // keys open the sealed fields of events (events/keyring.hpp).
    PostgresProjector(PostgresProjectorSettings settings, events::KafkaSettings kafka, const events::KeyRing& keys, ProjectionProgress& progress,
                      ProjectorHealth& health, events::DeadLetterPublisher& dead_letters);
    ~PostgresProjector();

    // Consumes and applies until stop() is called; returns an error only if it cannot join the consumer group.
    Result<bool> run();
    void stop() { stopping_ = true; }

    // Reads the committed offsets of this projector from PostgreSQL (shared by every instance).
    static std::map<int, std::int64_t> stored_offsets(const std::string& connection_string, const std::string& topic);
    // Every PostgreSQL read model's part of one event, inside the caller's transaction.
    static void apply_event(pqxx::transaction_base& tx, const events::Event& event);
    // Applies a dead letter of the organization again (after a fix) and marks it retried. not_found for an unknown id,
    // conflict `dead_letter_failed` (with the new error recorded) when it still cannot be applied.
    static Result<DeadLetter> retry_dead_letter(pqxx::connection_base& connection, const OrganizationId& organization, const DeadLetterKey& key,
                                                const std::string& topic, const events::KeyRing& keys);

private:
    struct Batch;
    bool commit_batch(pqxx::connection_base& connection, Batch& batch, bool one_by_one);
    void crash_if_injected();

    PostgresProjectorSettings settings_;
    events::KafkaSettings kafka_;
    const events::KeyRing& keys_;
    ProjectionProgress& progress_;
    ProjectorHealth& health_;
    events::DeadLetterPublisher& dead_letters_;
    std::atomic<bool> stopping_{false};
    std::int64_t commits_ = 0;  // batch transactions committed by this process, for the fault injection
};

}  // namespace debrief::projections
