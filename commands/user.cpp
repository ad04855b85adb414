// Inviting users: role rules, the coach-lead relation, the client record behind a client login.
#include "commands/user.hpp"

#include <array>
#include <algorithm>

#include "commands/authorization.hpp"
#include "commands/client.hpp"
#include "commands/organization.hpp"
#include "commands/text_rules.hpp"

namespace debrief::commands {

bool is_valid_role(std::string_view role) {
    constexpr std::array<std::string_view, 4> roles{"admin", "coach_lead", "coach", "client"};
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool is_coaching_role(std::string_view role) { return role == "admin" || role == "coach_lead" || role == "coach"; }

Result<std::vector<events::Payload>> decide(const UserState& user, const InviteUser& command, const InviteFacts& facts) {
    if (!is_valid_role(command.role)) return invalid("invalid_role", "role must be one of admin, coach_lead, coach, client");
    if (auto refused = refusal_to_invite(command.actor, command.role)) return *refused;
    if (user.exists) return conflict("user_exists", "a user with this id already exists");
    if (auto bad = check_name("name", command.name)) return *bad;
    auto email = check_login(command.email, command.password);
    if (!email) return email.error();

    UserId lead_id = command.lead_id;
    if (!lead_id.empty()) {  // facts.lead is the user the command names
        if (command.role != "coach") return invalid("invalid_field", "lead_id applies to coaches only");
        if (!facts.lead.exists || !visible_to(command.actor, facts.lead.organization_id)) return not_found("lead_not_found", "no such coach lead");
        if (facts.lead.role != "coach_lead") return invalid("not_a_coach_lead", "lead_id must name a user with the role coach_lead");
    }
    if (command.role == "coach" && command.actor.role == "coach_lead") {  // a lead's invitees are the lead's coaches
        if (!lead_id.empty() && lead_id != command.actor.user_id) return Error{ErrorKind::forbidden, "forbidden", "a coach lead invites coaches for themselves"};
        lead_id = command.actor.user_id;
    }
    if (command.role == "client") {
        if (command.client_id.empty()) return invalid("missing_field", "client_id is required for a user with the role client");
        if (!facts.client.exists || !visible_to(command.actor, facts.client.organization_id)) return not_found("client_not_found", "no such client");
        if (auto refused = refusal_to_manage_client(command.actor, facts.client.coach_id, facts.client_coach)) return *refused;
    } else if (!command.client_id.empty()) {
        return invalid("invalid_field", "client_id applies to users with the role client only");
    }
    if (facts.email_taken) return conflict("email_taken", "a user with this e-mail address already exists");
    return std::vector<events::Payload>{
        events::UserRegistered{command.user_id, std::string(trim(command.name)), email.value(), command.role, lead_id, command.client_id}};
}

namespace {
std::optional<Error> admin_on_another_user(const UserState& user, const UserId& user_id, const Actor& actor, std::string_view what) {
    if (!user.exists || !visible_to(actor, user.organization_id)) return not_found("user_not_found", "no such user");
    if (actor.role != "admin") return Error{ErrorKind::forbidden, "forbidden", "only admins " + std::string(what)};
    if (user_id == actor.user_id) return conflict("cannot_change_self", "admins cannot " + std::string(what) + " for themselves; ask another admin");
    return std::nullopt;
}
}  // namespace

Result<std::vector<events::Payload>> decide(const UserState& user, const ChangeRole& command, const UserState& lead) {
    if (auto refused = admin_on_another_user(user, command.user_id, command.actor, "change roles")) return *refused;
    if (!is_valid_role(command.role)) return invalid("invalid_role", "role must be one of admin, coach_lead, coach");
    if (command.role == "client" || user.role == "client")
        return invalid("role_change_unsupported", "client logins belong to a client record; invite a new user instead");
    if (!command.lead_id.empty()) {
        if (command.role != "coach") return invalid("invalid_field", "lead_id applies to coaches only");
        if (!lead.exists || !visible_to(command.actor, lead.organization_id)) return not_found("lead_not_found", "no such coach lead");
        if (lead.role != "coach_lead") return invalid("not_a_coach_lead", "lead_id must name a user with the role coach_lead");
    }
    if (command.role == user.role && command.lead_id == user.lead_id) return conflict("role_unchanged", "the user already has this role");
    return std::vector<events::Payload>{events::UserRoleChanged{command.user_id, command.role, command.lead_id}};
}

Result<std::vector<events::Payload>> decide(const UserState& user, const SetUserActive& command) {
    if (auto refused = admin_on_another_user(user, command.user_id, command.actor, command.active ? "reactivate users" : "deactivate users"))
        return *refused;
    if (user.active == command.active)
        return conflict(command.active ? "user_active" : "user_inactive", command.active ? "the user is active" : "the user is already deactivated");
    if (command.reason.size() > 500) return invalid("field_too_long", "reason must be at most 500 characters");
    if (auto bad = check_text("reason", command.reason, TextKind::multiline)) return *bad;
    if (command.active) return std::vector<events::Payload>{events::UserReactivated{command.user_id}};
    return std::vector<events::Payload>{events::UserDeactivated{command.user_id, command.reason}};
}

void evolve(UserState& state, const events::UserRegistered& e, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = m.organization_id;
    state.name = e.name;
    state.email = e.email;
    state.role = e.role;
    state.lead_id = e.lead_id;
    state.client_id = e.client_id;
}

void evolve(UserState& state, const events::UserRoleChanged& e, const events::Metadata&) {
    state.role = e.role;
    state.lead_id = e.lead_id;
}

void evolve(UserState& state, const events::UserDeactivated&, const events::Metadata&) {
    state.active = false;
}

void evolve(UserState& state, const events::UserReactivated&, const events::Metadata&) {
    state.active = true;
}

void evolve(UserState& state, const events::VoiceProfileSet& e, const events::Metadata&) {
    state.voice = e;
}

void evolve(UserState& state, const events::NotificationPreferencesSet& e, const events::Metadata&) {
    state.notifications = e;
}

}  // namespace debrief::commands
