// The event log as the write side sees it: queue events durably, in order, and learn their position.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "common/result.hpp"
#include "common/signal.hpp"
#include "events/codec.hpp"
#include "events/event.hpp"

namespace debrief::events {

// One append in the log's queue. The log calls done exactly once, on its own thread, in queue order, when the events
// are durable (with their positions) or failed; unless the owner withdrew it first.
struct QueuedAppend {
    std::function<void(Result<std::vector<Position>>)> done;
    // Set from inside an earlier append's done: the log drops this one before its next transaction, without calling
    // done (the owner answers it). Used when an append was decided on top of one that failed.
    std::atomic<bool> withdrawn{false};
};

class EventLog {
public:
    virtual ~EventLog() = default;
    // Queues events of one organization behind everything queued before (all or none become visible to readers).
    // Refuses at once, calling nothing, when an event is too large (413 event_too_large) or the queue is full
    // (503 overloaded): a caller never waits for room.
    virtual std::optional<Error> enqueue(std::span<const Event> events, std::shared_ptr<QueuedAppend> append) = 0;
    // Stores a private record (a login credential, a login session, a revocation) on the private credentials topic,
    // under its key (private_record_key); returns once durable.
    virtual Result<Position> put_private(const PrivateRecord& record) = 0;

    // Appends and waits (the thread parks) until the events are durable.
    Result<std::vector<Position>> append(std::span<const Event> events) {
        auto append = std::make_shared<QueuedAppend>();
        auto signal = std::make_shared<Signal>();
        auto outcome = std::make_shared<std::optional<Result<std::vector<Position>>>>();
        append->done = [signal, outcome](Result<std::vector<Position>> result) {
            *outcome = std::move(result);
            signal->set();
        };
        if (auto refused = enqueue(events, append)) return *refused;
        signal->wait();
        return std::move(**outcome);
    }
};

}  // namespace debrief::events
