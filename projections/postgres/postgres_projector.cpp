// The PostgreSQL projector loop: poll a batch, apply every event and the new offsets in one transaction, commit.
#include "projections/postgres/postgres_projector.hpp"

#include <pqxx/pqxx>

#include <thread>

#include "common/json_log.hpp"
#include "events/codec.hpp"
#include "events/event_consumer.hpp"
#include "projections/postgres/action_item_tables.hpp"
#include "projections/postgres/follow_up_tables.hpp"
#include "projections/postgres/metrics_tables.hpp"
#include "projections/postgres/note_tables.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/session_tables.hpp"
#include "projections/postgres/summary_tables.hpp"

namespace debrief::projections {

PostgresProjector::PostgresProjector(PostgresProjectorSettings settings, events::KafkaSettings kafka, ProjectionProgress& progress)
    : settings_(std::move(settings)), kafka_(std::move(kafka)), progress_(progress) {}
PostgresProjector::~PostgresProjector() = default;

std::map<int, std::int64_t> PostgresProjector::stored_offsets(const std::string& connection_string, const std::string& topic) {
    pqxx::connection connection{connection_string};
    pqxx::read_transaction tx{connection};
    std::map<int, std::int64_t> offsets;
    for (const auto& row : tx.exec_params("select partition, next_offset from projection_offsets where projector = $1 and topic = $2", name, topic))
        offsets[row[0].as<int>()] = row[1].as<std::int64_t>();
    return offsets;
}

Result<bool> PostgresProjector::run() {
    const auto& topic = kafka_.events_topic;
    try {
        for (auto [partition, next] : stored_offsets(settings_.connection_string, topic)) progress_.advance(partition, next);
    } catch (const std::exception& e) {
        return Error{ErrorKind::unavailable, "database_unavailable", e.what()};
    }
    auto consumer = events::EventConsumer::join_group(kafka_, topic, settings_.consumer_group, [&](const std::vector<int>&) {
        // On every assignment, resume from the offsets committed with the rows, never from Kafka's group offsets.
        return stored_offsets(settings_.connection_string, topic);
    });
    if (!consumer) return consumer.error();

    std::unique_ptr<pqxx::connection> connection;
    while (!stopping_) {
        auto records = (*consumer)->poll(settings_.batch_size, settings_.poll_timeout_ms);
        try {
            if (auto failure = (*consumer)->assignment_failure()) throw std::runtime_error("loading stored offsets: " + *failure);
            if (records.empty()) continue;
            if (!connection || !connection->is_open()) connection = std::make_unique<pqxx::connection>(settings_.connection_string);
            pqxx::work tx{*connection};
            std::map<int, std::int64_t> next_offsets;
            for (const auto& record : records) {
                auto event = events::decode(record.value);
                if (event) {
                    apply_to_people_tables(tx, event.value());
                    apply_to_session_tables(tx, event.value());
                    apply_to_summary_tables(tx, event.value());
                    apply_to_action_item_tables(tx, event.value());
                    apply_to_note_tables(tx, event.value());
                    apply_to_follow_up_tables(tx, event.value());
                    apply_to_metrics_tables(tx, event.value());
                } else {
                    log_warn("projector_skipped_record", {{"projector", name}, {"partition", record.position.partition},
                                                          {"offset", record.position.offset}, {"code", event.error().code}});
                }
                next_offsets[record.position.partition] = record.position.offset + 1;
            }
            for (auto [partition, next] : next_offsets)
                tx.exec_params(
                    "insert into projection_offsets (projector, topic, partition, next_offset) values ($1, $2, $3, $4) "
                    "on conflict (projector, topic, partition) do update set next_offset = excluded.next_offset",
                    name, topic, partition, next);
            tx.commit();
            for (auto [partition, next] : next_offsets) progress_.advance(partition, next);
            applied_ += records.size();
        } catch (const std::exception& e) {
            // Nothing of this batch is committed: rewind to the stored offsets by rejoining, after a short backoff.
            log_error("projector_batch_failed", {{"projector", name}, {"error", e.what()}});
            connection.reset();
            consumer = Error{ErrorKind::unavailable, "", ""};
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            consumer = events::EventConsumer::join_group(kafka_, topic, settings_.consumer_group, [&](const std::vector<int>&) {
                return stored_offsets(settings_.connection_string, topic);
            });
            if (!consumer) return consumer.error();
        }
    }
    return true;
}

}  // namespace debrief::projections
