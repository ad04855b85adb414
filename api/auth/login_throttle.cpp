#include "api/auth/login_throttle.hpp"

#include <algorithm>

namespace debrief::api {
namespace {
std::string account_key(std::string_view account) { return "account:" + std::string(account); }
std::string address_key(std::string_view address) { return "address:" + std::string(address); }
}  // namespace

std::int64_t LoginThrottle::wait_ms(Failures& failures, int free, std::int64_t now_ms) const {
    if (failures.count > 0 && now_ms - failures.last_ms >= settings_.forget_after_ms) failures = {};
    if (failures.count < free) return 0;
    const int doublings = std::min(failures.count - free, 30);
    const auto delay = std::min(settings_.max_delay_ms, settings_.first_delay_ms << doublings);
    return std::max<std::int64_t>(0, failures.last_ms + delay - now_ms);
}

std::int64_t LoginThrottle::admit(std::string_view account, std::string_view address, std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    if (failures_.size() >= settings_.max_keys) make_room(now_ms);
    auto& by_account = failures_[account_key(account)];
    auto& by_address = failures_[address_key(address)];
    const auto wait = std::max(wait_ms(by_account, settings_.free_failures_per_account, now_ms),
                               wait_ms(by_address, settings_.free_failures_per_address, now_ms));
    if (wait > 0) return (wait + 999) / 1000;
    for (auto* failures : {&by_account, &by_address}) {
        ++failures->count;
        failures->last_ms = now_ms;
    }
    return 0;
}

void LoginThrottle::succeeded(std::string_view account, std::string_view address) {
    std::lock_guard lock(mutex_);
    failures_.erase(account_key(account));
    if (auto it = failures_.find(address_key(address)); it != failures_.end() && it->second.count > 0) --it->second.count;
}

void LoginThrottle::withdraw(std::string_view account, std::string_view address) {
    std::lock_guard lock(mutex_);
    for (const auto& key : {account_key(account), address_key(address)})
        if (auto it = failures_.find(key); it != failures_.end() && it->second.count > 0) --it->second.count;
}

void LoginThrottle::make_room(std::int64_t now_ms) {
    std::erase_if(failures_, [&](const auto& entry) { return now_ms - entry.second.last_ms >= settings_.forget_after_ms; });
    // Still full (a flood of addresses): those that are not held back go, then everything. Memory stays bounded.
    if (failures_.size() >= settings_.max_keys)
        std::erase_if(failures_, [&](const auto& entry) { return entry.second.count < settings_.free_failures_per_account; });
    if (failures_.size() >= settings_.max_keys) failures_.clear();
}

}  // namespace debrief::api
