// Summary decisions: refine a draft (each request an event with before and after), approve, reopen, and who may.
#include <doctest/doctest.h>

#include "tests/support/given_when_then.hpp"
#include "commands/summary.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
const OrganizationId org{"org-1"};

SummaryState draft() {
    SummaryState state;
    state = debrief::testing::folded<Summary>(state, {events::SummaryDrafted{SummaryId{"sum-1"}, SessionId{"s-1"}, ClientId{"client-1"}, UserId{"coach-1"},
                                          events::SummaryContent{{"Closed two escalations"}, {"Late notes"}, {{"Block chat", "client-1", ""}}, {}},
                                          "high", false, 0.3, "builtin-1"}});
    return state;
}
UserState coach(UserId lead = {}) {
    UserState state;
    state.exists = true;
    state.organization_id = org;
    state.role = "coach";
    state.lead_id = std::move(lead);
    return state;
}
Actor the_coach() { return {UserId{"coach-1"}, org, "coach"}; }
RefineSummary refine(std::string message, Actor actor = the_coach()) { return {SummaryId{"sum-1"}, std::move(actor), std::move(message), "2026-11-20", std::nullopt}; }
}  // namespace

TEST_CASE("a refinement is an event with the request, the reply and the content before and after") {
    auto events = decide(draft(), refine("add action item: call the supplier by Friday"), coach());
    REQUIRE(events.ok());
    const auto& refined = std::get<events::SummaryRefined>(events->at(0));
    CHECK(refined.message == "add action item: call the supplier by Friday");
    CHECK(refined.before == draft().content);
    REQUIRE(refined.after.action_items.size() == 2);
    CHECK(refined.after.action_items[1].title == "Call the supplier");
    CHECK(refined.after.action_items[1].due_date == "2026-11-27");
    CHECK(refined.refiner == "builtin-1");
    auto state = debrief::testing::folded<Summary>(draft(), {events->at(0)});
    CHECK(state.content == refined.after);
    CHECK(state.drafted == draft().drafted);  // the analyser's version is kept
    CHECK(state.last_reply == refined.reply);
    CHECK(state.version == 2);
}

TEST_CASE("approval freezes the summary; reopening makes it a draft again") {
    auto approved = decide(draft(), ApproveSummary{SummaryId{"sum-1"}, the_coach(), {ActionItemId{"ai-1"}}}, coach());
    REQUIRE(approved.ok());
    CHECK(std::get<events::SummaryApproved>(approved->at(0)).content == draft().content);
    // Its action item becomes an action item of its own, in the same append.
    REQUIRE(approved->size() == 2);
    const auto& item = std::get<events::ActionItemCreated>(approved->at(1));
    CHECK(item.action_item_id.value == "ai-1");
    CHECK(item.title == "Block chat");
    CHECK(item.owner_id == "client-1");
    CHECK(item.source == "summary");
    CHECK(item.summary_id.value == "sum-1");
    CHECK(item.session_id.value == "s-1");
    CHECK(item.coach_id.value == "coach-1");
    auto state = debrief::testing::folded<Summary>(draft(), {approved->at(0)});
    CHECK(state.status == SummaryStatus::approved);
    CHECK(decide(state, refine("remove win 1"), coach()).error().code == "summary_approved");
    CHECK(decide(state, ApproveSummary{SummaryId{"sum-1"}, the_coach(), {ActionItemId{"ai-1"}}}, coach()).error().code == "summary_already_approved");
    CHECK(decide(draft(), ReopenSummary{SummaryId{"sum-1"}, the_coach(), ""}, coach()).error().code == "summary_not_approved");
    auto reopened = decide(state, ReopenSummary{SummaryId{"sum-1"}, the_coach(), "the client asked for a change"}, coach());
    REQUIRE(reopened.ok());
    state = debrief::testing::folded<Summary>(state, {reopened->at(0)});
    CHECK(state.status == SummaryStatus::draft);
    CHECK(decide(state, refine("remove win 1"), coach()).ok());
}

TEST_CASE("who may refine or approve a summary") {
    CHECK(decide(draft(), refine("remove win 1", {UserId{"coach-2"}, org, "coach"}), coach()).error().kind == ErrorKind::forbidden);
    CHECK(decide(draft(), refine("remove win 1", {UserId{"lead-1"}, org, "coach_lead"}), coach(UserId{"lead-1"})).ok());
    CHECK(decide(draft(), refine("remove win 1", {UserId{"lead-2"}, org, "coach_lead"}), coach(UserId{"lead-1"})).error().kind ==
          ErrorKind::forbidden);
    CHECK(decide(draft(), refine("remove win 1", {UserId{"admin-1"}, org, "admin"}), coach()).ok());
    CHECK(decide(draft(), ApproveSummary{SummaryId{"sum-1"}, {UserId{"client-user"}, org, "client"}, {}}, coach()).error().kind == ErrorKind::forbidden);
    auto foreign = decide(draft(), refine("remove win 1", {UserId{"admin-9"}, OrganizationId{"org-2"}, "admin"}), coach());
    CHECK(foreign.error().code == "summary_not_found");
    CHECK(decide(SummaryState{}, refine("remove win 1"), coach()).error().code == "summary_not_found");
}

TEST_CASE("a refinement the refiner cannot do appends nothing and says what it can do") {
    auto events = decide(draft(), refine("rewrite it as a haiku"), coach());
    REQUIRE_FALSE(events.ok());
    CHECK(events.error().code == "refinement_unsupported");
    CHECK(events.error().message.find("add action item") != std::string::npos);
}
