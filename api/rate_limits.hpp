// Rate limits by key (a user, a client address): token buckets that hold `per_minute` requests and refill at that
// rate, so a burst up to the limit passes and the steady rate is the limit. Pure: the clock is the caller's.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace debrief::api {

struct RateDecision {
    bool allowed = true;
    std::int64_t limit = 0;
    std::int64_t remaining = 0;
    std::int64_t reset_seconds = 0;        // until the bucket is full again
    std::int64_t retry_after_seconds = 0;  // when refused: until one request passes
};

class RateLimiter {
public:
    // per_minute 0: no limit (every request passes, decisions say nothing).
    explicit RateLimiter(std::int64_t per_minute, std::size_t max_keys = 100'000) : per_minute_(per_minute), max_keys_(max_keys) {}
    bool active() const { return per_minute_ > 0; }
    RateDecision take(const std::string& key, std::int64_t now_ms);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updated_ms = 0;
    };
    double refilled(const Bucket& bucket, std::int64_t now_ms) const;
    void forget_idle(std::int64_t now_ms);

    const std::int64_t per_minute_;
    const std::size_t max_keys_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace debrief::api
