// Where each PostgreSQL projector stands in each partition of its topic (table projection_offsets), read and moved
// in the transaction that applies the records: rows and offsets commit together, exactly once.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "events/event_consumer.hpp"
#include "projections/postgres/pqxx_fwd.hpp"

namespace debrief::projections {

// partition -> next offset, as committed (shared by every instance).
std::map<int, std::int64_t> stored_projection_offsets(const std::string& connection_string, const std::string& projector, const std::string& topic);

// Another instance took these partitions over and moved their offsets past this batch: applying it would count twice.
struct BatchTakenOver : std::runtime_error {
    BatchTakenOver() : std::runtime_error("another instance already applied this batch") {}
};

// Locks the projector's offset rows (two instances never apply the same partition at once) and throws
// BatchTakenOver when a batch starting at these records was already applied. Answers partition -> the next offset
// after the records, for store_projection_offsets.
std::map<int, std::int64_t> claim_batch(pqxx::transaction_base& tx, const std::string& projector, const std::string& topic,
                                        const std::vector<events::Record>& records);
void store_projection_offsets(pqxx::transaction_base& tx, const std::string& projector, const std::string& topic,
                              const std::map<int, std::int64_t>& next_offsets);

}  // namespace debrief::projections
