#include "api/rate_limits.hpp"

#include <algorithm>
#include <cmath>

namespace debrief::api {

double RateLimiter::refilled(const Bucket& bucket, std::int64_t now_ms) const {
    const auto elapsed = static_cast<double>(std::max<std::int64_t>(0, now_ms - bucket.updated_ms));
    return std::min(static_cast<double>(per_minute_), bucket.tokens + elapsed * static_cast<double>(per_minute_) / 60'000.0);
}

// A full bucket says nothing a new one would not: forgotten when the table is full, so it stays bounded.
void RateLimiter::forget_idle(std::int64_t now_ms) {
    std::erase_if(buckets_, [&](const auto& entry) { return refilled(entry.second, now_ms) >= static_cast<double>(per_minute_); });
    while (buckets_.size() >= max_keys_) buckets_.erase(buckets_.begin());  // still full (a flood of keys): any goes
}

RateDecision RateLimiter::take(const std::string& key, std::int64_t now_ms) {
    if (!active()) return {};
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_keys_) forget_idle(now_ms);
        it = buckets_.emplace(key, Bucket{static_cast<double>(per_minute_), now_ms}).first;
    }
    auto& bucket = it->second;
    bucket.tokens = refilled(bucket, now_ms);
    bucket.updated_ms = now_ms;
    RateDecision decision;
    decision.limit = per_minute_;
    const double per_second = static_cast<double>(per_minute_) / 60.0;
    if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
    } else {
        decision.allowed = false;
        decision.retry_after_seconds = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1 - bucket.tokens) / per_second)));
    }
    decision.remaining = static_cast<std::int64_t>(std::floor(bucket.tokens));
    decision.reset_seconds = static_cast<std::int64_t>(std::ceil((static_cast<double>(per_minute_) - bucket.tokens) / per_second));
    return decision;
}

}  // namespace debrief::api
