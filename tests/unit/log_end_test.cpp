// The cached end of the log: positions inside it cost nothing, a position beyond it asks the source once, and an
// append by someone else is seen as soon as it is asked about.
#include <doctest/doctest.h>

#include <map>

#include "events/log_end.hpp"

using namespace debrief;
using namespace debrief::events;

namespace {
struct FakeLog {
    int partitions = 3;
    std::map<int, std::int64_t> ends{{0, 10}, {1, 0}, {2, 5}};
    bool answers = true;
    LogEnd::Source source() {
        return {[this]() -> Result<int> {
                    if (!answers) return Error{ErrorKind::unavailable, "event_log_unavailable", "down"};
                    return partitions;
                },
                [this](int partition) -> Result<std::int64_t> {
                    if (!answers) return Error{ErrorKind::unavailable, "event_log_unavailable", "down"};
                    return ends[partition];
                }};
    }
};
}  // namespace

TEST_CASE("a position inside the log is inside, and asking again costs no query") {
    FakeLog log;
    LogEnd end{log.source()};
    CHECK(end.locate({0, 9}) == LogEnd::Where::inside);
    const auto queries = end.queries();
    CHECK(queries == 2);  // the partition count and partition 0's watermark, once
    CHECK(end.locate({0, 0}) == LogEnd::Where::inside);
    CHECK(end.locate({0, 9}) == LogEnd::Where::inside);
    CHECK(end.queries() == queries);
}

TEST_CASE("a position at or past the high watermark, or on a partition that does not exist, is beyond") {
    FakeLog log;
    LogEnd end{log.source()};
    CHECK(end.locate({0, 10}) == LogEnd::Where::beyond);
    CHECK(end.locate({0, 999'999'999}) == LogEnd::Where::beyond);
    CHECK(end.locate({1, 0}) == LogEnd::Where::beyond);  // an empty partition
    CHECK(end.locate({3, 0}) == LogEnd::Where::beyond);
    CHECK(end.locate({1'000'000, 0}) == LogEnd::Where::beyond);
    CHECK(end.locate({-1, 0}) == LogEnd::Where::beyond);
}

TEST_CASE("an append by another instance is seen: a position beyond the cached end asks the source again") {
    FakeLog log;
    LogEnd end{log.source()};
    CHECK(end.locate({2, 4}) == LogEnd::Where::inside);
    CHECK(end.locate({2, 7}) == LogEnd::Where::beyond);
    log.ends[2] = 8;  // someone appended three events
    CHECK(end.locate({2, 7}) == LogEnd::Where::inside);
    log.partitions = 5;  // and the topic grew
    CHECK(end.locate({4, 0}) == LogEnd::Where::beyond);  // the new partition exists but is empty
    log.ends[4] = 1;
    CHECK(end.locate({4, 0}) == LogEnd::Where::inside);
}

TEST_CASE("when the source does not answer, a position beyond the cached end is unknown, not refused") {
    FakeLog log;
    LogEnd end{log.source()};
    CHECK(end.locate({0, 3}) == LogEnd::Where::inside);
    log.answers = false;
    CHECK(end.locate({0, 3}) == LogEnd::Where::inside);  // from the cache
    CHECK(end.locate({0, 50}) == LogEnd::Where::unknown);
    CHECK(end.locate({2, 0}) == LogEnd::Where::unknown);
}
