// A circuit breaker for a fallible dependency: closed -> open after N consecutive failures -> half-open after a
// cool-down (one trial call) -> closed on its success, open again on its failure. Clock injected; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>

namespace debrief::adapters {

struct CircuitBreakerSettings {
    int failure_threshold = 5;       // consecutive failures that open the circuit
    std::int64_t cooldown_ms = 30000;  // how long it stays open before a trial call
};

enum class CircuitState { closed, open, half_open };
std::string_view to_string(CircuitState state);

class CircuitBreaker {
public:
    using Clock = std::function<std::int64_t()>;  // monotonic milliseconds

    CircuitBreaker(CircuitBreakerSettings settings, Clock clock);

    // Whether a call may go out now. Open: false until the cool-down has passed, then true once (the trial call,
    // half-open) and false for others until that trial is recorded.
    bool allow();
    void record_success();
    void record_failure();
    CircuitState state() const;

private:
    CircuitBreakerSettings settings_;
    Clock clock_;
    mutable std::mutex mutex_;
    CircuitState state_ = CircuitState::closed;
    int consecutive_failures_ = 0;
    std::int64_t opened_at_ms_ = 0;
    bool trial_in_flight_ = false;
};

}  // namespace debrief::adapters
