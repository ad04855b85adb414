// The organization (tenant) aggregate, and the sign-up command that creates it with its first admin user.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/aggregate.hpp"
#include "common/result.hpp"
#include "commands/user.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct OrganizationState {
    bool exists = false;
    std::uint64_t version = 0;
    std::string name;
    std::vector<std::string> mfa_required_for;  // roles that must log in with a second factor (MfaPolicySet)
};

struct SignUp {
    OrganizationId organization_id;  // chosen by the caller (the handler), so decide stays pure
    UserId user_id;
    std::string organization_name;
    std::string name;
    std::string email;
    std::string password;
};

inline constexpr std::size_t min_password_length = 10;

// email_taken: whether any organization already has a user with this login name.
Result<std::vector<events::Payload>> decide(const OrganizationState& organization, const SignUp& command, bool email_taken);
// An admin sets which roles must log in with a second factor (commands/mfa.hpp). Requiring it of one's own role
// needs one's own second factor first, so the policy never shuts its author out of everything but enrolment.
struct SetMfaPolicy {
    Actor actor;
    std::vector<std::string> required_for;  // roles, in any order, repeats allowed
    bool actor_has_mfa = false;             // the actor's own second factor is enabled
};
Result<std::vector<events::Payload>> decide(const OrganizationState& organization, const SetMfaPolicy& command);
// Whether the organization's policy requires a second factor of this role.
bool mfa_required(const OrganizationState& organization, std::string_view role);

// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
void evolve(OrganizationState& state, const events::OrganizationCreated& event, const events::Metadata& metadata);
void evolve(OrganizationState& state, const events::MfaPolicySet& event, const events::Metadata& metadata);
using Organization = Aggregate<OrganizationId, OrganizationState>;

std::string normalize_email(std::string_view email);
// A login's e-mail and password, checked alike for sign-up and invites; answers the normalized e-mail.
Result<std::string> check_login(std::string_view email, std::string_view password);
bool looks_like_email(std::string_view email);

}  // namespace debrief::commands
