// The action_items table: every action item with its owner, due date and status; overdue is derived in queries.
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
void apply_to_action_item_tables(pqxx::transaction_base& tx, const events::Event& event);
// The area's parts of the numbered schema migrations (see schema_migration.hpp).
std::span<const MigrationStep> action_item_migrations();

struct ActionItemRow {
    std::string id;
    std::string client_id;
    std::string client_name;
    std::string title;
    std::string owner_id;
    std::string due_date;  // empty when none
    std::string status;    // open | done | cancelled
    bool overdue = false;  // open and due before today (UTC)
    std::string source;
    std::string session_id;
    std::string summary_id;
    std::uint64_t version = 0;
};

struct ActionItemFilter {
    std::string owner_id;   // empty: any
    std::string client_id;  // empty: any
    std::string status;     // empty, open, done, cancelled or overdue
};

// The columns every query of items selects, from action_items a joined to clients c; today is the SQL of the day
// against which overdue is judged. action_item_row reads them back.
std::string action_item_columns_sql(const std::string& today);
ActionItemRow action_item_row(const pqxx::row& row);

// The items of the clients the actor may see (the same reach as the clients list).
std::vector<ActionItemRow> list_action_items(pqxx::connection_base& connection, const commands::Actor& actor, const ActionItemFilter& filter);

}  // namespace debrief::projections
