// The follow_ups table: follow-ups with their outbox state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "events/event.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/schema_migration.hpp"

namespace debrief::projections {

// Applies one event inside the projector's transaction; the projector makes sure each event is applied once.
void apply_to_follow_up_tables(pqxx::transaction_base& tx, const events::Event& event);
// The area's parts of the numbered schema migrations (see schema_migration.hpp).
std::span<const MigrationStep> follow_up_migrations();

struct FollowUpRow {
    std::string id;
    std::string summary_id;
    std::string session_id;
    std::string client_id;
    std::string client_name;
    std::string coach_id;
    std::string template_id;
    std::string recipient;
    std::string subject;
    std::string body;
    std::string status;  // draft | scheduled | sent | failed
    std::string send_at;
    int attempts = 0;
    std::string last_error;
    std::string next_attempt_at;
    std::string sent_at;
    std::string channel;
    std::uint64_t version = 0;
};

struct FollowUpFilter {
    std::string id;         // one follow-up
    std::string client_id;  // empty: any
    std::string status;     // empty: any
};

// Follow-ups of the clients the actor may see.
std::vector<FollowUpRow> list_follow_ups(pqxx::connection_base& connection, const commands::Actor& actor, const FollowUpFilter& filter);

}  // namespace debrief::projections
