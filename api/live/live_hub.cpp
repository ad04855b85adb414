#include "api/live/live_hub.hpp"

#include <algorithm>
#include <limits>

namespace debrief::api::live {

LiveHub::LiveHub(HubLimits limits) : limits_(limits) {}

std::int64_t LiveHub::unknown_through(int partition) const {
    auto it = unknown_through_.find(partition);
    return it == unknown_through_.end() ? std::numeric_limits<std::int64_t>::max() : it->second;  // never read: all unknown
}

void LiveHub::gap(int partition, std::int64_t next_offset) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = unknown_through_.try_emplace(partition, next_offset - 1);
    if (!inserted) it->second = std::max(it->second, next_offset - 1);
}

bool LiveHub::forgettable(const ChannelState& channel) const {
    return channel.kept.empty() && channel.followers.empty() && channel.trimmed_through <= unknown_through(channel.partition);
}

void LiveHub::drop_front(ChannelState& channel) {
    bytes_ -= channel.kept.front().message->size();
    --messages_;
    channel.kept.pop_front();
}

void LiveHub::evict_oldest() {
    auto order = std::move(order_.front());
    order_.pop_front();
    auto it = channels_.find(order.key);
    if (it == channels_.end()) return;
    auto& channel = it->second;
    if (channel.kept.empty() || channel.kept.front().sequence != order.sequence) return;  // its channel dropped it already
    auto& mark = unknown_through_[channel.partition];
    mark = std::max(mark, channel.kept.front().position.offset);
    drop_front(channel);
    if (forgettable(channel)) channels_.erase(it);
}

void LiveHub::publish(const std::string& key, const events::Position& position, Text message, bool staff_only) {
    std::lock_guard lock(mutex_);
    auto& channel = channels_[key];
    for (const auto& [subscriber, follower] : channel.followers) {
        if (staff_only && !follower.staff) continue;
        if (follower.since && follower.since->partition == position.partition && position.offset <= follower.since->offset) continue;
        subscriber->deliver(message);
    }
    channel.partition = position.partition;
    bytes_ += message->size();
    ++messages_;
    channel.kept.push_back({++sequence_, position, std::move(message), staff_only});
    order_.push_back({key, sequence_});
    if (channel.kept.size() > limits_.max_messages_per_channel) {
        channel.trimmed_through = channel.kept.front().position.offset;
        drop_front(channel);
    }
    while (!order_.empty() && (messages_ > limits_.max_messages || bytes_ > limits_.max_bytes)) evict_oldest();
}

bool LiveHub::subscribe(Subscriber& subscriber, const Subscription& subscription, const std::function<void(bool)>& announce) {
    std::lock_guard lock(mutex_);
    auto& channel = channels_[subscription.key];
    auto [follower, added] = channel.followers.insert_or_assign(&subscriber, Follower{subscription.staff, subscription.since});
    if (added) ++subscriptions_;
    bool recovered = false;
    if (const auto& since = subscription.since) {
        const bool one_partition = std::all_of(channel.kept.begin(), channel.kept.end(), [&](const Kept& k) { return k.position.partition == since->partition; });
        const auto partition = channel.kept.empty() ? since->partition : channel.partition;
        recovered = one_partition && since->offset >= unknown_through(since->partition) &&
                    (partition != since->partition || since->offset >= channel.trimmed_through);
    }
    announce(recovered);
    if (subscription.since && recovered)
        for (const auto& kept : channel.kept)
            if (kept.position.offset > subscription.since->offset && (subscription.staff || !kept.staff_only)) subscriber.deliver(kept.message);
    return recovered;
}

void LiveHub::unsubscribe(Subscriber& subscriber, const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(key);
    if (it == channels_.end()) return;
    subscriptions_ -= it->second.followers.erase(&subscriber);
    if (forgettable(it->second)) channels_.erase(it);
}

LiveHub::Stats LiveHub::stats() const {
    std::lock_guard lock(mutex_);
    return {channels_.size(), subscriptions_, messages_, bytes_};
}

}  // namespace debrief::api::live
