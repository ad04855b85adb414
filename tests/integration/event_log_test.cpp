// The transactional event log on the real broker: a second writer with the same transactional id fences the first,
// and what a fenced writer had open never becomes visible.
#include <doctest/doctest.h>

#include "events/kafka_event_log.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::events;
using namespace debrief::it;

namespace {
Event session_event(const std::string& org, const std::string& session) {
    return {{"evt-" + session, OrganizationId{org}, session, 1, 1'800'000'000'000, {}},
            SessionCreated{SessionId{session}, UserId{"coach"}, "2026-11-20", "individual"}};
}
}  // namespace

TEST_CASE("a second writer with the same transactional id fences the first, for good") {
    Deployment deployment("fencing");
    auto settings = TestServices::get().kafka_settings();
    settings.events_topic = deployment.events_topic;
    settings.credentials_topic = deployment.credentials_topic;
    settings.transactional_id = "it." + deployment.name + ".writer";
    auto first = KafkaEventLog::open(settings);
    REQUIRE(first.ok());
    REQUIRE((*first)->ensure_topics(10'000).ok());
    REQUIRE((*first)->append(std::vector<Event>{session_event("org-a", "s-1")}).ok());

    auto second = KafkaEventLog::open(settings);
    REQUIRE(second.ok());
    REQUIRE((*second)->init_writer(30'000).ok());
    REQUIRE((*second)->append(std::vector<Event>{session_event("org-a", "s-2")}).ok());

    auto stale = (*first)->append(std::vector<Event>{session_event("org-a", "s-3")});
    REQUIRE_FALSE(stale.ok());
    CHECK(stale.error().code == "event_log_fenced");
    CHECK((*first)->fenced());
    CHECK_FALSE((*second)->fenced());
    auto again = (*first)->append(std::vector<Event>{session_event("org-a", "s-4")});
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "event_log_fenced");

    // Readers see the two committed appends and nothing of the fenced writer's attempts.
    std::vector<std::string> ids;
    for (const auto& record : read_topic(deployment.events_topic)) ids.push_back(decode(record.value, nullptr)->metadata.aggregate_id);
    CHECK(ids == std::vector<std::string>{"s-1", "s-2"});
}
