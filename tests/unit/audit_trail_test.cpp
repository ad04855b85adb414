// The audit trail: its record's codec, and the Kafka trail against librdkafka's mock cluster (batched, keyed by the
// organization, a flush that covers every record queued before it, and a read that never waits for a broker that is
// down).
#include <doctest/doctest.h>


#include <set>

#include "events/audit_record.hpp"
#include "events/event_consumer.hpp"
#include "events/kafka_audit_trail.hpp"
#include "tests/unit/mock_kafka_cluster.hpp"

using namespace debrief;
using namespace debrief::events;
using namespace std::chrono_literals;

namespace {
AuditRecord read_of(int n, const std::string& organization) {
    return {"audit-" + std::to_string(n), OrganizationId{organization}, UserId{"user-" + std::to_string(n % 3)}, "coach", "transcript.read",
            "/v1/sessions/s-" + std::to_string(n) + "/transcript", "client-" + std::to_string(n % 5), n % 7 == 0 ? "denied" : "allowed",
            1'800'000'000'000 + n, "127.0.0.1", "corr-" + std::to_string(n)};
}

std::int64_t total(const std::map<int, std::int64_t>& next_offsets) {
    std::int64_t sum = 0;
    for (auto [partition, next] : next_offsets) sum += next;
    return sum;
}
}  // namespace

TEST_CASE("an audit record survives its codec field for field, and anything else is refused") {
    const auto record = read_of(7, "org-a");
    auto decoded = decode_audit_record(encode(record));
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == record);
    auto empty = AuditRecord{};
    CHECK(decode_audit_record(encode(empty)).value() == empty);
    const auto bytes = encode(record);
    CHECK_FALSE(decode_audit_record("").ok());
    CHECK_FALSE(decode_audit_record(bytes.substr(0, bytes.size() / 2)).ok());
    CHECK_FALSE(decode_audit_record(std::string(64, 'x')).ok());
    CHECK(decode_audit_record(std::string(64, 'x')).error().code == "audit_record_malformed");
}

TEST_CASE("the Kafka audit trail writes every record, keyed by its organization, and a flush covers all queued before it") {
    testing::MockCluster mock;
    auto settings = mock.settings();
    settings.audit_topic = "mock.audit";
    auto trail = KafkaAuditTrail::open(settings);
    REQUIRE(trail.ok());
    for (int n = 0; n < 60; ++n) (*trail)->record(read_of(n, n % 2 ? "org-a" : "org-b"));
    auto written = (*trail)->flush(20s);
    REQUIRE(written.has_value());
    CHECK(total(*written) == 60);  // not transactional: no commit markers, one offset per record

    std::vector<AuditRecord> read;
    std::map<std::string, std::set<int>> partitions_of;
    auto counted = read_to_end(settings, settings.audit_topic, [&](const Record& record) {
        auto decoded = decode_audit_record(record.value);
        REQUIRE(decoded.ok());
        CHECK(record.key == decoded->organization_id.value);
        partitions_of[record.key].insert(record.position.partition);
        read.push_back(decoded.value());
    }, 20'000);
    REQUIRE(counted.ok());
    REQUIRE(read.size() == 60);
    for (const auto& [organization, partitions] : partitions_of) CHECK(partitions.size() == 1);  // one organization, one partition, in order
    std::set<std::string> ids;
    for (const auto& record : read) ids.insert(record.id);
    CHECK(ids.size() == 60);
    CHECK((*trail)->dropped() == 0);
}

TEST_CASE("a read is recorded at once while the broker is down, and written once it is back") {
    testing::MockCluster mock;
    auto settings = mock.settings();
    settings.audit_topic = "mock.audit.down";
    auto trail = KafkaAuditTrail::open(settings);
    REQUIRE(trail.ok());
    (*trail)->record(read_of(1, "org-a"));
    REQUIRE((*trail)->flush(20s).has_value());  // the topic exists and the producer is connected
    rd_kafka_mock_broker_set_down(mock.cluster, 1);
    for (int n = 2; n <= 11; ++n) (*trail)->record(read_of(n, "org-a"));  // returns: nothing waits for the broker
    CHECK_FALSE((*trail)->flush(300ms).has_value());
    rd_kafka_mock_broker_set_up(mock.cluster, 1);
    auto written = (*trail)->flush(30s);
    REQUIRE(written.has_value());
    CHECK(total(*written) == 11);
    CHECK((*trail)->dropped() == 0);
}
