// The audit trail on Kafka: each record is handed to an idempotent producer (acks=all) that batches them (linger)
// on its own thread, so a read never waits for the broker. A record the broker did not take in time is sent again;
// when the producer's queue is full (the broker gone for long) records are counted as dropped and logged, never
// waited for.
#pragma once

#include <memory>

#include "common/result.hpp"
#include "events/audit_trail.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::events {

class KafkaAuditTrail final : public AuditTrail {
public:
    static Result<std::unique_ptr<KafkaAuditTrail>> open(const KafkaSettings& settings);
    ~KafkaAuditTrail() override;  // sends what is queued (bounded wait)

    void record(AuditRecord record) override;
    std::optional<std::map<int, std::int64_t>> flush(std::chrono::milliseconds timeout) override;
    std::uint64_t dropped() const;  // records refused because the producer's queue was full

private:
    struct Impl;
    explicit KafkaAuditTrail(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::events
