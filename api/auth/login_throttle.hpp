// Slows password guessing down: per account and per client address, a few wrong passwords are free, then each
// further attempt waits for a delay that doubles with every failure (capped), answered 429 with Retry-After. Every
// attempt counts as a failure from the moment it is admitted, so a burst of parallel guesses is counted before any
// hash is checked; a success forgives the account's failures. A key without a failure for a while starts over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace debrief::api {

struct LoginThrottleSettings {
    int free_failures_per_account = 5;    // wrong passwords for one account before attempts wait
    int free_failures_per_address = 20;   // from one client address, whatever the accounts (credential stuffing)
    std::int64_t first_delay_ms = 1000;   // the wait after the free failures; doubles with each further one
    std::int64_t max_delay_ms = 15 * 60 * 1000;
    std::int64_t forget_after_ms = 15 * 60 * 1000;  // since the last failure
    std::size_t max_keys = 100'000;  // accounts and addresses remembered; beyond, the forgotten ones go first
};

class LoginThrottle {
public:
    explicit LoginThrottle(LoginThrottleSettings settings = {}) : settings_(settings) {}

    // 0: the attempt may go ahead, and counts as a failure until succeeded() says otherwise. Otherwise the seconds to
    // wait before the next attempt, and nothing is counted.
    std::int64_t admit(std::string_view account, std::string_view address, std::int64_t now_ms);
    // The attempt admitted for this account and address was right: the account's failures are forgiven, and this one
    // is taken off the address's count.
    void succeeded(std::string_view account, std::string_view address);
    // The attempt admitted was no guess (the right password, but the account's second factor was not sent yet): it
    // is taken off both counts, and nothing is forgiven, so a wrong second factor still counts.
    void withdraw(std::string_view account, std::string_view address);

private:
    struct Failures {
        int count = 0;
        std::int64_t last_ms = 0;
    };
    std::int64_t wait_ms(Failures& failures, int free, std::int64_t now_ms) const;
    void make_room(std::int64_t now_ms);

    const LoginThrottleSettings settings_;
    std::mutex mutex_;
    std::unordered_map<std::string, Failures> failures_;  // "account:" + e-mail, "address:" + IP
};

}  // namespace debrief::api
