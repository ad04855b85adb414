// The event log on Apache Kafka: a transactional, idempotent producer with acks=all, keyed by organization id.
#pragma once

#include <memory>

#include "events/event_log.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::events {

class KafkaEventLog final : public EventLog {
public:
    // With keys, every event is written sealed (events/codec.hpp, encode_sealed) and a data subject's new key goes to
    // the keys topic in the transaction of the first event it seals. Without, events are written in clear.
    static Result<std::unique_ptr<KafkaEventLog>> open(const KafkaSettings& settings, std::shared_ptr<KeyRing> keys = nullptr);
    ~KafkaEventLog() override;

    std::optional<Error> enqueue(std::span<const Event> events, std::shared_ptr<QueuedAppend> append) override;
    Result<Position> put_private(const PrivateRecord& record) override;
    // Registers the transactional writer, fencing any earlier writer with the same id and settling what it left
    // open. Appends do this on first use; the service calls it before rebuilding its state from the log.
    Result<bool> init_writer(int timeout_ms);
    // True once the writer failed for good (another writer took over its transactional id): appends never succeed again.
    bool fenced() const;
    // Creates the events, credentials, keys and dead-letter topics if they do not exist.
    Result<bool> ensure_topics(int timeout_ms);
    // True when the cluster answers a metadata request within the timeout.
    bool reachable(int timeout_ms);

private:
    struct Impl;
    explicit KafkaEventLog(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::events
