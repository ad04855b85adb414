// Follow-ups as pure decisions: drafted from an approved summary and a template, scheduled, delivered or retried.
#include <doctest/doctest.h>

#include "commands/follow_up.hpp"
#include "tests/support/given_when_then.hpp"

using namespace debrief;
using namespace debrief::commands;
using debrief::testing::given;
using debrief::testing::Scenario;

namespace {
const OrganizationId org{"org-1"};
constexpr std::int64_t now = 1'800'000'000'000;
Actor coach() { return {UserId{"coach-1"}, org, "coach"}; }

struct World {
    SummaryState summary;
    SessionState session;
    ClientState client;
    UserState coach_user;
    std::string organization_name = "Acme Coaching";
    TemplateState chosen = *system_template_state("system:email", org);
    World() {
        summary.exists = true;
        summary.organization_id = org;
        summary.session_id = SessionId{"s-1"};
        summary.client_id = ClientId{"client-1"};
        summary.coach_id = UserId{"coach-1"};
        summary.status = SummaryStatus::approved;
        summary.content = {{"Closed two escalations"}, {"Late notes"}, {{"Block chat during calls", "client-1", "2026-11-27"}}, {"Batch notes"}};
        session.exists = true;
        session.organization_id = org;
        session.session_date = "2026-11-20";
        session.session_type = "call_review";
        client.exists = true;
        client.organization_id = org;
        client.name = "Maria Lopez";
        client.email = "maria@example.com";
        client.coach_id = UserId{"coach-1"};
        coach_user.exists = true;
        coach_user.organization_id = org;
        coach_user.role = "coach";
        coach_user.name = "Sam Rivera";
        coach_user.email = "sam@example.com";
    }
    FollowUpFacts facts() const { return {summary, session, client, coach_user, organization_name, chosen}; }
};

DraftFollowUp a_draft(Actor who = coach()) { return {FollowUpId{"f-1"}, std::move(who), SummaryId{"sum-1"}, "system:email", "", std::nullopt, std::nullopt}; }

Error refused(const Result<std::vector<events::Payload>>& result) {
    REQUIRE_FALSE(result.ok());
    return result.error();
}

// A follow-up drafted by its decider, then sent now.
Scenario<FollowUp> scheduled(const World& w) {
    auto scenario = given<FollowUp>();
    scenario.when([&](const FollowUpState& state) { return decide(state, a_draft(), w.facts()); }).then_events([](const auto&) {});
    scenario.when([&](const FollowUpState& state) { return decide(state, SendFollowUp{FollowUpId{"f-1"}, coach(), now, 0}, w.coach_user); })
        .then({events::FollowUpScheduled{FollowUpId{"f-1"}, now}});
    return scenario;
}
}  // namespace

TEST_CASE("a follow-up is rendered from the template and the approved summary, to the client's e-mail") {
    World w;
    auto drafted = decide(FollowUpState{}, a_draft(), w.facts());
    REQUIRE(drafted.ok());
    const auto& e = std::get<events::FollowUpDrafted>(drafted->front());
    CHECK(e.recipient == "maria@example.com");
    CHECK(e.subject == "Your session on 2026-11-20: summary and next steps");
    CHECK(e.body.starts_with("Hi Maria,\n"));
    CHECK(e.body.find("- Closed two escalations") != std::string::npos);
    CHECK(e.body.find("- Block chat during calls (by 2026-11-27)") != std::string::npos);
    CHECK(e.body.find("Sam Rivera") != std::string::npos);
    CHECK(e.body.find("{{") == std::string::npos);
    CHECK(e.template_id == "system:email");
    CHECK(e.session_id == SessionId{"s-1"});
    auto state = debrief::testing::folded<FollowUp>(drafted.value());
    CHECK(state.status == FollowUpStatus::draft);
    CHECK(state.version == 1);
}

TEST_CASE("the coach may override the recipient, subject and body") {
    World w;
    auto command = a_draft();
    command.recipient = "maria.private@example.org";
    command.subject = "Thanks!";
    command.body = "See you next week.";
    auto drafted = decide(FollowUpState{}, command, w.facts());
    REQUIRE(drafted.ok());
    const auto& e = std::get<events::FollowUpDrafted>(drafted->front());
    CHECK(e.recipient == "maria.private@example.org");
    CHECK(e.subject == "Thanks!");
    CHECK(e.body == "See you next week.");
}

TEST_CASE("drafting is refused before approval, without a recipient, with a wrong template, or from outside") {
    World w;
    w.summary.status = SummaryStatus::draft;
    CHECK(refused(decide(FollowUpState{}, a_draft(), w.facts())).code == "summary_not_approved");
    w = World{};
    w.client.email.clear();
    CHECK(refused(decide(FollowUpState{}, a_draft(), w.facts())).code == "recipient_missing");
    auto bad_to = a_draft();
    bad_to.recipient = "maria@example.com>\r\nBcc: x@y.z";
    CHECK(refused(decide(FollowUpState{}, bad_to, World{}.facts())).code == "invalid_recipient");
    w = World{};
    w.chosen = *system_template_state("system:summary", org);
    CHECK(refused(decide(FollowUpState{}, a_draft(), w.facts())).code == "template_kind");
    w.chosen = TemplateState{};
    CHECK(refused(decide(FollowUpState{}, a_draft(), w.facts())).code == "template_not_found");
    w = World{};
    w.chosen.owner_id = UserId{"coach-2"};
    CHECK(refused(decide(FollowUpState{}, a_draft(), w.facts())).kind == ErrorKind::forbidden);
    CHECK(refused(decide(FollowUpState{}, a_draft({UserId{"u"}, OrganizationId{"org-2"}, "admin"}), World{}.facts())).code == "summary_not_found");
    CHECK(refused(decide(FollowUpState{}, a_draft({UserId{"coach-2"}, org, "coach"}), World{}.facts())).kind == ErrorKind::forbidden);
    CHECK(refused(decide(FollowUpState{}, a_draft({UserId{"c"}, org, "client"}), World{}.facts())).kind == ErrorKind::forbidden);
    auto empty_body = a_draft();
    empty_body.body = "  ";
    CHECK(refused(decide(FollowUpState{}, empty_body, World{}.facts())).code == "missing_field");
}

TEST_CASE("sending schedules into the outbox: now, or at a later time; never twice") {
    World w;
    const FollowUpId id{"f-1"};
    auto send = [&](Actor who, std::int64_t at) {
        return [=, &w](const FollowUpState& state) { return decide(state, SendFollowUp{id, who, now, at}, w.coach_user); };
    };
    auto draft = given<FollowUp>();
    draft.when([&](const FollowUpState& state) { return decide(state, a_draft(), w.facts()); }).then_events([](const auto&) {});
    auto past = draft;
    past.when(send(coach(), now - 5000)).then({events::FollowUpScheduled{id, now}});  // a time in the past is now
    auto too_far = draft;
    too_far.when(send(coach(), now + max_schedule_ahead_ms + 1)).then_error("invalid_send_at");
    draft.when(send(coach(), now + 3'600'000)).then({events::FollowUpScheduled{id, now + 3'600'000}});
    CHECK(draft.state().status == FollowUpStatus::scheduled);
    CHECK(draft.state().next_attempt_ms == now + 3'600'000);
    draft.when(send(coach(), 0)).then_error("follow_up_scheduled");
    draft.when(send({UserId{"coach-2"}, org, "coach"}, 0)).then_error("forbidden");
    given<FollowUp>().when([&](const FollowUpState& state) { return decide(state, SendFollowUp{FollowUpId{"f-9"}, coach(), now, 0}, w.coach_user); })
        .then_error("follow_up_not_found");
}

TEST_CASE("a failed delivery is retried with doubling delays, then gives up and can be sent again") {
    World w;
    const FollowUpId id{"f-1"};
    auto scenario = scheduled(w);
    RetryPolicy policy{1000, 5000, 4};
    CHECK(policy.delay_after(1) == 1000);
    CHECK(policy.delay_after(2) == 2000);
    CHECK(policy.delay_after(3) == 4000);
    CHECK(policy.delay_after(4) == 5000);  // capped
    auto deliver = [&](int attempt, bool ok, std::string error) {
        return [=](const FollowUpState& state) { return decide(state, RecordDelivery{id, attempt, ok, "smtp", error, now, policy}); };
    };
    for (int attempt = 1; attempt <= 3; ++attempt) {
        scenario.when(deliver(attempt, false, "451 try later")).then({events::FollowUpDeliveryFailed{id, attempt, "451 try later", now + policy.delay_after(attempt), false, ClientId{"client-1"}}});
        CHECK(scenario.state().status == FollowUpStatus::scheduled);
    }
    CHECK(scenario.state().last_error == "451 try later");
    scenario.when(deliver(2, true, "")).then_error("delivery_stale");
    scenario.when(deliver(4, false, "connection refused")).then({events::FollowUpDeliveryFailed{id, 4, "connection refused", 0, true, ClientId{"client-1"}}});
    CHECK(scenario.state().status == FollowUpStatus::failed);
    // Never lost: a failed follow-up is sent again on request, with a fresh count of attempts.
    scenario.when([&](const FollowUpState& state) { return decide(state, SendFollowUp{id, coach(), now, 0}, w.coach_user); })
        .then({events::FollowUpScheduled{id, now}});
    CHECK(scenario.state().status == FollowUpStatus::scheduled);
    CHECK(scenario.state().attempts == 0);
}

TEST_CASE("a delivered follow-up is sent once, with a stable Message-ID") {
    World w;
    const FollowUpId id{"f-1"};
    auto scenario = scheduled(w);
    scenario.when([&](const FollowUpState& state) { return decide(state, RecordDelivery{id, 1, true, "file", "", now, RetryPolicy{}}); })
        .then({events::FollowUpSent{id, 1, "file", message_id_of(id)}});
    CHECK(scenario.state().status == FollowUpStatus::sent);
    scenario.when([&](const FollowUpState& state) { return decide(state, SendFollowUp{id, coach(), now, 0}, w.coach_user); }).then_error("follow_up_sent");
    scenario.when([&](const FollowUpState& state) { return decide(state, RecordDelivery{id, 2, true, "file", "", now, RetryPolicy{}}); })
        .then_error("delivery_stale");
}

TEST_CASE("a summary is written out with a summary template; other kinds and other coaches' templates are refused") {
    World w;
    auto text = render_summary(*system_template_state("system:summary", org), w.summary, w.session, w.client, w.coach_user, w.organization_name);
    REQUIRE(text.ok());
    CHECK(text.value().starts_with("Session with Maria Lopez on 2026-11-20 (call review)"));
    CHECK(text.value().find("Action items:\n- Block chat during calls (by 2026-11-27)") != std::string::npos);
    CHECK(render_summary(*system_template_state("system:email", org), w.summary, w.session, w.client, w.coach_user, w.organization_name).error().code ==
          "template_kind");
    auto foreign = *system_template_state("system:summary", OrganizationId{"org-2"});
    CHECK(render_summary(foreign, w.summary, w.session, w.client, w.coach_user, w.organization_name).error().code == "template_not_found");
    auto someone_elses = *system_template_state("system:summary", org);
    someone_elses.owner_id = UserId{"coach-2"};
    CHECK(render_summary(someone_elses, w.summary, w.session, w.client, w.coach_user, w.organization_name).error().kind == ErrorKind::forbidden);
}
