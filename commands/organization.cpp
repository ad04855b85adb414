// Organization decisions: sign-up (the new organization and its first admin user) and the MFA policy.
#include "commands/organization.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "commands/text_rules.hpp"

namespace debrief::commands {

std::string normalize_email(std::string_view email) {
    std::string out(trim(email));
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool looks_like_email(std::string_view email) {
    auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at != email.rfind('@') || email.size() > 254) return false;
    auto domain = email.substr(at + 1);
    auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
    return std::none_of(email.begin(), email.end(), [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); });
}

Result<std::string> check_login(std::string_view email, std::string_view password) {
    auto normalized = normalize_email(email);
    if (!looks_like_email(normalized)) return invalid("invalid_email", "email is not a valid e-mail address");
    if (password.size() < min_password_length)
        return invalid("weak_password", "password must be at least " + std::to_string(min_password_length) + " characters");
    if (password.size() > 1024) return invalid("weak_password", "password must be at most 1024 characters");
    return normalized;
}

Result<std::vector<events::Payload>> decide(const OrganizationState& organization, const SignUp& command, bool email_taken) {
    if (organization.exists) return conflict("organization_exists", "the organization already exists");
    if (auto bad = check_name("organization", command.organization_name)) return *bad;
    if (auto bad = check_name("name", command.name)) return *bad;
    auto email = check_login(command.email, command.password);
    if (!email) return email.error();
    if (email_taken) return conflict("email_taken", "a user with this e-mail address already exists");
    return std::vector<events::Payload>{
        events::OrganizationCreated{command.organization_id, std::string(trim(command.organization_name))},
        events::UserRegistered{command.user_id, std::string(trim(command.name)), email.value(), "admin", {}, {}},
    };
}

Result<std::vector<events::Payload>> decide(const OrganizationState& organization, const SetMfaPolicy& command) {
    if (command.actor.role != "admin") return Error{ErrorKind::forbidden, "forbidden", "only an admin sets the organization's MFA policy"};
    if (!organization.exists) return not_found("organization_not_found", "no such organization");
    constexpr std::array<std::string_view, 4> roles{"admin", "coach_lead", "coach", "client"};
    std::vector<std::string> required;
    for (const auto& role : command.required_for)
        if (std::find(roles.begin(), roles.end(), role) == roles.end())
            return Error{ErrorKind::invalid, "invalid_role", "required_for holds roles: admin, coach_lead, coach, client", "required_for"};
    for (auto role : roles)  // each once, in a fixed order: the same policy is always the same event
        if (std::find(command.required_for.begin(), command.required_for.end(), role) != command.required_for.end()) required.emplace_back(role);
    if (std::find(required.begin(), required.end(), command.actor.role) != required.end() && !command.actor_has_mfa)
        return conflict("mfa_not_enabled", "enable a second factor for yourself (POST /v1/users/me/mfa) before requiring it for your own role");
    return std::vector<events::Payload>{events::MfaPolicySet{command.actor.organization_id, std::move(required)}};
}

bool mfa_required(const OrganizationState& organization, std::string_view role) {
    return std::find(organization.mfa_required_for.begin(), organization.mfa_required_for.end(), role) != organization.mfa_required_for.end();
}

void evolve(OrganizationState& state, const events::OrganizationCreated& created, const events::Metadata&) {
    state.exists = true;
    state.name = created.name;
}

void evolve(OrganizationState& state, const events::MfaPolicySet& set, const events::Metadata&) { state.mfa_required_for = set.required_for; }

}  // namespace debrief::commands
