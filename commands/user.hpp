// The user aggregate (a login with a role) and the invite command by which admins and coach leads add users.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/actor.hpp"
#include "common/result.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct UserState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    std::string name;
    std::string email;
    std::string role;  // admin | coach_lead | coach | client
    UserId lead_id;    // a coach's coach lead
    ClientId client_id;  // role client: the client record this login belongs to
    bool active = true;  // a deactivated user cannot log in and their tokens are refused
    events::VoiceProfileSet voice;                    // empty tone: none set
    events::NotificationPreferencesSet notifications;  // empty email_digest: defaults
};

struct ClientState;

struct InviteUser {
    UserId user_id;  // chosen by the handler, so decide stays pure
    Actor actor;
    std::string name;
    std::string email;
    std::string role;
    std::string password;
    UserId lead_id;      // role coach: the coach lead; a coach lead inviting is the lead
    ClientId client_id;  // role client: required, the client record the login belongs to
};

// What decide needs to know besides the new user: whether the e-mail is taken anywhere, and the lead and
// client records the command names (empty states when it names none).
struct InviteFacts {
    bool email_taken = false;
    const UserState& lead;
    const ClientState& client;
    const UserState& client_coach;
};

Result<std::vector<events::Payload>> decide(const UserState& user, const InviteUser& command, const InviteFacts& facts);

// Admins change roles (not their own, not to or from client: a client login belongs to a client record).
struct ChangeRole {
    UserId user_id;
    Actor actor;
    std::string role;
    UserId lead_id;  // role coach: optional coach lead
};
// lead: the state of command.lead_id (empty when none is named).
Result<std::vector<events::Payload>> decide(const UserState& user, const ChangeRole& command, const UserState& lead);

// Admins deactivate and reactivate users other than themselves.
struct SetUserActive {
    UserId user_id;
    Actor actor;
    bool active = false;
    std::string reason;  // deactivation only, optional
};
Result<std::vector<events::Payload>> decide(const UserState& user, const SetUserActive& command);
// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
void evolve(UserState& state, const events::UserRegistered& event, const events::Metadata& metadata);
void evolve(UserState& state, const events::UserRoleChanged& event, const events::Metadata& metadata);
void evolve(UserState& state, const events::UserDeactivated& event, const events::Metadata& metadata);
void evolve(UserState& state, const events::UserReactivated& event, const events::Metadata& metadata);
void evolve(UserState& state, const events::VoiceProfileSet& event, const events::Metadata& metadata);
void evolve(UserState& state, const events::NotificationPreferencesSet& event, const events::Metadata& metadata);
using User = Aggregate<UserId, UserState>;

bool is_valid_role(std::string_view role);
// Roles that run coaching sessions and own clients.
bool is_coaching_role(std::string_view role);

}  // namespace debrief::commands
