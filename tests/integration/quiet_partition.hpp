// An organization whose sign-up is the last append to its partition: `last` is its last event, applied by the
// projectors; the offset after it is the transaction's commit marker, inside the log but never applied (a projector
// applies records, and no record follows), so a query waiting for it waits its whole wait_ms.
#pragma once

#include <cstdint>
#include <string>

#include "tests/integration/harness.hpp"

namespace debrief::it {

struct QuietPartition {
    std::string token;
    int partition = 0;
    std::int64_t last = 0;
    std::int64_t marker() const { return last + 1; }
    std::int64_t end() const { return last + 2; }
};

// Signs up "Quiet Coaching" and waits until the log's end is past its commit marker.
QuietPartition sign_up_alone(const Deployment& deployment, const HttpClient& client);

// GET /v1/clients waiting for partition:offset, at most wait_ms.
std::string position_target(int partition, std::int64_t offset, int wait_ms);

}  // namespace debrief::it
