// The PostgreSQL read model's areas: each applies the events it cares about to its own tables (and names the rest
// in its Ignores list), and keeps the migrations that create and change those tables. A new area is a new
// *_tables.* pair and one line here.
#pragma once

#include <array>
#include <span>

#include "projections/postgres/action_item_tables.hpp"
#include "projections/postgres/erasure_tables.hpp"
#include "projections/postgres/follow_up_tables.hpp"
#include "projections/postgres/metrics_tables.hpp"
#include "projections/postgres/note_tables.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/session_tables.hpp"
#include "projections/postgres/summary_tables.hpp"
#include "projections/postgres/template_tables.hpp"

namespace debrief::projections {

struct TableArea {
    void (*apply)(pqxx::transaction_base& tx, const events::Event& event);
    std::span<const MigrationStep> (*migrations)();
};

// In this order: later areas' rows refer to earlier ones' (a summary to its session, an action item to its client).
inline constexpr std::array table_areas{
    TableArea{&apply_to_people_tables, &people_migrations},           TableArea{&apply_to_session_tables, &session_migrations},
    TableArea{&apply_to_summary_tables, &summary_migrations},         TableArea{&apply_to_action_item_tables, &action_item_migrations},
    TableArea{&apply_to_note_tables, &note_migrations},               TableArea{&apply_to_template_tables, &template_migrations},
    TableArea{&apply_to_follow_up_tables, &follow_up_migrations},     TableArea{&apply_to_metrics_tables, &metrics_migrations},
    TableArea{&apply_to_erasure, &erasure_migrations},  // last: it blanks what the others wrote
};

}  // namespace debrief::projections
