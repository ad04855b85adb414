// The event log on Apache Kafka: an idempotent producer with acks=all, keyed by organization id.
#pragma once

#include <memory>

#include "events/event_log.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::events {

class KafkaEventLog final : public EventLog {
public:
    static Result<std::unique_ptr<KafkaEventLog>> open(const KafkaSettings& settings);
    ~KafkaEventLog() override;

    Result<Position> append(std::span<const Event> events) override;
    Result<Position> put_credential(const Credential& credential) override;
    // Creates the events and credentials topics if they are missing.
    Result<bool> ensure_topics(int timeout_ms);
    // True when the cluster answers a metadata request within the timeout.
    bool reachable(int timeout_ms);

private:
    struct Impl;
    explicit KafkaEventLog(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::events
