// The session tables (sessions, participants, weekly counts): how events change them and how queries read them.
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
void apply_to_session_tables(pqxx::transaction_base& tx, const events::Event& event);
// The area's parts of the numbered schema migrations (see schema_migration.hpp).
std::span<const MigrationStep> session_migrations();

// GET /v1/sessions: each field empty when not filtered on; dates YYYY-MM-DD, inclusive.
struct SessionListFilter {
    std::string coach_id, client_id, date_from, date_to, session_type, status;
    std::string after_date, after_id;  // the last session of the previous page
    std::size_t limit = 20;
};
struct SessionListItem {
    std::string id, coach_id, status, session_date, session_type;
    std::uint64_t version = 0;
    std::vector<std::string> client_ids;  // the clients who spoke in it
};
// The sessions the actor may see (visible_sessions_sql), newest first.
// schema: a past moment's read model (projections/postgres/as_of_models.hpp), "" for the live one.
std::vector<SessionListItem> list_sessions(pqxx::connection_base& connection, const commands::Actor& actor, const SessionListFilter& filter,
                                           const std::string& schema = {});

struct ParticipantRow {
    std::string name;
    double speaking_seconds = 0;
    int word_count = 0;
    int turn_count = 0;
    std::string client_id;  // empty for the coach
    bool is_coach = false;
};

struct SessionRow {
    std::string id;
    std::string coach_id;
    std::string status;
    std::string session_date;
    std::string session_type;
    std::uint64_t version = 0;
    std::vector<ParticipantRow> participants;
    std::string failure_stage;  // set when status is failed
    std::string failure_code;
    std::string failure_reason;
};

// Only sessions the actor may see (people_tables.hpp visible_sessions_sql): isolation holds in the query itself.
std::optional<SessionRow> find_session(pqxx::connection_base& connection, const commands::Actor& actor, const SessionId& session);

}  // namespace debrief::projections
