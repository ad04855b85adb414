// Action items as pure decisions: creation by hand, the transitions, owners, dates, and who may do what.
#include <doctest/doctest.h>

#include "commands/action_item.hpp"
#include "commands/client.hpp"
#include "tests/support/given_when_then.hpp"

using namespace debrief;
using namespace debrief::commands;
using debrief::testing::given;

namespace {
const OrganizationId org{"org-1"};
UserState user(std::string role, UserId lead = {}) {
    UserState state;
    state.exists = true;
    state.organization_id = org;
    state.role = std::move(role);
    state.lead_id = std::move(lead);
    return state;
}
ClientState client() {
    ClientState state;
    state.exists = true;
    state.organization_id = org;
    state.coach_id = UserId{"coach-1"};
    return state;
}
const UserState nobody{};
Actor coach() { return {UserId{"coach-1"}, org, "coach"}; }
const events::ActionItemCreated created{ActionItemId{"ai-1"}, ClientId{"client-1"}, UserId{"coach-1"}, "Block chat", "client-1", "2026-11-27",
                                        "summary", SessionId{"s-1"}, SummaryId{"sum-1"}};
ActionItemState open_item() { return debrief::testing::folded<ActionItem>({created}); }
ChangeActionItem change(ActionItemChangeKind kind, std::string value = {}, Actor actor = coach(), ClientId actor_client = {}) {
    return {ActionItemId{"ai-1"}, std::move(actor), kind, std::move(value), std::move(actor_client)};
}
std::string code_of(const Result<std::vector<events::Payload>>& result) { return result ? "accepted" : result.error().code; }
}  // namespace

TEST_CASE("a coach creates an action item for their client; the owner defaults to the client") {
    CreateActionItem command{ActionItemId{"ai-9"}, coach(), ClientId{"client-1"}, "  Call the supplier ", "", "2026-11-27"};
    auto events = decide(ActionItemState{}, command, client(), user("coach"), nobody);
    REQUIRE(events.ok());
    const auto& created = std::get<events::ActionItemCreated>(events->at(0));
    CHECK(created.title == "Call the supplier");
    CHECK(created.owner_id == "client-1");
    CHECK(created.source == "manual");
    CHECK(created.coach_id.value == "coach-1");
    command.owner_id = "coach-1";
    CHECK(code_of(decide(ActionItemState{}, command, client(), user("coach"), user("coach"))) == "accepted");
    command.owner_id = "someone";
    CHECK(code_of(decide(ActionItemState{}, command, client(), user("coach"), nobody)) == "owner_not_found");
    CHECK(code_of(decide(ActionItemState{}, command, client(), user("coach"), user("client"))) == "invalid_owner");
}

TEST_CASE("creating an action item is refused for a bad title or date, a foreign client, or the wrong coach") {
    CreateActionItem command{ActionItemId{"ai-9"}, coach(), ClientId{"client-1"}, " ", "", ""};
    CHECK(code_of(decide(ActionItemState{}, command, client(), user("coach"), nobody)) == "missing_field");
    command.title = std::string(301, 't');
    CHECK(code_of(decide(ActionItemState{}, command, client(), user("coach"), nobody)) == "field_too_long");
    command.title = "Call";
    command.due_date = "2026-13-01";
    CHECK(code_of(decide(ActionItemState{}, command, client(), user("coach"), nobody)) == "invalid_due_date");
    command.due_date = "";
    CHECK(code_of(decide(ActionItemState{}, command, ClientState{}, user("coach"), nobody)) == "client_not_found");
    command.actor = {UserId{"coach-2"}, org, "coach"};
    CHECK(code_of(decide(ActionItemState{}, command, client(), user("coach"), nobody)) == "forbidden");
}

TEST_CASE("complete, reopen, cancel: only from the states where they make sense") {
    const ActionItemId id{"ai-1"};
    auto by_coach = [&](ActionItemChangeKind kind, std::string value = {}) {
        return [=](const ActionItemState& item) { return decide(item, change(kind, value), user("coach"), nobody); };
    };
    auto scenario = given<ActionItem>({created});
    scenario.when(by_coach(ActionItemChangeKind::complete)).then({events::ActionItemCompleted{id}});
    CHECK(scenario.state().status == ActionItemStatus::done);
    scenario.when(by_coach(ActionItemChangeKind::complete)).then_error("action_item_not_open");
    scenario.when(by_coach(ActionItemChangeKind::cancel)).then_error("action_item_not_open");
    scenario.when(by_coach(ActionItemChangeKind::reopen)).then({events::ActionItemReopened{id}});
    CHECK(scenario.state().status == ActionItemStatus::open);
    scenario.when(by_coach(ActionItemChangeKind::reopen)).then_error("action_item_open");
    scenario.when(by_coach(ActionItemChangeKind::cancel, "not needed")).then({events::ActionItemCancelled{id, "not needed", ClientId{"client-1"}}});
    CHECK(scenario.state().status == ActionItemStatus::cancelled);
    CHECK(scenario.state().version == 4);
}

TEST_CASE("assign and reschedule an open item") {
    const ActionItemId id{"ai-1"};
    given<ActionItem>({created})
        .when([](const ActionItemState& item) { return decide(item, change(ActionItemChangeKind::assign, "client-1"), user("coach"), nobody); })
        .then_error("action_item_unchanged")
        .when([](const ActionItemState& item) { return decide(item, change(ActionItemChangeKind::assign, "coach-1"), user("coach"), user("coach")); })
        .then({events::ActionItemAssigned{id, "coach-1"}})
        .when([](const ActionItemState& item) { return decide(item, change(ActionItemChangeKind::reschedule, "2026-12-04"), user("coach"), nobody); })
        .then({events::ActionItemRescheduled{id, "2026-12-04"}})
        .when([](const ActionItemState& item) { return decide(item, change(ActionItemChangeKind::reschedule, "soon"), user("coach"), nobody); })
        .then_error("invalid_due_date")
        .when([](const ActionItemState& item) { return decide(item, change(ActionItemChangeKind::reschedule, ""), user("coach"), nobody); })
        .then_error("missing_field");
    auto item = debrief::testing::folded<ActionItem>({created, events::ActionItemAssigned{id, "coach-1"}, events::ActionItemRescheduled{id, "2026-12-04"}});
    CHECK(item.owner_id == "coach-1");
    CHECK(item.due_date == "2026-12-04");
}

TEST_CASE("a client completes and reopens only their own items, and changes nothing else") {
    Actor client_actor{UserId{"user-9"}, org, "client"};
    auto item = open_item();
    CHECK(code_of(decide(item, change(ActionItemChangeKind::complete, {}, client_actor, ClientId{"client-1"}), user("coach"), nobody)) == "accepted");
    CHECK(code_of(decide(item, change(ActionItemChangeKind::complete, {}, client_actor, ClientId{"client-2"}), user("coach"), nobody)) == "forbidden");
    CHECK(code_of(decide(item, change(ActionItemChangeKind::reschedule, "2026-12-04", client_actor, ClientId{"client-1"}), user("coach"), nobody)) ==
          "forbidden");
    CHECK(code_of(decide(item, change(ActionItemChangeKind::complete, {}, {UserId{"lead-1"}, org, "coach_lead"}), user("coach", UserId{"lead-1"}),
                         nobody)) == "accepted");
    CHECK(code_of(decide(item, change(ActionItemChangeKind::complete, {}, {UserId{"a"}, OrganizationId{"org-2"}, "admin"}), user("coach"), nobody)) ==
          "action_item_not_found");
}
