// The commands of login sessions (commands/login_sessions.hpp): start one at a login, rotate it at a refresh, end
// it at a logout, end all of a user's. Each change is stored on the private credentials topic before it is folded
// and before any token that depends on it is handed out, so a restart knows every session a token names.
#pragma once

#include <cstdint>
#include <string_view>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"

namespace debrief::commands {

// A new session of `actor`, at generation 1, its refresh token expiring at refresh_expires_at (seconds).
Result<events::LoginSessionRecord> start_login_session(CommandHandler& handler, const Actor& actor, std::int64_t refresh_expires_at);
// The session moved to its next generation, for the refresh token of `generation`. A token of an older generation
// (used before) revokes the session and is refused with refresh_token_reused.
Result<events::LoginSessionRecord> rotate_login_session(CommandHandler& handler, const UserId& user, std::string_view session_id,
                                                        std::uint32_t generation, std::int64_t refresh_expires_at);
// Logout with the session's current refresh token; an older one is a reuse, and revokes it all the same.
Result<bool> end_login_session(CommandHandler& handler, const UserId& user, std::string_view session_id, std::uint32_t generation);
// Every session of `user` so far ends, and every access token issued until now (an admin of the organization, or
// the user themselves).
Result<bool> revoke_user_sessions(CommandHandler& handler, const Actor& actor, const UserId& user);

}  // namespace debrief::commands
