// Reads and writes of projection_dead_letters.
#include "projections/postgres/dead_letter_table.hpp"

#include <pqxx/pqxx>

#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {
namespace {

constexpr const char* columns =
    "projector, topic, partition, \"offset\", organization_id, event_type, event_id, error, status, "
    "(extract(epoch from at) * 1000)::bigint";

DeadLetter from_row(const pqxx::row& row) {
    DeadLetter letter;
    letter.projector = row[0].as<std::string>();
    letter.topic = row[1].as<std::string>();
    letter.partition = row[2].as<int>();
    letter.offset = row[3].as<std::int64_t>();
    letter.organization_id = row[4].as<std::string>();
    letter.event_type = row[5].as<std::string>();
    letter.event_id = row[6].as<std::string>();
    letter.error = row[7].as<std::string>();
    letter.status = row[8].as<std::string>();
    letter.at_ms = row[9].as<std::int64_t>();
    return letter;
}

}  // namespace

void record_dead_letter(pqxx::transaction_base& tx, const DeadLetter& letter, std::string_view payload) {
    exec_prepared_sql(tx, std::string("insert into projection_dead_letters (at, projector, topic, partition, \"offset\", organization_id, event_type, "
                               "event_id, error, payload, status) values (") +
                       event_time_sql + ", $2, $3, $4, $5, $6, $7, $8, $9, $10, 'dead') "
                                        "on conflict (projector, topic, partition, \"offset\") do nothing",
                   letter.at_ms, letter.projector, letter.topic, letter.partition, letter.offset, letter.organization_id, letter.event_type,
                   letter.event_id, letter.error, pqxx::binarystring(payload.data(), payload.size()));
}

std::vector<DeadLetter> list_dead_letters(pqxx::connection_base& connection, const OrganizationId& organization, std::size_t limit) {
    pqxx::read_transaction tx{connection};
    std::vector<DeadLetter> letters;
    for (const auto& row : exec_prepared_sql(tx, std::string("select ") + columns +
                                              " from projection_dead_letters where organization_id = $1 order by at desc, partition, \"offset\" "
                                              "limit $2",
                                          organization.value, static_cast<std::int64_t>(limit)))
        letters.push_back(from_row(row));
    return letters;
}

std::optional<StoredDeadLetter> lock_dead_letter(pqxx::transaction_base& tx, const OrganizationId& organization, const DeadLetterKey& key,
                                                 const std::string& topic) {
    auto rows = exec_prepared_sql(tx, std::string("select ") + columns +
                                   ", payload from projection_dead_letters where projector = $1 and topic = $2 and partition = $3 and "
                                   "\"offset\" = $4 and organization_id = $5 for update",
                               key.projector, topic, key.partition, key.offset, organization.value);
    if (rows.empty()) return std::nullopt;
    pqxx::binarystring payload(rows[0][10]);
    return StoredDeadLetter{from_row(rows[0]), payload.str()};
}

void mark_dead_letter_retried(pqxx::transaction_base& tx, const DeadLetter& letter) {
    exec_prepared_sql(tx, "update projection_dead_letters set status = 'retried', retried_at = now() where projector = $1 and topic = $2 and "
                   "partition = $3 and \"offset\" = $4",
                   letter.projector, letter.topic, letter.partition, letter.offset);
}

void update_dead_letter_error(pqxx::transaction_base& tx, const DeadLetter& letter) {
    exec_prepared_sql(tx, "update projection_dead_letters set error = $5 where projector = $1 and topic = $2 and partition = $3 and \"offset\" = $4",
                   letter.projector, letter.topic, letter.partition, letter.offset, letter.error);
}

}  // namespace debrief::projections
