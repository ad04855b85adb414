// The Kafka event log against librdkafka's built-in mock cluster: transactional appends, keys, headers, reading
// back with read_committed, and a broker that never answers. (Fencing needs the real broker: tests/integration.)
#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "events/event_consumer.hpp"
#include "events/kafka_event_log.hpp"
#include "events/kafka_watermarks.hpp"
#include "tests/unit/mock_kafka_cluster.hpp"

using namespace debrief;
using namespace debrief::events;
using debrief::testing::MockCluster;

namespace {
Event session_event(const std::string& org, const std::string& session, std::uint64_t version) {
    return {{"evt-" + session + "-" + std::to_string(version), OrganizationId{org}, session, version, 1'800'000'000'000, {}},
            SessionCreated{SessionId{session}, UserId{"coach"}, "2026-11-20", "individual"}};
}
}  // namespace

TEST_CASE("appends of one organization land on one partition, in order, each event with its own position") {
    MockCluster mock;
    auto settings = mock.settings();
    auto log = KafkaEventLog::open(settings);
    REQUIRE(log.ok());
    std::vector<Event> batch{session_event("org-a", "s-1", 1), session_event("org-a", "s-2", 1)};
    auto first = (*log)->append(batch);
    REQUIRE(first.ok());
    REQUIRE(first->size() == 2);
    CHECK((*first)[0].partition == (*first)[1].partition);
    CHECK((*first)[1].offset == (*first)[0].offset + 1);
    auto second = (*log)->append(std::vector<Event>{session_event("org-a", "s-3", 1)});
    REQUIRE(second.ok());
    CHECK(second->front().partition == first->front().partition);
    // Transaction markers take offsets too: later, but not necessarily next.
    CHECK(second->front().offset > first->back().offset);
    auto other = (*log)->append(std::vector<Event>{session_event("org-b", "s-9", 1)});
    REQUIRE(other.ok());
    CHECK(other->front().partition >= 0);
}

TEST_CASE("concurrent appends share transactions and every caller gets its own positions") {
    MockCluster mock;
    auto settings = mock.settings();
    settings.events_topic = "mock.concurrent";
    auto log = KafkaEventLog::open(settings);
    REQUIRE(log.ok());
    std::vector<std::thread> writers;
    std::vector<std::vector<Position>> positions(8);
    for (int w = 0; w < 8; ++w)
        writers.emplace_back([&, w] {
            for (int i = 0; i < 10; ++i) {
                auto appended = (*log)->append(std::vector<Event>{session_event("org-" + std::to_string(w), "s-" + std::to_string(i), 1)});
                if (appended) positions[w].push_back(appended->front());
            }
        });
    for (auto& writer : writers) writer.join();
    std::set<Position> distinct;
    for (const auto& mine : positions) {
        CHECK(mine.size() == 10);
        for (std::size_t i = 1; i < mine.size(); ++i) CHECK(mine[i].offset > mine[i - 1].offset);  // one org, one partition, in order
        distinct.insert(mine.begin(), mine.end());
    }
    CHECK(distinct.size() == 80);

    std::size_t read = 0;
    auto consumer = EventConsumer::all_partitions(settings, settings.events_topic, [](const std::vector<int>&) { return std::map<int, std::int64_t>{}; });
    REQUIRE(consumer.ok());
    for (int attempt = 0; attempt < 100 && read < 80; ++attempt)
        for (const auto& record : (*consumer)->poll(100, 100)) {
            CHECK(distinct.contains(record.position));
            ++read;
        }
    CHECK(read == 80);
}

TEST_CASE("an append when no broker answers fails within the transaction timeout instead of hanging") {
    KafkaSettings settings;
    settings.brokers = "127.0.0.1:1";  // nothing listens there
    settings.transaction_timeout_ms = 2000;
    auto log = KafkaEventLog::open(settings);
    REQUIRE(log.ok());
    auto appended = (*log)->append(std::vector<Event>{session_event("org-a", "s-1", 1)});
    REQUIRE_FALSE(appended.ok());
    CHECK(appended.error().code == "event_log_unavailable");
    CHECK(appended.error().kind == ErrorKind::unavailable);
    CHECK_FALSE((*log)->reachable(500));
}

TEST_CASE("an append beyond the queue's bound is refused at once as overloaded, with a time to retry") {
    MockCluster mock;
    auto settings = mock.settings();
    settings.max_queued_appends = 0;  // every append finds the queue full
    auto log = KafkaEventLog::open(settings);
    REQUIRE(log.ok());
    auto appended = (*log)->append(std::vector<Event>{session_event("org-a", "s-1", 1)});
    REQUIRE_FALSE(appended.ok());
    CHECK(appended.error().code == "overloaded");
    CHECK(appended.error().kind == ErrorKind::unavailable);
    CHECK(appended.error().retry_after_seconds > 0);
}

TEST_CASE("the end of the log is read from the cluster: partition count and each partition's high watermark") {
    MockCluster mock;
    auto settings = mock.settings();
    settings.events_topic = "mock.watermarks";
    auto log = KafkaEventLog::open(settings);
    REQUIRE(log.ok());
    auto appended = (*log)->append(std::vector<Event>{session_event("org-a", "s-1", 1)});
    REQUIRE(appended.ok());
    auto watermarks = KafkaWatermarks::open(settings);
    REQUIRE(watermarks.ok());
    auto partitions = (*watermarks)->partition_count(settings.events_topic, 5000);
    REQUIRE(partitions.ok());
    CHECK(appended->front().partition < partitions.value());
    auto high = (*watermarks)->high_watermark(settings.events_topic, appended->front().partition, 5000);
    REQUIRE(high.ok());
    CHECK(high.value() > appended->front().offset);
}

namespace {
Event note_event(const std::string& org, const std::string& note, std::size_t text_bytes) {
    return {{"evt-" + note, OrganizationId{org}, note, 1, 1'800'000'000'000, {}},
            NoteAdded{NoteId{note}, ClientId{"client"}, UserId{"coach"}, std::string(text_bytes, 'n')}};
}
constexpr std::int16_t produce_api = 0;  // the Kafka protocol's ApiKey of Produce
}  // namespace

TEST_CASE("an event larger than the log takes fails its own append with event_too_large, before any transaction") {
    MockCluster mock;
    auto settings = mock.settings();
    settings.events_topic = "mock.large";
    settings.max_event_bytes = 4000;
    auto log = KafkaEventLog::open(settings);
    REQUIRE(log.ok());
    auto large = (*log)->append(std::vector<Event>{note_event("org-a", "n-1", 500), note_event("org-a", "n-2", 5000)});
    REQUIRE_FALSE(large.ok());
    CHECK(large.error().kind == ErrorKind::too_large);
    CHECK(large.error().code == "event_too_large");
    auto small = (*log)->append(std::vector<Event>{note_event("org-a", "n-3", 500)});
    REQUIRE(small.ok());
    // Nothing of the refused append was written: the small note is the topic's only event.
    auto consumer = EventConsumer::all_partitions(settings, settings.events_topic, [](const std::vector<int>&) { return std::map<int, std::int64_t>{}; });
    REQUIRE(consumer.ok());
    std::vector<Position> read;
    for (int attempt = 0; attempt < 50 && read.empty(); ++attempt)
        for (const auto& record : (*consumer)->poll(100, 100)) read.push_back(record.position);
    REQUIRE(read.size() == 1);
    CHECK(read.front() == small->front());
}

TEST_CASE("a record the broker refuses as too large fails only its command, and only when it is refused alone too") {
    MockCluster mock;
    auto settings = mock.settings();
    settings.events_topic = "mock.refused";
    auto log = KafkaEventLog::open(settings);
    REQUIRE(log.ok());
    REQUIRE((*log)->append(std::vector<Event>{note_event("org-a", "n-0", 10)}).ok());  // the writer is registered

    // Refused in its transaction and again alone: its own fault.
    rd_kafka_mock_push_request_errors(mock.cluster, produce_api, 2, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
    auto refused = (*log)->append(std::vector<Event>{note_event("org-a", "n-1", 10)});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "event_too_large");
    CHECK(refused.error().kind == ErrorKind::too_large);

    // Refused once, then accepted alone: it only shared a batch with the cause, and is written.
    rd_kafka_mock_push_request_errors(mock.cluster, produce_api, 1, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
    auto retried = (*log)->append(std::vector<Event>{note_event("org-a", "n-2", 10)});
    REQUIRE_MESSAGE(retried.ok(), retried.error().code << ": " << retried.error().message);

    // The writer goes on as before.
    auto after = (*log)->append(std::vector<Event>{note_event("org-b", "n-3", 10)});
    REQUIRE(after.ok());
}
