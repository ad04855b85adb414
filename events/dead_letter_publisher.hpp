// Publishes records a read model could not apply to the dead-letter topic, with headers saying where they came from.
#pragma once

#include <memory>
#include <string>

#include "common/result.hpp"
#include "events/event_consumer.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::events {

// Header names, after Kafka Connect's errors.deadletterqueue.context.headers (__connect.errors.topic, ...).
inline constexpr const char* dlq_topic_header = "debrief_dlq_topic";
inline constexpr const char* dlq_partition_header = "debrief_dlq_partition";
inline constexpr const char* dlq_offset_header = "debrief_dlq_offset";
inline constexpr const char* dlq_projector_header = "debrief_dlq_projector";
inline constexpr const char* dlq_error_header = "debrief_dlq_error";

class DeadLetterPublisher {
public:
    static Result<std::unique_ptr<DeadLetterPublisher>> open(const KafkaSettings& settings);
    ~DeadLetterPublisher();

    // Writes the original key, value and headers plus the debrief_dlq_* headers, and waits for the broker's ack
    // (acks=all, idempotent): the caller commits its own offsets only after this returns true. A crash in between
    // publishes the record again, so the topic is at-least-once; its headers tell the copies apart.
    Result<bool> publish(const Record& original, const std::string& topic, const std::string& projector, const std::string& error,
                         int timeout_ms);

private:
    struct Impl;
    explicit DeadLetterPublisher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::events
