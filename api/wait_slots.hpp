// A bounded number of requests that may wait at once (for a read model's position); beyond it a request is refused
// at once instead of holding one more HTTP worker.
#pragma once

#include <atomic>
#include <optional>
#include <utility>

namespace debrief::api {

class WaitSlots {
public:
    explicit WaitSlots(int limit) : limit_(limit) {}
    WaitSlots(const WaitSlots&) = delete;
    WaitSlots& operator=(const WaitSlots&) = delete;

    // Held while waiting; gives its slot back when it goes.
    class Slot {
    public:
        explicit Slot(std::atomic<int>& in_use) : in_use_(&in_use) {}
        Slot(Slot&& other) noexcept : in_use_(std::exchange(other.in_use_, nullptr)) {}
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        Slot& operator=(Slot&&) = delete;
        ~Slot() {
            if (in_use_) in_use_->fetch_sub(1);
        }

    private:
        std::atomic<int>* in_use_;
    };

    // A slot, or nullopt when `limit` waits are already under way.
    std::optional<Slot> try_acquire() {
        int current = in_use_.load();
        do {
            if (current >= limit_) return std::nullopt;
        } while (!in_use_.compare_exchange_weak(current, current + 1));
        return std::optional<Slot>(std::in_place, in_use_);
    }

    int in_use() const { return in_use_.load(); }
    int limit() const { return limit_; }

private:
    const int limit_;
    std::atomic<int> in_use_{0};
};

}  // namespace debrief::api
