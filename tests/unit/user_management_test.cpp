// Managing users after the invite: role changes and deactivation by admins, a coach's voice profile, notification
// preferences; each a pure decision with its rejections.
#include <doctest/doctest.h>

#include "tests/support/given_when_then.hpp"
#include "commands/follow_up.hpp"
#include "commands/user_profile.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
const OrganizationId org{"org-1"};
Actor actor(std::string user, std::string role, OrganizationId organization = org) { return {UserId{std::move(user)}, std::move(organization), std::move(role)}; }
UserState user_with(std::string role, std::string lead = "") {
    UserState state;
    state.exists = true;
    state.organization_id = org;
    state.name = "Sam Rivera";
    state.role = std::move(role);
    state.lead_id = UserId{std::move(lead)};
    return state;
}
Error refused(const Result<std::vector<events::Payload>>& result) {
    REQUIRE_FALSE(result.ok());
    return result.error();
}
template <typename Event>
Event only(const Result<std::vector<events::Payload>>& result) {
    REQUIRE(result.ok());
    REQUIRE(result->size() == 1);
    return std::get<Event>(result->front());
}
SetNotificationPreferences preferences(Actor by) { return {UserId{"coach-1"}, std::move(by), "daily", {"follow_up_failed"}, "20:00", "07:30", "Europe/Berlin"}; }
}  // namespace

TEST_CASE("an admin changes a coach's role and lead; the state follows") {
    auto coach = user_with("coach");
    auto changed = only<events::UserRoleChanged>(decide(coach, ChangeRole{UserId{"coach-1"}, actor("admin-1", "admin"), "coach", UserId{"lead-1"}},
                                                        user_with("coach_lead")));
    CHECK(changed.lead_id == UserId{"lead-1"});
    auto state = debrief::testing::folded<User>(coach, {changed});
    CHECK(state.lead_id == UserId{"lead-1"});
    auto promoted = debrief::testing::folded<User>(state, {only<events::UserRoleChanged>(decide(state, ChangeRole{UserId{"coach-1"}, actor("admin-1", "admin"), "coach_lead", {}},
                                                                       UserState{}))});
    CHECK(promoted.role == "coach_lead");
    CHECK(promoted.lead_id.empty());
}

TEST_CASE("role changes are refused for non-admins, oneself, clients, unknown roles, bad leads and no-ops") {
    auto coach = user_with("coach");
    auto by_admin = [&](const UserState& user, std::string role, std::string lead, const UserState& lead_state) {
        return decide(user, ChangeRole{UserId{"coach-1"}, actor("admin-1", "admin"), std::move(role), UserId{std::move(lead)}}, lead_state);
    };
    CHECK(refused(decide(coach, ChangeRole{UserId{"coach-1"}, actor("lead-1", "coach_lead"), "coach_lead", {}}, UserState{})).kind == ErrorKind::forbidden);
    CHECK(refused(decide(user_with("admin"), ChangeRole{UserId{"admin-1"}, actor("admin-1", "admin"), "coach", {}}, UserState{})).code == "cannot_change_self");
    CHECK(refused(by_admin(coach, "client", "", UserState{})).code == "role_change_unsupported");
    CHECK(refused(by_admin(user_with("client"), "coach", "", UserState{})).code == "role_change_unsupported");
    CHECK(refused(by_admin(coach, "boss", "", UserState{})).code == "invalid_role");
    CHECK(refused(by_admin(coach, "coach", "lead-9", UserState{})).code == "lead_not_found");
    CHECK(refused(by_admin(coach, "coach", "coach-2", user_with("coach"))).code == "not_a_coach_lead");
    CHECK(refused(by_admin(coach, "coach_lead", "lead-1", user_with("coach_lead"))).code == "invalid_field");
    CHECK(refused(by_admin(coach, "coach", "", UserState{})).code == "role_unchanged");
    CHECK(refused(decide(coach, ChangeRole{UserId{"coach-1"}, actor("x", "admin", OrganizationId{"org-2"}), "coach_lead", {}}, UserState{})).code ==
          "user_not_found");
}

TEST_CASE("deactivation and reactivation: admins only, never themselves, never twice") {
    auto coach = user_with("coach");
    auto off = only<events::UserDeactivated>(decide(coach, SetUserActive{UserId{"coach-1"}, actor("admin-1", "admin"), false, "left the company"}));
    CHECK(off.reason == "left the company");
    auto state = debrief::testing::folded<User>(coach, {off});
    CHECK_FALSE(state.active);
    CHECK(refused(decide(state, SetUserActive{UserId{"coach-1"}, actor("admin-1", "admin"), false, ""})).code == "user_inactive");
    state = debrief::testing::folded<User>(state, {only<events::UserReactivated>(decide(state, SetUserActive{UserId{"coach-1"}, actor("admin-1", "admin"), true, ""}))});
    CHECK(state.active);
    CHECK(refused(decide(state, SetUserActive{UserId{"coach-1"}, actor("admin-1", "admin"), true, ""})).code == "user_active");
    CHECK(refused(decide(user_with("admin"), SetUserActive{UserId{"admin-1"}, actor("admin-1", "admin"), false, ""})).code == "cannot_change_self");
    CHECK(refused(decide(coach, SetUserActive{UserId{"coach-1"}, actor("coach-2", "coach"), false, ""})).kind == ErrorKind::forbidden);
}

TEST_CASE("a coach's voice profile: set by the coach, their lead or an admin; validated; signs off follow-ups") {
    auto coach = user_with("coach", "lead-1");
    SetVoiceProfile command{UserId{"coach-1"}, actor("coach-1", "coach"), "warm", "  Cheers,\nSam ", {"synergy", " synergy ", "circle back"}};
    auto set = only<events::VoiceProfileSet>(decide(coach, command));
    CHECK(set.sign_off == "Cheers,\nSam");
    CHECK(set.phrases_to_avoid == std::vector<std::string>{"synergy", "circle back"});
    CHECK(sign_off_of(coach) == "Best regards,\nSam Rivera");
    auto state = debrief::testing::folded<User>(coach, {set});
    CHECK(sign_off_of(state) == "Cheers,\nSam");
    CHECK(template_values({}, SessionState{}, ClientState{}, state, "Acme").at("sign_off") == "Cheers,\nSam");
    CHECK(refused(decide(state, command)).code == "profile_unchanged");

    command.actor = actor("lead-1", "coach_lead");
    command.tone = "direct";
    CHECK(decide(state, command).ok());
    command.actor = actor("lead-2", "coach_lead");
    CHECK(refused(decide(state, command)).kind == ErrorKind::forbidden);
    command.actor = actor("client-1", "client");
    CHECK(refused(decide(state, command)).kind == ErrorKind::forbidden);
    command.actor = actor("coach-1", "coach");
    command.tone = "sarcastic";
    CHECK(refused(decide(state, command)).code == "invalid_tone");
    command.tone = "warm";
    command.phrases_to_avoid = {""};
    CHECK(refused(decide(state, command)).code == "invalid_field");
    command.phrases_to_avoid = std::vector<std::string>(31, "x");
    CHECK(refused(decide(state, command)).code == "too_many_items");
    CHECK(refused(decide(user_with("client"), SetVoiceProfile{UserId{"coach-1"}, actor("admin-1", "admin"), "warm", "", {}})).code == "not_a_coach");
}

TEST_CASE("notification preferences: the user or an admin; digest, events, quiet hours and zone validated") {
    auto coach = user_with("coach");
    auto set = only<events::NotificationPreferencesSet>(decide(coach, preferences(actor("coach-1", "coach"))));
    CHECK(set.notify_on == std::vector<std::string>{"follow_up_failed"});
    CHECK(decide(coach, preferences(actor("admin-1", "admin"))).ok());
    CHECK(refused(decide(coach, preferences(actor("lead-1", "coach_lead")))).kind == ErrorKind::forbidden);
    CHECK(refused(decide(debrief::testing::folded<User>(coach, {set}), preferences(actor("coach-1", "coach")))).code == "preferences_unchanged");
    auto with = [&](auto change) {
        auto command = preferences(actor("coach-1", "coach"));
        change(command);
        return refused(decide(coach, command)).message;
    };
    CHECK(with([](SetNotificationPreferences& c) { c.email_digest = "hourly"; }).find("email_digest") != std::string::npos);
    CHECK(with([](SetNotificationPreferences& c) { c.notify_on = {"everything"}; }).find("unknown notification 'everything'") != std::string::npos);
    CHECK(with([](SetNotificationPreferences& c) { c.quiet_hours_end = ""; }).find("both") != std::string::npos);
    CHECK(with([](SetNotificationPreferences& c) { c.quiet_hours_start = "25:00"; }).find("HH:MM") != std::string::npos);
    CHECK(with([](SetNotificationPreferences& c) { c.time_zone = "Berlin time"; }).find("IANA") != std::string::npos);
}
