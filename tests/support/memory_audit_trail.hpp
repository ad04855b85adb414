// An AuditTrail that keeps its records in memory: for unit tests of the routes, without Kafka.
#pragma once

#include <mutex>
#include <vector>

#include "events/audit_trail.hpp"

namespace debrief::testing {

class MemoryAuditTrail final : public events::AuditTrail {
public:
    void record(events::AuditRecord record) override {
        std::lock_guard lock(mutex_);
        records_.push_back(std::move(record));
    }
    std::optional<std::map<int, std::int64_t>> flush(std::chrono::milliseconds) override {
        std::lock_guard lock(mutex_);
        return std::map<int, std::int64_t>{{0, static_cast<std::int64_t>(records_.size())}};
    }
    std::vector<events::AuditRecord> records() const {
        std::lock_guard lock(mutex_);
        return records_;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        records_.clear();
    }

private:
    mutable std::mutex mutex_;
    std::vector<events::AuditRecord> records_;
};

}  // namespace debrief::testing
