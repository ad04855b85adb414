// How far a read model has applied the log, per partition; lets a query wait until it has seen a given position.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include "events/event.hpp"

namespace debrief::projections {

class ProjectionProgress {
public:
    // Reads the shared store (e.g. PostgreSQL) for partitions another instance projects; optional.
    using SharedOffsets = std::function<std::map<int, std::int64_t>()>;

    void advance(int partition, std::int64_t next_offset) {
        {
            std::lock_guard lock(mutex_);
            auto& current = next_offsets_[partition];
            current = std::max(current, next_offset);
        }
        changed_.notify_all();
    }

    bool reached(const events::Position& position) const {
        std::lock_guard lock(mutex_);
        return reached_locked(position);
    }

    // True once the event at `position` is applied; false if the deadline passes first.
    bool wait_for(const events::Position& position, std::chrono::milliseconds timeout, const SharedOffsets& shared = {}) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::unique_lock lock(mutex_);
        while (!reached_locked(position)) {
            if (shared) {
                lock.unlock();
                for (auto [partition, next] : shared()) advance(partition, next);
                lock.lock();
                if (reached_locked(position)) break;
            }
            auto slice = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(shared ? 100 : 1000));
            if (changed_.wait_until(lock, slice) == std::cv_status::timeout && std::chrono::steady_clock::now() >= deadline)
                return reached_locked(position);
        }
        return true;
    }

    std::map<int, std::int64_t> snapshot() const {
        std::lock_guard lock(mutex_);
        return next_offsets_;
    }

private:
    bool reached_locked(const events::Position& position) const {
        auto it = next_offsets_.find(position.partition);
        return it != next_offsets_.end() && it->second > position.offset;
    }

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<int, std::int64_t> next_offsets_;
};

}  // namespace debrief::projections
