#include "commands/login_session_commands.hpp"

#include "common/overloaded.hpp"

namespace debrief::commands {
namespace {

Error unauthorized(std::string code, std::string message) { return {ErrorKind::unauthorized, std::move(code), std::move(message)}; }

Error refused(LoginSessions::Refusal refusal) {
    switch (refusal) {
        case LoginSessions::Refusal::unknown: return unauthorized("invalid_token", "the token's login session is unknown; log in again");
        case LoginSessions::Refusal::revoked: return unauthorized("session_revoked", "this login session has ended; log in again");
        case LoginSessions::Refusal::expired: return unauthorized("token_expired", "the login session has expired; log in again");
        case LoginSessions::Refusal::reused: break;
    }
    return unauthorized("refresh_token_reused", "this refresh token was already used; its login session is revoked, log in again");
}

// Stores and folds the revocation of a session found reused, then answers the refusal.
Error revoke_reused(CommandHandler& handler, std::string_view session_id, const UserId& user) {
    auto revocation = handler.model().login_sessions().revocation(session_id, user, handler.now_ms());
    if (const auto* revoked = std::get_if<events::LoginSessionRecord>(&revocation))
        if (auto stored = handler.store_private(*revoked); !stored) return stored.error();
    return refused(LoginSessions::Refusal::reused);
}

// Stores the session's decided change (under its lock), or answers the refusal; a reuse revokes the session first.
Result<events::LoginSessionRecord> store_decided(CommandHandler& handler, std::string_view session_id, const UserId& user,
                                                 std::variant<events::LoginSessionRecord, LoginSessions::Refusal> decided) {
    if (auto* refusal = std::get_if<LoginSessions::Refusal>(&decided)) {
        if (*refusal == LoginSessions::Refusal::reused) return revoke_reused(handler, session_id, user);
        return refused(*refusal);
    }
    auto& record = std::get<events::LoginSessionRecord>(decided);
    if (auto stored = handler.store_private(record); !stored) return stored.error();
    return record;
}

}  // namespace

Result<events::LoginSessionRecord> start_login_session(CommandHandler& handler, const Actor& actor, std::int64_t refresh_expires_at) {
    events::LoginSessionRecord session{handler.new_id(), actor.user_id, actor.organization_id, 1, handler.now_ms(), refresh_expires_at, 0};
    if (auto stored = handler.store_private(session); !stored) return stored.error();
    return session;
}

Result<events::LoginSessionRecord> rotate_login_session(CommandHandler& handler, const UserId& user, std::string_view session_id,
                                                        std::uint32_t generation, std::int64_t refresh_expires_at) {
    const auto& sessions = handler.model().login_sessions();
    auto lock = sessions.lock_session(session_id);
    return store_decided(handler, session_id, user, sessions.rotation(session_id, user, generation, handler.now_ms() / 1000, refresh_expires_at));
}

Result<bool> end_login_session(CommandHandler& handler, const UserId& user, std::string_view session_id, std::uint32_t generation) {
    const auto& sessions = handler.model().login_sessions();
    auto lock = sessions.lock_session(session_id);
    auto ended = store_decided(handler, session_id, user, sessions.revocation(session_id, user, handler.now_ms(), generation));
    if (!ended) return ended.error();
    return true;
}

Result<bool> revoke_user_sessions(CommandHandler& handler, const Actor& actor, const UserId& user) {
    auto target = handler.model().committed_state(user);
    if (!target.exists || target.organization_id != actor.organization_id) return not_found("user_not_found", "no such user in your organization");
    if (actor.role != "admin" && actor.user_id != user)
        return Error{ErrorKind::forbidden, "forbidden", "only an admin may end another user's sessions"};
    if (auto stored = handler.store_private(events::SessionsRevoked{user, actor.organization_id, handler.now_ms()}); !stored) return stored.error();
    return true;
}

}  // namespace debrief::commands
