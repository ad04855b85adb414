// Where the event log lives: brokers, topic names and how new topics are created.
#pragma once

#include <map>
#include <string>

namespace debrief::events {

struct KafkaSettings {
    std::string brokers = "127.0.0.1:19092";
    std::string events_topic = "debrief.events";            // public contract: docs/events.md
    std::string credentials_topic = "debrief.credentials";  // private, compacted
    int partitions = 6;
    int replication_factor = 1;
    // The writer's transactional id: a second process with the same id fences the first (only one writer at a time).
    std::string transactional_id = "debrief-writer";
    int transaction_timeout_ms = 30'000;  // bounds a commit, and so how long a command waits for a broken broker
    std::map<std::string, std::string> overrides;  // extra librdkafka properties, e.g. for tests

    // Events a read model could not apply, set aside with where they came from: "debrief.events.dlq" by default.
    std::string dead_letter_topic() const { return events_topic + ".dlq"; }
};

}  // namespace debrief::events
