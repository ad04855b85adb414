// The summaries table: each client's summary of a session, as drafted and as refined, for review and dashboards.
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
void apply_to_summary_tables(pqxx::transaction_base& tx, const events::Event& event);
// The area's parts of the numbered schema migrations (see schema_migration.hpp).
std::span<const MigrationStep> summary_migrations();

struct SummaryRow {
    std::string id;
    std::string session_id;
    std::string client_id;
    std::string client_name;
    std::string status;  // draft | approved
    std::uint64_t version = 0;
    std::string content_json;  // {"wins":[...],"challenges":[...],"action_items":[...],"coach_recommendations":[...]}
    std::string engagement;
    bool breakthrough = false;
    double priority_score = 0;
};

// The session's summaries the actor may see: coaching roles see the session's (organization-wide for now, like the
// session itself); a client sees only their own, and only once approved. None when the session is not visible.
std::optional<std::vector<SummaryRow>> session_summaries(pqxx::connection_base& connection, const commands::Actor& actor, const SessionId& session);

}  // namespace debrief::projections
