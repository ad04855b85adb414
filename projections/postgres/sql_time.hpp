// SQL for an event's time: the projectors pass occurred_at_ms as parameter $1 of every statement that needs it.
#pragma once

namespace debrief::projections {

inline constexpr const char* event_time_sql = "to_timestamp($1::double precision / 1000)";

}  // namespace debrief::projections
