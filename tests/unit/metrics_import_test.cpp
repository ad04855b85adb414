// The metrics import aggregate and the drop rule as pure decisions: who may import, stage, commit and discard, what a
// drop is, and how a drop raises a drafted summary's priority.
#include <doctest/doctest.h>

#include "tests/support/given_when_then.hpp"
#include "commands/metrics/metric_trends.hpp"
#include "commands/metrics_import.hpp"
#include "commands/session.hpp"

using namespace debrief;
using namespace debrief::commands;
using metrics::MetricHistory;
using metrics::MetricPoint;

namespace {
const OrganizationId org{"org-1"};
Actor coach() { return {UserId{"coach-1"}, org, "coach"}; }
UserState user(std::string role, UserId lead = {}) {
    UserState state;
    state.exists = true;
    state.organization_id = org;
    state.role = std::move(role);
    state.lead_id = std::move(lead);
    return state;
}
NamedClient named(UserId coach_id = UserId{"coach-1"}, OrganizationId owner = org) {
    NamedClient n;
    n.client.exists = true;
    n.client.organization_id = std::move(owner);
    n.client.coach_id = std::move(coach_id);
    n.coach = user("coach", UserId{"lead-1"});
    return n;
}
metrics::MetricsFile file(std::size_t rows = 2) {
    metrics::MetricsFile f{{"csat"}, {}};
    for (std::size_t i = 0; i < rows; ++i)
        f.rows.push_back({static_cast<std::uint32_t>(i + 2), ClientId{"c-1"}, "2026-11-" + std::to_string(10 + i % 18), {{"csat", 4.0}}});
    return f;
}
std::string code_of(const Result<std::vector<events::Payload>>& result) { return result ? "accepted" : result.error().code; }
MetricsImportState staged() {
    auto events = decide(MetricsImportState{}, StageMetricsImport{MetricsImportId{"mi-1"}, coach(), "nov.csv", file()}, {{ClientId{"c-1"}, named()}});
    REQUIRE(events.ok());
    MetricsImportState state;
    for (const auto& e : events.value()) state = debrief::testing::folded<MetricsImport>(state, {e});
    return state;
}
}  // namespace

TEST_CASE("a coach stages a checked file of their clients' KPIs") {
    auto events = decide(MetricsImportState{}, StageMetricsImport{MetricsImportId{"mi-1"}, coach(), "  nov.csv ", file()}, {{ClientId{"c-1"}, named()}});
    REQUIRE(events.ok());
    REQUIRE(events->size() == 1);
    const auto& e = std::get<events::MetricsImportStaged>(events->at(0));
    CHECK(e.importer_id.value == "coach-1");
    CHECK(e.file_name == "nov.csv");
    CHECK(e.row_count == 2);
    CHECK(e.metrics == std::vector<std::string>{"csat"});
    CHECK(e.rows == file().rows);
    auto state = staged();
    CHECK(state.status == MetricsImportStatus::staged);
    CHECK(state.version == 1);
    CHECK(state.rows.size() == 2);
}

TEST_CASE("a file name that is not valid UTF-8 is refused before anything is appended") {
    // From the query string (?file_name=%FF): the read model's database cannot store it, so it must never reach the log.
    for (const auto* name : {"\xFF.csv", "nov\xC3.csv", "\xED\xA0\x80.csv"}) {
        auto events = decide(MetricsImportState{}, StageMetricsImport{MetricsImportId{"mi-1"}, coach(), name, file()}, {{ClientId{"c-1"}, named()}});
        REQUIRE_FALSE(events.ok());
        CHECK(events.error().code == "invalid_field");
    }
    CHECK(decide(MetricsImportState{}, StageMetricsImport{MetricsImportId{"mi-1"}, coach(), "no\xC3\xABl.csv", file()}, {{ClientId{"c-1"}, named()}}).ok());
}

TEST_CASE("a large import is staged in chunks of one append, each under Kafka's message limit") {
    auto events = decide(MetricsImportState{}, StageMetricsImport{MetricsImportId{"mi-1"}, coach(), "", file(2500)}, {{ClientId{"c-1"}, named()}});
    REQUIRE(events.ok());
    REQUIRE(events->size() == 3);
    CHECK(std::get<events::MetricsImportStaged>(events->at(0)).rows.size() == 1000);
    CHECK(std::get<events::MetricsImportStaged>(events->at(0)).row_count == 2500);
    CHECK(std::get<events::MetricsImportRowsStaged>(events->at(2)).rows.size() == 500);
    MetricsImportState state;
    for (const auto& e : events.value()) state = debrief::testing::folded<MetricsImport>(state, {e});
    CHECK(state.rows == file(2500).rows);
}

TEST_CASE("staging is refused for clients, foreign or unmanaged clients, bad file names and an existing id") {
    const std::map<ClientId, NamedClient> ok{{ClientId{"c-1"}, named()}};
    auto stage = [&](Actor actor, const std::map<ClientId, NamedClient>& clients, std::string name = "") {
        return code_of(decide(MetricsImportState{}, StageMetricsImport{MetricsImportId{"mi-1"}, std::move(actor), std::move(name), file()}, clients));
    };
    CHECK(stage({UserId{"u-client"}, org, "client"}, ok) == "forbidden");
    CHECK(stage(coach(), {{ClientId{"c-1"}, named(UserId{"coach-1"}, OrganizationId{"org-2"})}}) == "client_not_found");
    CHECK(stage(coach(), {}) == "client_not_found");
    CHECK(stage({UserId{"coach-2"}, org, "coach"}, ok) == "forbidden");  // another coach's client
    CHECK(stage({UserId{"lead-1"}, org, "coach_lead"}, ok) == "accepted");  // the lead of the client's coach
    CHECK(stage({UserId{"admin-1"}, org, "admin"}, ok) == "accepted");
    CHECK(stage(coach(), ok, std::string(256, 'x')) == "invalid_field");
    CHECK(stage(coach(), ok, "a\nb") == "invalid_field");
    CHECK(code_of(decide(staged(), StageMetricsImport{MetricsImportId{"mi-1"}, coach(), "", file()}, ok)) == "import_exists");
    CHECK(code_of(decide(MetricsImportState{}, StageMetricsImport{MetricsImportId{"mi-1"}, coach(), "", metrics::MetricsFile{}}, ok)) ==
          "metrics_empty");
}

TEST_CASE("the importer, their lead or an admin commits or discards a staged import, once") {
    auto state = staged();
    auto importer = user("coach", UserId{"lead-1"});
    auto commit = [&](const MetricsImportState& s, Actor actor) { return decide(s, CommitMetricsImport{MetricsImportId{"mi-1"}, std::move(actor)}, importer); };
    auto discard = [&](const MetricsImportState& s, Actor actor) {
        return decide(s, DiscardMetricsImport{MetricsImportId{"mi-1"}, std::move(actor)}, importer);
    };
    auto committed = commit(state, coach());
    REQUIRE(committed.ok());
    CHECK(std::get<events::MetricsImportCommitted>(committed->at(0)).import_id.value == "mi-1");
    CHECK(code_of(commit(state, {UserId{"lead-1"}, org, "coach_lead"})) == "accepted");
    CHECK(code_of(commit(state, {UserId{"lead-2"}, org, "coach_lead"})) == "forbidden");
    CHECK(code_of(commit(state, {UserId{"admin-1"}, org, "admin"})) == "accepted");
    CHECK(code_of(commit(state, {UserId{"coach-2"}, org, "coach"})) == "forbidden");
    CHECK(code_of(commit(state, {UserId{"u-client"}, org, "client"})) == "forbidden");
    CHECK(code_of(commit(state, {UserId{"coach-1"}, OrganizationId{"org-2"}, "coach"})) == "import_not_found");
    CHECK(code_of(commit(MetricsImportState{}, coach())) == "import_not_found");

    auto after_commit = debrief::testing::folded<MetricsImport>(state, {committed->at(0)});
    CHECK(after_commit.status == MetricsImportStatus::committed);
    CHECK(after_commit.rows.empty());
    CHECK(code_of(commit(after_commit, coach())) == "import_committed");
    CHECK(code_of(discard(after_commit, coach())) == "import_committed");
    auto discarded = discard(state, coach());
    REQUIRE(discarded.ok());
    auto after_discard = debrief::testing::folded<MetricsImport>(state, {discarded->at(0)});
    CHECK(after_discard.status == MetricsImportStatus::discarded);
    CHECK(code_of(discard(after_discard, coach())) == "import_discarded");
    CHECK(code_of(commit(after_discard, coach())) == "import_discarded");
}

TEST_CASE("a metric's history keeps its two latest values by date; a later import overwrites the same day") {
    auto h = metrics::fold(std::nullopt, {"2026-11-13", 4.6});
    h = metrics::fold(h, {"2026-11-20", 3.9});
    CHECK(h == MetricHistory{{"2026-11-20", 3.9}, MetricPoint{"2026-11-13", 4.6}});
    h = metrics::fold(h, {"2026-11-20", 4.0});
    CHECK(h == MetricHistory{{"2026-11-20", 4.0}, MetricPoint{"2026-11-13", 4.6}});
    h = metrics::fold(h, {"2026-11-01", 1.0});  // older than both: not recent
    CHECK(h.previous->date == "2026-11-13");
    h = metrics::fold(h, {"2026-11-15", 4.4});  // between: the new previous
    CHECK(h.previous == MetricPoint{"2026-11-15", 4.4});
}

TEST_CASE("a drop is a move the wrong way of at least 10%; handle time and the like are better low") {
    auto trend = [](std::string metric, double before, double after) {
        return metrics::trend_of(std::move(metric), MetricHistory{{"2026-11-20", after}, MetricPoint{"2026-11-13", before}});
    };
    CHECK(trend("csat", 4.6, 3.9).drop);
    CHECK(trend("csat", 4.6, 3.9).trend == "down");
    CHECK_FALSE(trend("csat", 4.6, 4.2).drop);  // 8.7%: worse, not a drop
    CHECK(trend("csat", 4.6, 4.2).worse);
    CHECK(trend("csat", 4.0, 3.6).drop);          // exactly 10%
    CHECK_FALSE(trend("csat", 3.9, 4.6).worse);
    CHECK(trend("aht_seconds", 300, 330).drop);   // handle time up 10%
    CHECK_FALSE(trend("aht_seconds", 330, 300).worse);
    CHECK(trend("transfer_rate", 5, 6).drop);
    CHECK(trend("abandon_rate", 5, 6).worse);
    CHECK_FALSE(trend("csat", 0, -1).drop);       // no ratio from zero
    CHECK(trend("quality_score", 90, 90).trend == "flat");
    CHECK_FALSE(metrics::trend_of("csat", MetricHistory{{"2026-11-20", 1}, std::nullopt}).worse);
    auto drops = metrics::drops_of({{"csat", {{"2026-11-20", 3.9}, MetricPoint{"2026-11-13", 4.6}}},
                                    {"fcr_rate", {{"2026-11-20", 80}, MetricPoint{"2026-11-13", 81}}}});
    REQUIRE(drops.size() == 1);
    CHECK(metrics::drop_recommendation(drops[0]).starts_with("CSAT fell from 4.6 to 3.9 in the 2026-11-20 import: "));
    CHECK(metrics::display_name("aht_seconds") == "AHT seconds");
    CHECK(metrics::display_name("quality_score") == "Quality score");
}

TEST_CASE("a client's KPI drop raises the priority of their drafted summary and leads its recommendations") {
    const OrganizationId o{"org-1"};
    CreateSession create{SessionId{"s-1"}, coach(), "2026-11-21", "call_review", "plain",
                         "Coach: How did the week go?\nMaria: Busy. I closed two escalations and I feel good about it.\n", {}, ""};
    SessionState session;
    auto created = decide(SessionState{}, create, {});  // kept: a range-for over a temporary's member would dangle
    REQUIRE(created.ok());
    for (const auto& e : created.value()) session = debrief::testing::folded<Session>(session, {e}, o);
    ParseTranscript plain{SessionId{"s-1"}, "Sam Coach", {}, {ClientId{"c-maria"}}, {SummaryId{"sum-1"}}, {}};
    auto with_drop = plain;
    with_drop.metric_drops[ClientId{"c-maria"}] = metrics::drops_of({{"csat", {{"2026-11-20", 3.9}, MetricPoint{"2026-11-13", 4.6}}}});
    auto without = decide(session, plain);
    auto raised = decide(session, with_drop);
    REQUIRE(without.ok());
    REQUIRE(raised.ok());
    auto draft_of = [](const std::vector<events::Payload>& events) {
        for (const auto& e : events)
            if (const auto* d = std::get_if<events::SummaryDrafted>(&e)) return *d;
        FAIL("no draft");
        return events::SummaryDrafted{};
    };
    auto before = draft_of(without.value());
    auto after = draft_of(raised.value());
    CHECK(after.priority_score == doctest::Approx(std::min(1.0, before.priority_score + metrics::drop_priority_raise)));
    REQUIRE_FALSE(after.content.coach_recommendations.empty());
    CHECK(after.content.coach_recommendations.front().starts_with("CSAT fell from 4.6 to 3.9 in the 2026-11-20 import"));
    CHECK(after.content.coach_recommendations.size() == before.content.coach_recommendations.size() + 1);
}
