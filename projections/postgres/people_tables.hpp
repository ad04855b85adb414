// The people tables (organizations, users, clients): how events change them and how queries read them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "events/event.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/schema_migration.hpp"

namespace debrief::projections {

// Which client rows (aliased c) an actor sees, with $1 the organization and $2 the user: an admin the organization's,
// a coach lead their own and their coaches', a coach their own, a client only their own record. The read side of
// commands/authorization; every query of client data uses it.
extern const char* const visible_clients_sql;
// Which session rows (aliased se) an actor sees, same parameters: an admin the organization's, a coach lead their own
// and their coaches', a coach their own, a client the sessions they took part in.
extern const char* const visible_sessions_sql;

// Applies one event inside the projector's transaction; the projector makes sure each event is applied once.
void apply_to_people_tables(pqxx::transaction_base& tx, const events::Event& event);
// The area's parts of the numbered schema migrations (see schema_migration.hpp).
std::span<const MigrationStep> people_migrations();

struct ClientRow {
    std::string id;
    std::string coach_id;
    std::string name;
    std::string email;
    std::vector<std::string> tags;
    std::string team;
    std::string source;
    std::uint64_t version = 0;
};

// The clients the actor may see: an admin the organization's, a coach lead their own and their coaches', a coach
// their own, a client only their own record. Rows of other organizations are never visible.
std::optional<ClientRow> find_client(pqxx::connection_base& connection, const commands::Actor& actor, const ClientId& client);
std::vector<ClientRow> list_clients(pqxx::connection_base& connection, const commands::Actor& actor);

struct UserRow {
    std::string id;
    std::string name;
    std::string email;
    std::string role;
    std::string lead_id;
    std::string client_id;
    bool active = true;
    std::string voice_profile;             // JSON object text, empty when none is set
    std::string notification_preferences;  // JSON object text, empty when none are set
};

// The users the actor may see: an admin the organization's, a coach lead themselves and the coaches they lead,
// anyone else themselves. id empty: all of them.
std::vector<UserRow> list_users(pqxx::connection_base& connection, const commands::Actor& actor, const std::string& id);

}  // namespace debrief::projections
