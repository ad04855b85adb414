// When an API key's use is worth an event: its first request, then its first in each hour after the last recorded
// use. Several requests of a key at once claim it here, so only one of them records it (on this instance; another
// instance may record the same hour too, which says nothing wrong).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace debrief::api {

class ApiKeyUses {
public:
    static constexpr std::int64_t interval_ms = 60 * 60 * 1000;

    // Whether this request records the key's use: the last recorded use (0: none) is an interval old, and no other
    // request claimed it within the interval.
    bool claim(const std::string& key_id, std::int64_t last_recorded_ms, std::int64_t now_ms) {
        if (last_recorded_ms != 0 && now_ms - last_recorded_ms < interval_ms) return false;
        std::lock_guard lock(mutex_);
        auto [it, fresh] = claimed_ms_.try_emplace(key_id, now_ms);
        if (!fresh) {
            if (now_ms - it->second < interval_ms) return false;
            it->second = now_ms;
        }
        if (claimed_ms_.size() > max_keys) std::erase_if(claimed_ms_, [&](const auto& entry) { return now_ms - entry.second >= interval_ms; });
        return true;
    }

private:
    static constexpr std::size_t max_keys = 100'000;
    std::mutex mutex_;
    std::unordered_map<std::string, std::int64_t> claimed_ms_;
};

}  // namespace debrief::api
