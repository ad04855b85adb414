// The PostgreSQL projector loop: poll a batch, apply every event and the new offsets in one transaction (its writes
// gathered: multi-row inserts, many statements to a round trip), commit. When an event cannot be applied, the batch is
// applied again one event at a time, each under a savepoint, and the events that still fail are dead-lettered (topic
// and table) in the transaction that moves the offsets past them.
#include "projections/postgres/postgres_projector.hpp"

#include <pqxx/pqxx>

#include <cstdlib>
#include <optional>
#include <thread>

#include "common/json_log.hpp"
#include "events/codec.hpp"
#include "events/dead_letter_publisher.hpp"
#include "events/event_consumer.hpp"
#include "projections/postgres/gathered_writes.hpp"
#include "projections/postgres/database_failure.hpp"
#include "projections/postgres/dead_letter_table.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/projection_offsets.hpp"
#include "projections/postgres/savepoint.hpp"
#include "projections/postgres/table_areas.hpp"

namespace debrief::projections {
namespace {

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

struct PostgresProjector::Batch {
    std::vector<events::Record> records;
    std::vector<DeadLetter> dead;  // filled by the attempt that commits
};

PostgresProjector::PostgresProjector(PostgresProjectorSettings settings, events::KafkaSettings kafka, const events::KeyRing& keys,
                                     ProjectionProgress& progress, ProjectorHealth& health, events::DeadLetterPublisher& dead_letters)
    : settings_(std::move(settings)), kafka_(std::move(kafka)), keys_(keys), progress_(progress), health_(health), dead_letters_(dead_letters) {}
PostgresProjector::~PostgresProjector() = default;

std::map<int, std::int64_t> PostgresProjector::stored_offsets(const std::string& connection_string, const std::string& topic) {
    return stored_projection_offsets(connection_string, name, topic);
}

void PostgresProjector::apply_event(pqxx::transaction_base& tx, const events::Event& event) {
    for (const auto& area : table_areas) area.apply(tx, event);
}

// One attempt at the batch in one transaction. Returns false when an event could not be applied and one_by_one was
// not set (the caller tries again one by one); throws for failures of the database, which the caller retries.
bool PostgresProjector::commit_batch(pqxx::connection_base& connection, Batch& batch, bool one_by_one) {
    const auto& topic = kafka_.events_topic;
    pqxx::work tx{connection};
    // A batch that another instance applied in the meantime (after a rebalance) is dropped, not applied twice.
    const auto next_offsets = claim_batch(tx, name, topic, batch.records);

    // The first attempt gathers the batch's writes (GatheredWrites); one by one, every event's rows are
    // written under its own savepoint.
    std::optional<GatheredWrites> inserts;
    if (!one_by_one) inserts.emplace(tx);
    // Work of the first attempt: false when an event could not be applied (the transaction rolls back).
    auto first_attempt = [](auto work) {
        try {
            work();
            return true;
        } catch (...) {
            if (classify_current_exception() == FailureCause::event) return false;
            throw;
        }
    };
    std::vector<DeadLetter> dead;
    const auto now = wall_clock_ms();
    for (const auto& record : batch.records) {
        auto event = events::decode(record.value, &keys_);
        if (!event) {
            dead.push_back(dead_letter_of(record, name, topic, event.error().code + ": " + event.error().message, now));
            continue;
        }
        if (!one_by_one) {
            if (!first_attempt([&] { apply_event(tx, event.value()); })) return false;
            continue;
        }
        try {
            under_savepoint(tx, [&] { apply_event(tx, event.value()); });
        } catch (const std::exception& e) {
            if (classify_current_exception() != FailureCause::event) throw;
            dead.push_back(dead_letter_of(record, name, topic, e.what(), now));
        }
    }
    if (inserts) {
        if (!first_attempt([&] { inserts->flush(); })) return false;
        inserts.reset();
    }
    for (const auto& letter : dead) {
        const auto& record = *std::find_if(batch.records.begin(), batch.records.end(), [&](const events::Record& r) {
            return r.position.partition == letter.partition && r.position.offset == letter.offset;
        });
        record_dead_letter(tx, letter, record.value);
        // On the topic before the offsets move past it: a crash in between publishes it again, never loses it.
        auto published = dead_letters_.publish(record, topic, name, letter.error, 10'000);
        if (!published) throw pqxx::broken_connection("dead-letter topic unavailable: " + published.error().message);
    }
    store_projection_offsets(tx, name, topic, next_offsets);
    tx.commit();
    crash_if_injected();
    for (auto [partition, next] : next_offsets) progress_.advance(partition, next);
    batch.dead = std::move(dead);
    return true;
}

void PostgresProjector::crash_if_injected() {
    if (settings_.crash_after_commits <= 0 || ++commits_ < settings_.crash_after_commits) return;
    log_error("fault_injected_crash", {{"projector", name}, {"commits", commits_}});  // the logger flushes every line
    std::_Exit(fault_exit_status);  // no destructors, no flush of Kafka clients: a crash, not a shutdown
}

Result<bool> PostgresProjector::run() {
    const auto& topic = kafka_.events_topic;
    auto load_offsets = [&](const std::vector<int>&) { return stored_offsets(settings_.connection_string, topic); };
    auto consumer = events::EventConsumer::join_group(kafka_, topic, settings_.consumer_group, load_offsets);
    if (!consumer) return consumer.error();
    health_.running();

    std::unique_ptr<pqxx::connection> connection;
    auto backoff = settings_.min_backoff;
    auto rejoin = [&]() -> Result<bool> {
        consumer = Error{ErrorKind::unavailable, "", ""};  // leave the group before joining again
        consumer = events::EventConsumer::join_group(kafka_, topic, settings_.consumer_group, load_offsets);
        if (!consumer) return consumer.error();
        return true;
    };
    while (!stopping_) {
        if (auto failure = (*consumer)->assignment_failure()) {
            // The stored offsets could not be read at assignment (database down): nothing was taken; join again.
            health_.failing(describe_failure("loading stored offsets: " + *failure));
            std::this_thread::sleep_for(backoff);  // backoff before rejoining, not synchronisation
            backoff = std::min(backoff * 2, settings_.max_backoff);
            if (auto joined = rejoin(); !joined) return joined.error();
            continue;
        }
        Batch batch{(*consumer)->poll(settings_.batch_size, settings_.poll_timeout_ms), {}};
        if (batch.records.empty()) {
            health_.positions((*consumer)->positions());  // past commit markers; never past a batch not yet committed
            continue;
        }
        // The same batch, in memory, until it is committed: the consumer has moved on, so nothing is read twice.
        bool one_by_one = false;
        while (!stopping_) {
            try {
                if (!connection || !connection->is_open()) connection = std::make_unique<pqxx::connection>(settings_.connection_string);
                if (!commit_batch(*connection, batch, one_by_one)) {
                    one_by_one = true;  // an event is at fault: find it under savepoints
                    continue;
                }
                for (const auto& letter : batch.dead) log_dead_letter(letter);
                health_.applied(batch.records.size() - batch.dead.size(), batch.dead.size());
                health_.positions((*consumer)->positions());
                health_.running();
                backoff = settings_.min_backoff;
                break;
            } catch (const BatchTakenOver&) {
                log_warn("projector_batch_taken_over", {{"projector", name}, {"events", batch.records.size()}});
                if (auto joined = rejoin(); !joined) return joined.error();
                break;
            } catch (const std::exception& e) {
                const auto cause = classify_current_exception();
                const auto error = describe_failure(e.what());
                health_.failing(error);
                log_error("projector_batch_failed", {{"projector", name}, {"cause", std::string(to_string(cause))}, {"error", error},
                                                     {"events", batch.records.size()}, {"retry_in_ms", backoff.count()}});
                if (cause != FailureCause::database || !connection || !connection->is_open()) connection.reset();
                const auto until = std::chrono::steady_clock::now() + backoff;
                while (!stopping_ && std::chrono::steady_clock::now() < until)
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // backoff, interruptible by stop()
                backoff = std::min(backoff * 2, settings_.max_backoff);
            }
        }
    }
    health_.stopped();
    return true;
}

Result<DeadLetter> PostgresProjector::retry_dead_letter(pqxx::connection_base& connection, const OrganizationId& organization,
                                                        const DeadLetterKey& key, const std::string& topic, const events::KeyRing& keys) {
    if (key.projector != name) return not_found("dead_letter_not_found", "no such dead letter");
    std::optional<DeadLetter> failed;
    {
        pqxx::work tx{connection};
        auto stored = lock_dead_letter(tx, organization, key, topic);
        if (!stored) return not_found("dead_letter_not_found", "no such dead letter");
        if (stored->letter.status == "retried") return conflict("dead_letter_retried", "this dead letter was already applied by a retry");
        auto event = events::decode(stored->payload, &keys);
        std::string error;
        if (event) {
            try {
                under_savepoint(tx, [&] { apply_event(tx, event.value()); });
            } catch (const std::exception& e) {
                if (classify_current_exception() != FailureCause::event) throw;
                error = describe_failure(e.what());
            }
        } else {
            error = describe_failure(event.error().code + ": " + event.error().message);
        }
        if (error.empty()) {
            mark_dead_letter_retried(tx, stored->letter);
            tx.commit();
            stored->letter.status = "retried";
            return stored->letter;
        }
        stored->letter.error = error;
        update_dead_letter_error(tx, stored->letter);
        tx.commit();
        failed = stored->letter;
    }
    return conflict("dead_letter_failed", "the event still cannot be applied: " + failed->error);
}

}  // namespace debrief::projections
