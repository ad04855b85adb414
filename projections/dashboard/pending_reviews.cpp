#include "projections/dashboard/pending_reviews.hpp"

#include <algorithm>

namespace debrief::projections::dashboard {

std::map<std::pair<std::string, std::size_t>, int> pending_at_week_ends(const std::vector<ReviewSpan>& spans,
                                                                         const std::vector<std::int64_t>& week_starts_ms, std::int64_t now_ms) {
    constexpr std::int64_t week_ms = 7LL * 24 * 3600 * 1000;
    std::map<std::pair<std::string, std::size_t>, int> counts;
    for (std::size_t week = 0; week < week_starts_ms.size(); ++week) {
        const auto end = std::min(week_starts_ms[week] + week_ms, now_ms);
        for (const auto& span : spans)
            if (span.drafted_ms < end && (span.draft_now || (span.approved_ms && *span.approved_ms >= end))) {
                ++counts[{span.coach_id, week}];
                ++counts[{std::string{}, week}];
            }
    }
    return counts;
}

}  // namespace debrief::projections::dashboard
