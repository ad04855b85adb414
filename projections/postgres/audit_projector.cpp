// The audit projector loop: poll, insert the batch's rows and move the offsets in one transaction, commit; a failing
// database is retried with backoff and never costs a record.
#include "projections/postgres/audit_projector.hpp"

#include <pqxx/pqxx>

#include <thread>

#include "common/json_log.hpp"
#include "events/audit_record.hpp"
#include "events/event_consumer.hpp"
#include "projections/dead_letter.hpp"
#include "projections/postgres/audit_table.hpp"
#include "projections/postgres/gathered_writes.hpp"
#include "projections/postgres/database_failure.hpp"
#include "projections/postgres/projection_offsets.hpp"

namespace debrief::projections {

AuditProjector::AuditProjector(AuditProjectorSettings settings, events::KafkaSettings kafka, ProjectionProgress& progress, ProjectorHealth& health)
    : settings_(std::move(settings)), kafka_(std::move(kafka)), progress_(progress), health_(health) {}
AuditProjector::~AuditProjector() = default;

pqxx::connection_base& AuditProjector::connection() {
    if (!connection_ || !connection_->is_open()) connection_ = std::make_shared<pqxx::connection>(settings_.connection_string);
    return *connection_;
}

// One attempt; throws what the database throws (BatchTakenOver when another instance applied it).
void AuditProjector::apply_batch(const std::vector<events::Record>& records) {
    const auto& topic = kafka_.audit_topic;
    pqxx::work tx{connection()};
    const auto next_offsets = claim_batch(tx, name, topic, records);
    std::size_t skipped = 0;
    {
        GatheredWrites inserts(tx);
        for (const auto& record : records) {
            auto audit = events::decode_audit_record(record.value);
            if (!audit) {
                ++skipped;
                log_error("audit_record_skipped", {{"partition", record.position.partition}, {"offset", record.position.offset},
                                                   {"error", audit.error().message}});
                continue;
            }
            insert_audit_record(tx, audit.value());
        }
        inserts.flush();
    }
    store_projection_offsets(tx, name, topic, next_offsets);
    tx.commit();
    for (auto [partition, next] : next_offsets) progress_.advance(partition, next);
    health_.applied(records.size() - skipped, 0);
}

void AuditProjector::purge_if_due() {
    const auto now = std::chrono::steady_clock::now();
    if (now < next_purge_) return;
    next_purge_ = now + settings_.purge_every;
    pqxx::work tx{connection()};
    const auto purged = purge_audit_records(tx, kafka_.audit_retention_days);
    tx.commit();
    if (purged > 0) log_info("audit_records_purged", {{"records", purged}, {"retention_days", kafka_.audit_retention_days}});
}

Result<bool> AuditProjector::run() {
    const auto& topic = kafka_.audit_topic;
    auto load_offsets = [&](const std::vector<int>&) { return stored_projection_offsets(settings_.connection_string, name, topic); };
    auto join = [&] { return events::EventConsumer::join_group(kafka_, topic, settings_.consumer_group, load_offsets); };
    auto consumer = join();
    if (!consumer) return consumer.error();
    health_.running();
    auto backoff = settings_.min_backoff;
    // Waits out the backoff (interruptible by stop()) and doubles it.
    auto back_off = [&](const std::string& error) {
        health_.failing(error);
        log_error("projector_batch_failed", {{"projector", name}, {"error", error}, {"retry_in_ms", backoff.count()}});
        const auto until = std::chrono::steady_clock::now() + backoff;
        while (!stopping_ && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        backoff = std::min(backoff * 2, settings_.max_backoff);
    };
    while (!stopping_) {
        if (auto failure = (*consumer)->assignment_failure()) {
            back_off(describe_failure("loading stored offsets: " + *failure));
            consumer = Error{ErrorKind::unavailable, "", ""};  // leave the group before joining again
            if (consumer = join(); !consumer) return consumer.error();
            continue;
        }
        auto records = (*consumer)->poll(settings_.batch_size, settings_.poll_timeout_ms);
        while (!stopping_ && !records.empty()) {
            try {
                apply_batch(records);
                health_.running();
                backoff = settings_.min_backoff;
                break;
            } catch (const BatchTakenOver&) {
                consumer = Error{ErrorKind::unavailable, "", ""};
                if (consumer = join(); !consumer) return consumer.error();
                break;
            } catch (const std::exception& e) {
                connection_.reset();
                back_off(describe_failure(e.what()));
            }
        }
        health_.positions((*consumer)->positions());
        try {
            purge_if_due();
        } catch (const std::exception& e) {
            connection_.reset();
            log_warn("audit_purge_failed", {{"error", describe_failure(e.what())}});  // tried again at the next due time
        }
    }
    health_.stopped();
    return true;
}

}  // namespace debrief::projections
