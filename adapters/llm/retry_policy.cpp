// Backoff arithmetic and the retry rule.
#include "adapters/llm/retry_policy.hpp"

#include <algorithm>

namespace debrief::adapters {

std::chrono::milliseconds RetryPolicy::delay_before(int retry, double random01) const {
    auto ceiling = base_delay.count();
    for (int i = 0; i < retry && ceiling < max_delay.count(); ++i) ceiling *= 2;
    ceiling = std::min(ceiling, max_delay.count());
    random01 = std::clamp(random01, 0.0, 1.0);
    return std::chrono::milliseconds(ceiling / 2 + static_cast<long long>(static_cast<double>(ceiling - ceiling / 2) * random01));
}

bool is_retryable(FailureKind kind, int http_status) {
    switch (kind) {
        case FailureKind::connect:
        case FailureKind::timeout: return true;
        case FailureKind::http_status: return http_status == 429 || http_status >= 500;
        case FailureKind::malformed: return false;
    }
    return false;
}

}  // namespace debrief::adapters
