#include "api/auth/verified_tokens.hpp"

namespace debrief::api {

std::optional<VerifiedTokens::Verified> VerifiedTokens::find(const std::string& token) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(token);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
}

void VerifiedTokens::remember(const std::string& token, const Verified& verified, std::int64_t now_seconds) {
    if (capacity_ == 0) return;
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_) {
        std::erase_if(entries_, [&](const auto& entry) { return entry.second.expires_at <= now_seconds; });
        if (entries_.size() >= capacity_) entries_.clear();
    }
    entries_.insert_or_assign(token, verified);
}

void VerifiedTokens::forget(const std::string& token) {
    std::lock_guard lock(mutex_);
    entries_.erase(token);
}

std::size_t VerifiedTokens::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace debrief::api
