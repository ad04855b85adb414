// Sign-up decisions: validation of the new organization and its first admin user.
#include "commands/organization.hpp"

#include <algorithm>
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

void evolve(OrganizationState& state, const events::OrganizationCreated& created, const events::Metadata&) {
    state.exists = true;
    state.name = created.name;
}

}  // namespace debrief::commands
