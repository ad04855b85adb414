// projection_dead_letters: the PostgreSQL projector's dead letters, with the event's bytes so that a retry needs no Kafka.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "events/ids.hpp"
#include "projections/dead_letter.hpp"
#include "projections/postgres/pqxx_fwd.hpp"

namespace debrief::projections {

// Inside the projector's transaction, with the offsets that move past it; recording it twice keeps the first.
void record_dead_letter(pqxx::transaction_base& tx, const DeadLetter& letter, std::string_view payload);
// Newest first, at most `limit`, only the organization's.
std::vector<DeadLetter> list_dead_letters(pqxx::connection_base& connection, const OrganizationId& organization, std::size_t limit);

struct StoredDeadLetter {
    DeadLetter letter;
    std::string payload;
};
// Locks the row until the transaction ends; nothing for another organization's dead letter.
std::optional<StoredDeadLetter> lock_dead_letter(pqxx::transaction_base& tx, const OrganizationId& organization, const DeadLetterKey& key,
                                                 const std::string& topic);
void mark_dead_letter_retried(pqxx::transaction_base& tx, const DeadLetter& letter);
void update_dead_letter_error(pqxx::transaction_base& tx, const DeadLetter& letter);

}  // namespace debrief::projections
