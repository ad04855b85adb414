// Login sessions: one per login, the family of refresh tokens it hands out (OAuth 2.0 Security BCP, refresh token
// rotation). Each refresh rotates the session to its next generation; a refresh token of an older generation is a
// copy used twice, so the session it belongs to is revoked. An access token names its session, so ending the session
// (logout, reuse, an admin's "sign out everywhere") ends its access tokens at once, not when they expire.
// Folded from the private records of the credentials topic; decisions only, storing is login_session_commands.*.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "events/codec.hpp"

namespace debrief::commands {

class LoginSessions {
public:
    enum class Refusal {
        unknown,  // no such session (or another user's): the token was not issued here
        revoked,  // logged out, revoked by an admin, or ended by a reuse
        expired,
        reused,   // a refresh token of an older generation: the session must be revoked
    };

    void apply(const events::LoginSessionRecord& record);
    void apply(const events::SessionsRevoked& record);

    // The state a refresh with the token of `generation` moves the session to (the next generation, expiring at
    // new_expires_at), or why it may not.
    std::variant<events::LoginSessionRecord, Refusal> rotation(std::string_view session_id, const UserId& user, std::uint32_t generation,
                                                                std::int64_t now_seconds, std::int64_t new_expires_at) const;
    // The session as a revocation at now_ms records it, or why it cannot be (unknown, or already revoked). A logout
    // names the generation of its refresh token: another one is a reuse.
    std::variant<events::LoginSessionRecord, Refusal> revocation(std::string_view session_id, const UserId& user, std::int64_t now_ms,
                                                                 std::optional<std::uint32_t> generation = std::nullopt) const;
    // Whether an access token of this session (empty: a token without one) issued at issued_at may still be used.
    bool allows(const UserId& user, std::string_view session_id, std::int64_t issued_at_seconds) const;
    std::optional<events::LoginSessionRecord> find(std::string_view session_id) const;

    std::size_t size() const;

    // Serialises deciding and storing the changes of one session (two refreshes with the same token: the second
    // sees the first's rotation, so it is a reuse). Striped: sessions of unrelated users rarely share a lock.
    std::unique_lock<std::mutex> lock_session(std::string_view session_id) const;

private:
    bool ended(const events::LoginSessionRecord& session) const;  // under mutex_
    // Under mutex_: the user's session that has not ended, or why there is none.
    std::variant<const events::LoginSessionRecord*, Refusal> live(std::string_view session_id, const UserId& user) const;

    // Looked up by the token's string_view without building a string (every request asks).
    struct TransparentHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };

    mutable std::mutex mutex_;
    std::unordered_map<std::string, events::LoginSessionRecord, TransparentHash, std::equal_to<>> sessions_;
    std::unordered_map<UserId, std::int64_t> revoked_before_ms_;  // users' "sign out everywhere" cut-offs
    // Sessions that expired go when the map has doubled since they last went: their tokens have expired too.
    std::size_t prune_at_size_ = 1024;
    mutable std::array<std::mutex, 64> session_locks_;
};

}  // namespace debrief::commands
