// SQL for times: an event's (the projectors pass occurred_at_ms as parameter $1 of every statement that needs it), and
// a column read back as RFC 3339.
#pragma once

#include <string>

namespace debrief::projections {

inline constexpr const char* event_time_sql = "to_timestamp($1::double precision / 1000)";

// A timestamptz column as RFC 3339 UTC with milliseconds, or '' when it is null.
inline std::string rfc3339_millis_sql(const std::string& column) {
    return "coalesce(to_char(" + column + " at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), '')";
}

}  // namespace debrief::projections
