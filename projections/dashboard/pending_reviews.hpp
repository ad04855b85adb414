// Drafts waiting at each week's end, for a lead's dashboard: a summary is pending at a week's end (the next Monday,
// 00:00 UTC, or the dashboard's moment for the week under way) when it was drafted before then and was not yet
// approved then (or is a draft now: reopened). Pure: the spans come from PostgreSQL, the counting is here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace debrief::projections::dashboard {

struct ReviewSpan {
    std::string coach_id;
    std::int64_t drafted_ms = 0;
    std::optional<std::int64_t> approved_ms;
    bool draft_now = false;
};

// week_starts_ms: each week's Monday at 00:00 UTC, oldest first. Answers (coach, week index) -> drafts pending at
// that week's end, with coach "" for every coach together; a week with none is absent.
std::map<std::pair<std::string, std::size_t>, int> pending_at_week_ends(const std::vector<ReviewSpan>& spans,
                                                                         const std::vector<std::int64_t>& week_starts_ms, std::int64_t now_ms);

}  // namespace debrief::projections::dashboard
