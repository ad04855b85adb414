// Circuit breaker transitions.
#include "adapters/llm/circuit_breaker.hpp"

namespace debrief::adapters {

std::string_view to_string(CircuitState state) {
    switch (state) {
        case CircuitState::open: return "open";
        case CircuitState::half_open: return "half_open";
        case CircuitState::closed: break;
    }
    return "closed";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerSettings settings, Clock clock) : settings_(settings), clock_(std::move(clock)) {}

bool CircuitBreaker::allow() {
    std::lock_guard lock(mutex_);
    switch (state_) {
        case CircuitState::closed: return true;
        case CircuitState::open:
            if (clock_() - opened_at_ms_ < settings_.cooldown_ms) return false;
            state_ = CircuitState::half_open;
            trial_in_flight_ = true;
            return true;
        case CircuitState::half_open:
            if (trial_in_flight_) return false;
            trial_in_flight_ = true;
            return true;
    }
    return false;
}

void CircuitBreaker::record_success() {
    std::lock_guard lock(mutex_);
    state_ = CircuitState::closed;
    consecutive_failures_ = 0;
    trial_in_flight_ = false;
}

void CircuitBreaker::record_failure() {
    std::lock_guard lock(mutex_);
    trial_in_flight_ = false;
    ++consecutive_failures_;
    if (state_ == CircuitState::half_open || consecutive_failures_ >= settings_.failure_threshold) {
        state_ = CircuitState::open;
        opened_at_ms_ = clock_();
    }
}

CircuitState CircuitBreaker::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

}  // namespace debrief::adapters
