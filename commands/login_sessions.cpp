#include "commands/login_sessions.hpp"

#include <algorithm>
#include <functional>

namespace debrief::commands {

void LoginSessions::apply(const events::LoginSessionRecord& record) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = sessions_.try_emplace(record.session_id, record);
    if (inserted) {
        if (sessions_.size() < prune_at_size_) return;
        std::erase_if(sessions_, [&](const auto& entry) { return entry.second.expires_at * 1000 < record.started_at_ms; });
        prune_at_size_ = std::max<std::size_t>(1024, 2 * sessions_.size());
        return;
    }
    // A revocation is never undone, whatever order records of one session are read in.
    const auto revoked_at = it->second.revoked_at_ms != 0 ? it->second.revoked_at_ms : record.revoked_at_ms;
    if (record.generation >= it->second.generation) it->second = record;
    it->second.revoked_at_ms = revoked_at;
}

void LoginSessions::apply(const events::SessionsRevoked& record) {
    std::lock_guard lock(mutex_);
    auto& cut_off = revoked_before_ms_[record.user_id];
    cut_off = std::max(cut_off, record.revoked_before_ms);
}

bool LoginSessions::ended(const events::LoginSessionRecord& session) const {
    if (session.revoked_at_ms != 0) return true;
    auto cut_off = revoked_before_ms_.find(session.user_id);
    return cut_off != revoked_before_ms_.end() && session.started_at_ms <= cut_off->second;
}

std::variant<const events::LoginSessionRecord*, LoginSessions::Refusal> LoginSessions::live(std::string_view session_id, const UserId& user) const {
    auto it = sessions_.find(session_id);
    if (it == sessions_.end() || it->second.user_id != user) return Refusal::unknown;
    if (ended(it->second)) return Refusal::revoked;
    return &it->second;
}

std::variant<events::LoginSessionRecord, LoginSessions::Refusal> LoginSessions::rotation(std::string_view session_id, const UserId& user,
                                                                                        std::uint32_t generation, std::int64_t now_seconds,
                                                                                        std::int64_t new_expires_at) const {
    std::lock_guard lock(mutex_);
    auto found = live(session_id, user);
    if (auto* refusal = std::get_if<Refusal>(&found)) return *refusal;
    const auto& session = *std::get<const events::LoginSessionRecord*>(found);
    if (session.expires_at <= now_seconds) return Refusal::expired;
    if (generation != session.generation) return Refusal::reused;  // older: used before; newer: never issued
    auto next = session;
    next.generation = session.generation + 1;
    next.expires_at = new_expires_at;
    return next;
}

std::variant<events::LoginSessionRecord, LoginSessions::Refusal> LoginSessions::revocation(std::string_view session_id, const UserId& user,
                                                                                          std::int64_t now_ms,
                                                                                          std::optional<std::uint32_t> generation) const {
    std::lock_guard lock(mutex_);
    auto found = live(session_id, user);
    if (auto* refusal = std::get_if<Refusal>(&found)) return *refusal;
    auto revoked = *std::get<const events::LoginSessionRecord*>(found);
    if (generation && *generation != revoked.generation) return Refusal::reused;
    revoked.revoked_at_ms = now_ms;
    return revoked;
}

bool LoginSessions::allows(const UserId& user, std::string_view session_id, std::int64_t issued_at_seconds) const {
    std::lock_guard lock(mutex_);
    if (session_id.empty()) {
        auto cut_off = revoked_before_ms_.find(user);
        return cut_off == revoked_before_ms_.end() || issued_at_seconds * 1000 > cut_off->second;
    }
    return std::holds_alternative<const events::LoginSessionRecord*>(live(session_id, user));
}

std::optional<events::LoginSessionRecord> LoginSessions::find(std::string_view session_id) const {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(session_id);
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
}

std::size_t LoginSessions::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

std::unique_lock<std::mutex> LoginSessions::lock_session(std::string_view session_id) const {
    return std::unique_lock(session_locks_[std::hash<std::string_view>{}(session_id) % session_locks_.size()]);
}

}  // namespace debrief::commands
