// A lead's drafts pending at each week's end: drafted before the end, not approved by then, or a draft again now.
#include <doctest/doctest.h>

#include "projections/dashboard/pending_reviews.hpp"

using namespace debrief::projections::dashboard;

TEST_CASE("a draft is pending at the ends of the weeks from its drafting until its approval, per coach and in total") {
    constexpr std::int64_t day = 24LL * 3600 * 1000, week = 7 * day;
    const std::int64_t monday = 1'796'342'400'000;  // a Monday, 00:00 UTC
    const std::vector<std::int64_t> weeks{monday, monday + week, monday + 2 * week};
    const std::int64_t now = monday + 2 * week + 3 * day;  // Thursday of the third week
    const std::vector<ReviewSpan> spans{
        {"ann", monday + day, monday + week + day, false},      // approved in week 2: pending at week 1's end only
        {"ann", monday + week - 1, std::nullopt, true},          // drafted just before week 1's end, still a draft
        {"bob", monday + week, monday + week, false},            // drafted and approved at week 1's end exactly: never pending
        {"bob", monday + 2 * week + day, std::nullopt, true},    // drafted this week: pending now
        {"bob", monday + day, monday + 2 * week + 4 * day, false},  // approved after now (a later moment's model): pending throughout
        {"cy", monday - week, monday + day, true},               // reopened: a draft now, pending at every end after its drafting
    };
    const auto counts = pending_at_week_ends(spans, weeks, now);
    auto at = [&](const std::string& coach, std::size_t w) {
        auto it = counts.find({coach, w});
        return it == counts.end() ? 0 : it->second;
    };
    CHECK(at("ann", 0) == 2);
    CHECK(at("ann", 1) == 1);
    CHECK(at("ann", 2) == 1);
    CHECK(at("bob", 0) == 1);
    CHECK(at("bob", 1) == 1);
    CHECK(at("bob", 2) == 2);
    CHECK(at("cy", 0) == 1);
    CHECK(at("cy", 2) == 1);
    CHECK(at("", 0) == 4);
    CHECK(at("", 1) == 3);
    CHECK(at("", 2) == 4);
    CHECK(pending_at_week_ends({}, weeks, now).empty());
}
