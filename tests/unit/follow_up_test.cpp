// Follow-ups as pure decisions: drafted from an approved summary and a template, scheduled, delivered or retried.
#include <doctest/doctest.h>

#include "commands/follow_up.hpp"

using namespace debrief;
using namespace debrief::commands;

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

FollowUpState scheduled_state(const World& w) {
    auto drafted = decide(FollowUpState{}, a_draft(), w.facts());
    REQUIRE(drafted.ok());
    auto state = evolve(FollowUpState{}, drafted->front(), org);
    auto scheduled = decide(state, SendFollowUp{FollowUpId{"f-1"}, coach(), now, 0}, w.coach_user);
    REQUIRE(scheduled.ok());
    return evolve(state, scheduled->front(), org);
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
    auto state = evolve(FollowUpState{}, drafted->front(), org);
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
    auto state = evolve(FollowUpState{}, decide(FollowUpState{}, a_draft(), w.facts())->front(), org);
    auto later = decide(state, SendFollowUp{FollowUpId{"f-1"}, coach(), now, now + 3'600'000}, w.coach_user);
    REQUIRE(later.ok());
    CHECK(std::get<events::FollowUpScheduled>(later->front()).send_at_ms == now + 3'600'000);
    auto past = decide(state, SendFollowUp{FollowUpId{"f-1"}, coach(), now, now - 5000}, w.coach_user);
    CHECK(std::get<events::FollowUpScheduled>(past->front()).send_at_ms == now);
    CHECK(refused(decide(state, SendFollowUp{FollowUpId{"f-1"}, coach(), now, now + max_schedule_ahead_ms + 1}, w.coach_user)).code == "invalid_send_at");
    state = evolve(state, later->front(), org);
    CHECK(state.status == FollowUpStatus::scheduled);
    CHECK(state.next_attempt_ms == now + 3'600'000);
    CHECK(refused(decide(state, SendFollowUp{FollowUpId{"f-1"}, coach(), now, 0}, w.coach_user)).code == "follow_up_scheduled");
    CHECK(refused(decide(state, SendFollowUp{FollowUpId{"f-1"}, {UserId{"coach-2"}, org, "coach"}, now, 0}, w.coach_user)).kind == ErrorKind::forbidden);
    CHECK(refused(decide(FollowUpState{}, SendFollowUp{FollowUpId{"f-9"}, coach(), now, 0}, w.coach_user)).code == "follow_up_not_found");
}

TEST_CASE("a failed delivery is retried with doubling delays, then gives up and can be sent again") {
    World w;
    auto state = scheduled_state(w);
    RetryPolicy policy{1000, 5000, 4};
    CHECK(policy.delay_after(1) == 1000);
    CHECK(policy.delay_after(2) == 2000);
    CHECK(policy.delay_after(3) == 4000);
    CHECK(policy.delay_after(4) == 5000);  // capped
    std::vector<std::int64_t> retries;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        auto failed = decide(state, RecordDelivery{FollowUpId{"f-1"}, attempt, false, "smtp", "451 try later", now, policy});
        REQUIRE(failed.ok());
        const auto& e = std::get<events::FollowUpDeliveryFailed>(failed->front());
        CHECK_FALSE(e.gave_up);
        retries.push_back(e.retry_at_ms - now);
        state = evolve(state, failed->front(), org);
        CHECK(state.status == FollowUpStatus::scheduled);
    }
    CHECK(retries == std::vector<std::int64_t>{1000, 2000, 4000});
    CHECK(state.last_error == "451 try later");
    CHECK(refused(decide(state, RecordDelivery{FollowUpId{"f-1"}, 2, true, "smtp", "", now, policy})).code == "delivery_stale");
    auto last = decide(state, RecordDelivery{FollowUpId{"f-1"}, 4, false, "smtp", "connection refused", now, policy});
    REQUIRE(last.ok());
    CHECK(std::get<events::FollowUpDeliveryFailed>(last->front()).gave_up);
    state = evolve(state, last->front(), org);
    CHECK(state.status == FollowUpStatus::failed);
    // Never lost: a failed follow-up is sent again on request, with a fresh count of attempts.
    auto again = decide(state, SendFollowUp{FollowUpId{"f-1"}, coach(), now, 0}, w.coach_user);
    REQUIRE(again.ok());
    state = evolve(state, again->front(), org);
    CHECK(state.status == FollowUpStatus::scheduled);
    CHECK(state.attempts == 0);
}

TEST_CASE("a delivered follow-up is sent once, with a stable Message-ID") {
    World w;
    auto state = scheduled_state(w);
    auto sent = decide(state, RecordDelivery{FollowUpId{"f-1"}, 1, true, "file", "", now, RetryPolicy{}});
    REQUIRE(sent.ok());
    const auto& e = std::get<events::FollowUpSent>(sent->front());
    CHECK(e.channel == "file");
    CHECK(e.message_id == message_id_of(FollowUpId{"f-1"}));
    state = evolve(state, sent->front(), org);
    CHECK(state.status == FollowUpStatus::sent);
    CHECK(refused(decide(state, SendFollowUp{FollowUpId{"f-1"}, coach(), now, 0}, w.coach_user)).code == "follow_up_sent");
    CHECK(refused(decide(state, RecordDelivery{FollowUpId{"f-1"}, 2, true, "file", "", now, RetryPolicy{}})).code == "delivery_stale");
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
