// The organization (tenant) and user aggregates, and the sign-up command that creates both.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/result.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct OrganizationState {
    bool exists = false;
    std::uint64_t version = 0;
    std::string name;
};

struct UserState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    std::string name;
    std::string email;
    std::string role;
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
OrganizationState evolve(OrganizationState state, const events::Payload& event);
UserState evolve(UserState state, const events::Payload& event, const OrganizationId& organization_id);

std::string normalize_email(std::string_view email);
bool looks_like_email(std::string_view email);

}  // namespace debrief::commands
