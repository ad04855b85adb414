// The PostgreSQL read model's areas: each applies the events it cares about to its own tables (and names the rest
// in its Ignores list). A new area is a new *_tables.* pair and one line here; its tables come with a new numbered
// migration in migrations.cpp, which stays one append-only list because the numbers order every area's changes.
#pragma once

#include <array>

#include "projections/postgres/action_item_tables.hpp"
#include "projections/postgres/follow_up_tables.hpp"
#include "projections/postgres/metrics_tables.hpp"
#include "projections/postgres/note_tables.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/session_tables.hpp"
#include "projections/postgres/summary_tables.hpp"

namespace debrief::projections {

// In this order: later areas' rows refer to earlier ones' (a summary to its session, an action item to its client).
inline constexpr std::array table_areas{&apply_to_people_tables,      &apply_to_session_tables, &apply_to_summary_tables,
                                        &apply_to_action_item_tables, &apply_to_note_tables,    &apply_to_follow_up_tables,
                                        &apply_to_metrics_tables};

}  // namespace debrief::projections
