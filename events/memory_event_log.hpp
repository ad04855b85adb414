// An in-process EventLog for unit tests and fuzzers of the command side: one partition, offsets from first_offset,
// appends completed in order on the log's own thread (as Kafka's committer does), commits that can be held back, and
// injected failures.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "events/event_log.hpp"

namespace debrief::events {

class MemoryEventLog final : public EventLog {
public:
    explicit MemoryEventLog(std::size_t max_queued = 10'000, std::int64_t first_offset = 0)
        : max_queued_(max_queued), first_offset_(first_offset), committer_([this] { run(); }) {}
    ~MemoryEventLog() override {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
            held_ = false;
        }
        changed_.notify_all();
        committer_.join();
    }

    std::optional<Error> enqueue(std::span<const Event> batch, std::shared_ptr<QueuedAppend> append) override {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= max_queued_) return Error{ErrorKind::unavailable, "overloaded", "too many commands are waiting for the event log", {}, 1};
        queue_.push_back({std::vector<Event>(batch.begin(), batch.end()), std::move(append)});
        changed_.notify_all();
        return std::nullopt;
    }
    Result<Position> put_private(const PrivateRecord& record) override {
        std::lock_guard lock(mutex_);
        private_records_.push_back(record);
        return Position{0, static_cast<std::int64_t>(private_records_.size()) - 1};
    }
    // Events and credentials stored so far, without copying them.
    std::size_t appended() const {
        std::lock_guard lock(mutex_);
        return events_.size() + private_records_.size();
    }
    std::vector<Event> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    // The login credentials among the private records, in the order stored.
    std::vector<Credential> credentials() const {
        std::lock_guard lock(mutex_);
        std::vector<Credential> out;
        for (const auto& record : private_records_)
            if (const auto* credential = std::get_if<Credential>(&record)) out.push_back(*credential);
        return out;
    }
    std::vector<PrivateRecord> private_records() const {
        std::lock_guard lock(mutex_);
        return private_records_;
    }
    // The next append to be committed fails, as a failed Kafka transaction would.
    void fail_next_append() {
        std::lock_guard lock(mutex_);
        fail_next_ = true;
    }
    // While held, appends wait in the queue (a slow transaction); release lets them commit in order.
    void hold_commits() {
        std::lock_guard lock(mutex_);
        held_ = true;
    }
    void release_commits() {
        {
            std::lock_guard lock(mutex_);
            held_ = false;
        }
        changed_.notify_all();
    }
    std::size_t queued() const {
        std::lock_guard lock(mutex_);
        return queue_.size();
    }

private:
    struct Queued {
        std::vector<Event> events;
        std::shared_ptr<QueuedAppend> append;
    };

    void run() {
        std::unique_lock lock(mutex_);
        while (true) {
            changed_.wait(lock, [&] { return stopping_ || (!held_ && !queue_.empty()); });
            if (queue_.empty()) return;
            auto next = std::move(queue_.front());
            queue_.pop_front();
            if (next.append->withdrawn) continue;
            Result<std::vector<Position>> outcome = std::vector<Position>{};
            if (std::exchange(fail_next_, false)) {
                outcome = Error{ErrorKind::unavailable, "event_log_unavailable", "injected failure"};
            } else {
                for (auto& event : next.events) {
                    events_.push_back(std::move(event));
                    outcome.value().push_back({0, first_offset_ + static_cast<std::int64_t>(events_.size()) - 1});
                }
            }
            lock.unlock();  // the owner's done may enqueue or withdraw
            next.append->done(std::move(outcome));
            lock.lock();
        }
    }

    const std::size_t max_queued_;
    const std::int64_t first_offset_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Queued> queue_;
    std::vector<Event> events_;
    std::vector<PrivateRecord> private_records_;
    bool fail_next_ = false;
    bool held_ = false;
    bool stopping_ = false;
    std::thread committer_;  // last: it starts once every member above exists
};

}  // namespace debrief::events
