// A one-shot signal: set once by one thread, awaited by another. The waiter either parks its thread or, inside a
// fiber that installed a Suspender (the HTTP server's handlers), suspends and gives the thread back, so a command
// waiting for its Kafka transaction holds no thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace debrief {

class Signal;

// How the code running on this thread waits without blocking it; nullptr on an ordinary thread.
struct Suspender {
    virtual ~Suspender() = default;
    virtual void suspend_until(Signal& signal) = 0;
};

// Not inlined: a fiber that resumes on another thread must read that thread's slot, not an address cached before.
[[gnu::noinline]] inline Suspender*& current_suspender() {
    thread_local Suspender* current = nullptr;
    return current;
}

class Signal {
public:
    Signal() = default;
    Signal(const Signal&) = delete;
    Signal& operator=(const Signal&) = delete;

    // The waiter may destroy the signal as soon as it sees it set: nothing of it is touched after the unlock.
    void set() {
        std::vector<std::function<void()>> wake;
        {
            std::lock_guard lock(mutex_);
            done_ = true;
            wake.swap(on_set_);
            set_.notify_all();
        }
        for (auto& resume : wake) resume();
    }

    bool is_set() const {
        std::lock_guard lock(mutex_);
        return done_;
    }

    void wait() {
        if (auto* suspender = current_suspender()) return suspender->suspend_until(*this);
        std::unique_lock lock(mutex_);
        set_.wait(lock, [&] { return done_; });
    }

    // For a Suspender: calls wake once the signal is set (at once, on this thread, when it already is).
    void on_set(std::function<void()> wake) {
        {
            std::lock_guard lock(mutex_);
            if (!done_) {
                on_set_.push_back(std::move(wake));
                return;
            }
        }
        wake();
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable set_;
    bool done_ = false;
    std::vector<std::function<void()>> on_set_;  // suspended waiters
};

}  // namespace debrief
