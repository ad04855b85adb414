// Where the API hands its audit records: a queue that never makes a read wait, and a flush for the query that
// must see every record written before it (GET /v1/admin/audit).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>

#include "events/audit_record.hpp"

namespace debrief::events {

class AuditTrail {
public:
    virtual ~AuditTrail() = default;
    // Queues the record and returns at once; it is written in a batch with others.
    virtual void record(AuditRecord record) = 0;
    // Waits, at most timeout, until every record queued before the call is durable. Answers, per partition of the
    // audit topic, the offset after the newest of them (what the audit read model must reach to show them all), or
    // nullopt when the deadline passed first.
    virtual std::optional<std::map<int, std::int64_t>> flush(std::chrono::milliseconds timeout) = 0;
};

}  // namespace debrief::events
