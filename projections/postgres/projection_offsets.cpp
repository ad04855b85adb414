// projection_offsets: read, claimed under a row lock, and moved.
#include "projections/postgres/projection_offsets.hpp"

#include <pqxx/pqxx>

#include "projections/postgres/prepared_sql.hpp"

namespace debrief::projections {

std::map<int, std::int64_t> stored_projection_offsets(const std::string& connection_string, const std::string& projector, const std::string& topic) {
    pqxx::connection connection{connection_string};
    pqxx::read_transaction tx{connection};
    std::map<int, std::int64_t> offsets;
    for (const auto& row : exec_prepared_sql(tx, "select partition, next_offset from projection_offsets where projector = $1 and topic = $2", projector, topic))
        offsets[row[0].as<int>()] = row[1].as<std::int64_t>();
    return offsets;
}

std::map<int, std::int64_t> claim_batch(pqxx::transaction_base& tx, const std::string& projector, const std::string& topic,
                                        const std::vector<events::Record>& records) {
    std::map<int, std::int64_t> stored;
    for (const auto& row : exec_prepared_sql(tx, "select partition, next_offset from projection_offsets where projector = $1 and topic = $2 for update",
                                          projector, topic))
        stored[row[0].as<int>()] = row[1].as<std::int64_t>();
    std::map<int, std::int64_t> first_offsets, next_offsets;
    for (const auto& record : records) {
        first_offsets.try_emplace(record.position.partition, record.position.offset);
        next_offsets[record.position.partition] = record.position.offset + 1;
    }
    for (auto [partition, first] : first_offsets)
        if (auto it = stored.find(partition); it != stored.end() && it->second > first) throw BatchTakenOver{};
    return next_offsets;
}

void store_projection_offsets(pqxx::transaction_base& tx, const std::string& projector, const std::string& topic,
                              const std::map<int, std::int64_t>& next_offsets) {
    for (auto [partition, next] : next_offsets)
        exec_prepared_sql(tx,
                          "insert into projection_offsets (projector, topic, partition, next_offset) values ($1, $2, $3, $4) "
                          "on conflict (projector, topic, partition) do update set next_offset = excluded.next_offset",
                          projector, topic, partition, next);
}

}  // namespace debrief::projections
