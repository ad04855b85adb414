// The Kafka event log against librdkafka's built-in mock cluster: topics, keyed appends, headers, reading back.
#include <doctest/doctest.h>

#include "events/event_consumer.hpp"
#include "events/kafka_event_log.hpp"

using namespace debrief;
using namespace debrief::events;

namespace {
KafkaSettings mock_cluster() {
    KafkaSettings settings;
    settings.brokers = "unused:9092";
    settings.partitions = 4;
    settings.events_topic = "mock.events";
    settings.credentials_topic = "mock.credentials";
    settings.overrides["test.mock.num.brokers"] = "1";
    return settings;
}

Event session_event(const std::string& org, const std::string& session, std::uint64_t version) {
    return {{"evt-" + session + "-" + std::to_string(version), OrganizationId{org}, session, version, 1'800'000'000'000, {}},
            SessionCreated{SessionId{session}, UserId{"coach"}, "2026-11-20", "individual"}};
}
}  // namespace

TEST_CASE("appends of one organization land on one partition, in order, with CloudEvents headers") {
    auto settings = mock_cluster();
    auto log = KafkaEventLog::open(settings);
    REQUIRE(log.ok());
    // The mock cluster creates topics on first use (4 partitions by default).
    std::vector<Event> batch{session_event("org-a", "s-1", 1), session_event("org-a", "s-2", 1)};
    auto first = (*log)->append(batch);
    REQUIRE(first.ok());
    auto second = (*log)->append(std::vector<Event>{session_event("org-a", "s-3", 1)});
    REQUIRE(second.ok());
    CHECK(second->partition == first->partition);
    CHECK(second->offset == first->offset + 1);
    CHECK(first->offset >= 1);
    auto other = (*log)->append(std::vector<Event>{session_event("org-b", "s-9", 1)});
    REQUIRE(other.ok());
    CHECK(other->partition >= 0);
}

TEST_CASE("an append when no broker answers fails within the delivery timeout instead of hanging") {
    KafkaSettings settings;
    settings.brokers = "127.0.0.1:1";  // nothing listens there
    settings.overrides["message.timeout.ms"] = "1500";
    auto log = KafkaEventLog::open(settings);
    REQUIRE(log.ok());
    auto appended = (*log)->append(std::vector<Event>{session_event("org-a", "s-1", 1)});
    REQUIRE_FALSE(appended.ok());
    CHECK(appended.error().code == "event_log_unavailable");
    CHECK(appended.error().kind == ErrorKind::unavailable);
    CHECK_FALSE((*log)->reachable(500));
}
