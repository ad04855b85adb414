#include "api/live/live_tickets.hpp"

#include "api/auth/random_bytes.hpp"
#include "common/hex.hpp"

namespace debrief::api::live {

void LiveTickets::drop_expired(std::int64_t now_ms) {
    while (!issued_.empty()) {
        auto it = tickets_.find(issued_.front());
        if (it != tickets_.end() && it->second.expires_at_ms > now_ms && tickets_.size() < max_outstanding) break;
        if (it != tickets_.end()) tickets_.erase(it);  // expired, or the oldest of too many
        issued_.pop_front();                          // (or redeemed already)
    }
}

std::string LiveTickets::issue(const std::string& access_token, std::int64_t now_ms) {
    auto ticket = "wst_" + to_hex(random_bytes(24));
    std::lock_guard lock(mutex_);
    drop_expired(now_ms);
    tickets_[ticket] = {access_token, now_ms + ttl_ms};
    issued_.push_back(ticket);
    return ticket;
}

std::optional<std::string> LiveTickets::redeem(const std::string& ticket, std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    auto it = tickets_.find(ticket);
    if (it == tickets_.end()) return std::nullopt;
    auto entry = std::move(it->second);
    tickets_.erase(it);
    if (entry.expires_at_ms <= now_ms) return std::nullopt;
    return std::move(entry.access_token);
}

}  // namespace debrief::api::live
