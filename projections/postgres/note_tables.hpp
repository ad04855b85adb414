// The notes table, and session prep: what a coach reads before a session with a client, in one query.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "events/event.hpp"
#include "projections/postgres/action_item_tables.hpp"
#include "projections/postgres/metrics_tables.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/schema_migration.hpp"
#include "projections/postgres/summary_tables.hpp"

namespace debrief::projections {

// Applies one event inside the projector's transaction; the projector makes sure each event is applied once.
void apply_to_note_tables(pqxx::transaction_base& tx, const events::Event& event);
// The area's parts of the numbered schema migrations (see schema_migration.hpp).
std::span<const MigrationStep> note_migrations();

struct NoteRow {
    std::string id;
    std::string text;
    std::string created_at;  // RFC 3339
};

struct SessionPrep {
    ClientRow client;
    std::vector<ActionItemRow> open_action_items;
    std::vector<NoteRow> unaddressed_notes;
    std::optional<SummaryRow> last_approved_summary;
    std::string last_approved_session_date;  // of that summary's session
    std::vector<ClientMetricSeries> recent_metrics;  // the two latest committed values of each metric
};

// None when the client is not visible to the actor.
std::optional<SessionPrep> session_prep(pqxx::connection_base& connection, const commands::Actor& actor, const ClientId& client);

}  // namespace debrief::projections
