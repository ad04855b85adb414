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
    std::map<std::string, std::string> overrides;  // extra librdkafka properties, e.g. for tests
};

}  // namespace debrief::events
