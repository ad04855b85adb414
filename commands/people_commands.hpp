// The people area's commands: sign-up, invitations, clients, roles, activation, a coach's profile.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"
#include "commands/user_profile.hpp"

namespace debrief::commands {

struct SignUpInput {
    std::string organization_name;
    std::string name;
    std::string email;
    std::string password;
};

struct InviteUserInput {
    std::string name;
    std::string email;
    std::string role;
    std::string password;
    UserId lead_id;      // optional
    ClientId client_id;  // role client
};

struct RegisterClientInput {
    std::string name;
    std::string email;  // optional
    std::vector<std::string> tags;
    std::string team;
    std::optional<UserId> coach_id;  // default: the actor
};

Result<Accepted> sign_up(CommandHandler& handler, const SignUpInput& input, const CommandContext& context);
Result<Accepted> invite_user(CommandHandler& handler, const Actor& actor, const InviteUserInput& input, const CommandContext& context);
Result<Accepted> register_client(CommandHandler& handler, const Actor& actor, const RegisterClientInput& input, const CommandContext& context);
// Erases the client (admins only): their keys and those of their logins and of the sessions they spoke in are
// deleted with the event (events/kafka_event_log.cpp), and every copy drops what it holds of them.
Result<Accepted> erase_client(CommandHandler& handler, const Actor& actor, const ClientId& client, const CommandContext& context);
Result<Accepted> change_role(CommandHandler& handler, const Actor& actor, const UserId& user, std::string role, const UserId& lead,
                             const CommandContext& context);
Result<Accepted> set_user_active(CommandHandler& handler, const Actor& actor, const UserId& user, bool active, std::string reason,
                                 const CommandContext& context);
Result<Accepted> set_voice_profile(CommandHandler& handler, const Actor& actor, const SetVoiceProfile& command, const CommandContext& context);
Result<Accepted> set_notification_preferences(CommandHandler& handler, const Actor& actor, const SetNotificationPreferences& command,
                                              const CommandContext& context);

}  // namespace debrief::commands
