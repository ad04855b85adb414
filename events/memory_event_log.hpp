// An in-process EventLog for unit tests of the command side: one partition, offsets from 0, optional failure.
#pragma once

#include <mutex>
#include <vector>

#include "events/event_log.hpp"

namespace debrief::events {

class MemoryEventLog final : public EventLog {
public:
    Result<std::vector<Position>> append(std::span<const Event> batch) override {
        std::lock_guard lock(mutex_);
        if (fail_next_) {
            fail_next_ = false;
            return Error{ErrorKind::unavailable, "event_log_unavailable", "injected failure"};
        }
        std::vector<Position> positions;
        for (const auto& event : batch) {
            events_.push_back(event);
            positions.push_back({0, static_cast<std::int64_t>(events_.size()) - 1});
        }
        return positions;
    }
    Result<Position> put_credential(const Credential& credential) override {
        std::lock_guard lock(mutex_);
        credentials_.push_back(credential);
        return Position{0, static_cast<std::int64_t>(credentials_.size()) - 1};
    }
    std::vector<Event> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    std::vector<Credential> credentials() const {
        std::lock_guard lock(mutex_);
        return credentials_;
    }
    void fail_next_append() {
        std::lock_guard lock(mutex_);
        fail_next_ = true;
    }

private:
    mutable std::mutex mutex_;
    std::vector<Event> events_;
    std::vector<Credential> credentials_;
    bool fail_next_ = false;
};

}  // namespace debrief::events
