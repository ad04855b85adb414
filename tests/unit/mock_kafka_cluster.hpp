// librdkafka's built-in mock cluster for unit tests of Kafka-facing code: one cluster that several clients share.
#pragma once

#include <doctest/doctest.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "events/kafka_settings.hpp"

namespace debrief::testing {

// One mock cluster that several clients (writers, readers) share; test.mock.num.brokers would give each its own.
struct MockCluster {
    rd_kafka_t* host = nullptr;
    rd_kafka_mock_cluster_t* cluster = nullptr;
    MockCluster() {
        char errstr[256];
        host = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), errstr, sizeof errstr);
        REQUIRE(host != nullptr);
        cluster = rd_kafka_mock_cluster_new(host, 1);
        REQUIRE(cluster != nullptr);
    }
    ~MockCluster() {
        rd_kafka_mock_cluster_destroy(cluster);
        rd_kafka_destroy(host);
    }
    MockCluster(const MockCluster&) = delete;
    MockCluster& operator=(const MockCluster&) = delete;
    events::KafkaSettings settings() const {
        events::KafkaSettings settings;
        settings.brokers = rd_kafka_mock_cluster_bootstraps(cluster);
        settings.partitions = 4;
        settings.events_topic = "mock.events";
        settings.credentials_topic = "mock.credentials";
        settings.transaction_timeout_ms = 10'000;
        return settings;
    }
};

}  // namespace debrief::testing
