// Who follows which channel, and the recent messages of every channel so that a client that reconnects gets what it
// missed (Centrifugo's recovery, with Kafka positions as the offsets): one hub per instance, fed from the log.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/event.hpp"

namespace debrief::api::live {

using Text = std::shared_ptr<const std::string>;

// Receives a channel's messages; deliver must not block (it queues), and is called with the hub's lock held, so the
// messages of a subscription arrive in the order the hub published them.
class Subscriber {
public:
    virtual ~Subscriber() = default;
    virtual void deliver(const Text& message) = 0;
};

struct HubLimits {
    std::size_t max_messages = 100'000;           // kept for recovery, every channel together
    std::size_t max_bytes = 64 * 1024 * 1024;
    std::size_t max_messages_per_channel = 1'000;
};

struct Subscription {
    std::string key;  // channel_key
    bool staff = true;  // false for a client user: staff-only messages are not delivered
    // The last position the client saw: what came after it is delivered first, and nothing at or before it.
    std::optional<events::Position> since;
};

class LiveHub {
public:
    explicit LiveHub(HubLimits limits = {});

    // The feed reads the partition from next_offset on, and nothing before it is known here (its start, or a restart
    // that skipped records): a client that saw less than that cannot be brought up to date.
    void gap(int partition, std::int64_t next_offset);
    void publish(const std::string& key, const events::Position& position, Text message, bool staff_only);
    // Registers the subscriber (one subscription per key and subscriber: a second replaces the first), then, under the
    // same lock, calls announce(recovered) and delivers what the channel kept after `since`. recovered: since was
    // given and everything after it on the channel is delivered (nothing the client missed was dropped or is unknown).
    bool subscribe(Subscriber& subscriber, const Subscription& subscription, const std::function<void(bool recovered)>& announce);
    void unsubscribe(Subscriber& subscriber, const std::string& key);

    struct Stats {
        std::size_t channels = 0;
        std::size_t subscriptions = 0;
        std::size_t messages = 0;
        std::size_t bytes = 0;
    };
    Stats stats() const;

private:
    struct Kept {
        std::uint64_t sequence = 0;  // order of publication, to tell in order_ a message already dropped by its channel
        events::Position position;
        Text message;
        bool staff_only = false;
    };
    struct Follower {
        bool staff;
        std::optional<events::Position> since;
    };
    struct ChannelState {
        std::deque<Kept> kept;
        std::unordered_map<Subscriber*, Follower> followers;  // by subscriber: 50,000 on one channel come and go in O(1)
        int partition = -1;                 // of its messages: an organization's events share one partition
        std::int64_t trimmed_through = -1;  // the last offset this channel dropped by its own limit
    };
    struct Order {
        std::string key;
        std::uint64_t sequence = 0;
    };
    void evict_oldest();
    void drop_front(ChannelState& channel);
    bool forgettable(const ChannelState& channel) const;
    std::int64_t unknown_through(int partition) const;

    HubLimits limits_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, ChannelState> channels_;
    std::deque<Order> order_;  // every kept message, oldest first: what goes when the hub is full
    std::uint64_t sequence_ = 0;
    std::size_t messages_ = 0;
    std::size_t bytes_ = 0;
    std::size_t subscriptions_ = 0;
    std::map<int, std::int64_t> unknown_through_;  // partition -> the last offset whose message may be gone or was never read
};

}  // namespace debrief::api::live
