// When a failed call to the LLM provider is worth repeating, and how long to wait first: exponential backoff with
// jitter. Pure: the random draw is passed in.
#pragma once

#include <chrono>
#include <string_view>

namespace debrief::adapters {

struct RetryPolicy {
    int max_retries = 2;  // attempts after the first
    std::chrono::milliseconds base_delay{200};
    std::chrono::milliseconds max_delay{2000};

    // Before retry number `retry` (0 for the first retry): a delay drawn in [d/2, d] where
    // d = min(max_delay, base_delay * 2^retry); random01 is a draw in [0, 1).
    std::chrono::milliseconds delay_before(int retry, double random01) const;
};

// What went wrong with one attempt, for the decision to retry.
enum class FailureKind {
    connect,      // resolve or connect failed, or the connection broke
    timeout,      // no complete answer within the timeout
    http_status,  // the provider answered with a non-2xx status
    malformed,    // a 2xx answer that is no usable proposal
};

// Retry connect errors, timeouts, 429 and 5xx; never other 4xx (the request itself is wrong) or malformed answers.
bool is_retryable(FailureKind kind, int http_status = 0);

}  // namespace debrief::adapters
