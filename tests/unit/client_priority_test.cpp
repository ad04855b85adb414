// The coach dashboard's priority rule: each signal's part and its reason, the caps, the order of the queue, and the
// usual gap between sessions.
#include <doctest/doctest.h>

#include "projections/dashboard/client_priority.hpp"

using namespace debrief;
using namespace debrief::projections::dashboard;

namespace {

ClientSignals quiet_client(std::string name = "Quinn Ray") {
    ClientSignals s;
    s.client_id = "id-" + name;
    s.client_name = std::move(name);
    s.days_since_last_session = 3;
    s.usual_gap_days = 7;
    return s;
}

commands::metrics::MetricTrend trend(std::string metric, double previous, double latest) {
    return commands::metrics::trend_of(std::move(metric), {{"2026-11-20", latest}, commands::metrics::MetricPoint{"2026-11-13", previous}});
}

}  // namespace

TEST_CASE("a client with nothing to act on scores 0 and has no reasons") {
    auto entry = prioritize(quiet_client());
    CHECK(entry.score == 0);
    CHECK(entry.reasons.empty());
}

TEST_CASE("each signal adds its part and says why") {
    auto s = quiet_client();
    s.overdue_action_items = 2;
    auto entry = prioritize(s);
    CHECK(entry.score == doctest::Approx(10));
    REQUIRE(entry.reasons.size() == 1);
    CHECK(entry.reasons[0] == "2 overdue actions");

    s = quiet_client();
    s.metric_trends = {trend("csat", 4.5, 3.96), trend("aht_seconds", 300, 310)};  // CSAT fell 12%, AHT rose 3%: no drop
    entry = prioritize(s);
    CHECK(entry.score == doctest::Approx(15 * 0.12 / 0.25).epsilon(0.01));
    REQUIRE(entry.reasons.size() == 1);
    CHECK(entry.reasons[0] == "CSAT fell 12%");

    s = quiet_client();
    s.days_since_last_session = 23;
    entry = prioritize(s);
    CHECK(entry.score == 15);  // more than twice the usual gap: the whole part
    REQUIRE(entry.reasons.size() == 1);
    CHECK(entry.reasons[0] == "no session for 23 days, usually every 7");

    s = quiet_client();
    s.latest_engagement = "low";
    s.previous_engagement = "high";
    s.latest_priority = 0.6;
    s.pending_reviews = 1;
    s.unaddressed_notes = 1;
    entry = prioritize(s);
    CHECK(entry.score == doctest::Approx(15 + 6.7 + 5 + 5).epsilon(0.01));
    REQUIRE(entry.reasons.size() == 4);
    CHECK(entry.reasons[0] == "latest summary's priority 0.6");  // largest part first
    CHECK(entry.reasons[1] == "engagement fell from high to low");
}

TEST_CASE("a lower-is-better KPI that rose is a drop; parts are capped and the total is at most 100") {
    auto s = quiet_client();
    s.metric_trends = {trend("aht_seconds", 300, 360)};
    auto entry = prioritize(s);
    REQUIRE(entry.reasons.size() == 1);
    CHECK(entry.reasons[0] == "AHT seconds rose 20%");

    s = quiet_client();
    s.latest_priority = 1;
    s.overdue_action_items = 9;
    s.unaddressed_notes = 7;
    s.metric_trends = {trend("csat", 5, 2)};
    s.days_since_last_session = 90;
    s.pending_reviews = 4;
    s.latest_engagement = "silent";
    s.previous_engagement = "high";
    entry = prioritize(s);
    CHECK(entry.score == 100);
    CHECK(entry.reasons.size() == 7);
    CHECK(entry.reasons[1] == "9 overdue actions");  // the count is told even where the part is capped
}

TEST_CASE("a client never seen scores for it; without a usual gap the default one applies") {
    auto s = quiet_client();
    s.days_since_last_session.reset();
    s.usual_gap_days.reset();
    auto entry = prioritize(s);
    CHECK(entry.score == 7.5);
    CHECK(entry.reasons == std::vector<std::string>{"no session yet"});

    s.days_since_last_session = 10;  // under the default gap of 14
    CHECK(prioritize(s).score == 0);
    s.days_since_last_session = 21;
    entry = prioritize(s);
    CHECK(entry.score == doctest::Approx(7.5));
    CHECK(entry.reasons == std::vector<std::string>{"no session for 21 days"});
}

TEST_CASE("the queue: highest score first, ties by name") {
    auto a = quiet_client("Ann Bell");
    auto b = quiet_client("Bo Chen");
    auto c = quiet_client("Cy Dunn");
    c.overdue_action_items = 1;
    auto queue = priority_queue({a, b, c});
    REQUIRE(queue.size() == 3);
    CHECK(queue[0].client_name == "Cy Dunn");
    CHECK(queue[1].client_name == "Ann Bell");
    CHECK(queue[2].client_name == "Bo Chen");
}

TEST_CASE("the usual gap is the median gap between distinct session days") {
    CHECK_FALSE(usual_gap_days({}).has_value());
    CHECK_FALSE(usual_gap_days({10, 17}).has_value());
    CHECK_FALSE(usual_gap_days({10, 10, 17}).has_value());  // two sessions on one day are one day
    CHECK(*usual_gap_days({31, 10, 17}) == 10.5);
    CHECK(*usual_gap_days({0, 7, 14, 50}) == 7);
}
