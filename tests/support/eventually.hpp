// Polls a condition another thread makes true, until it holds or the deadline passes: the unit tests' one way to
// wait for something asynchronous (never a bare sleep).
#pragma once

#include <chrono>
#include <thread>

namespace debrief::testing {

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // polling interval of a condition with a deadline
    }
    return true;
}

}  // namespace debrief::testing
