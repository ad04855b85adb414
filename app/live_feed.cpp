#include "app/live_feed.hpp"

#include <algorithm>

#include "common/json_log.hpp"
#include "events/codec.hpp"
#include "events/event_consumer.hpp"

namespace debrief::app {

LiveFeed::LiveFeed(LiveFeedSettings settings, const events::KeyRing& keys, api::live::LiveHub& hub, api::live::OwnerLookup owners)
    : settings_(std::move(settings)), keys_(keys), hub_(hub), owners_(std::move(owners)) {}

Result<std::map<int, std::int64_t>> LiveFeed::start_offsets() {
    auto ends = settings_.log_ends();
    if (!ends) return ends.error();
    // Partitions read before resume where they stopped (nothing missed); the others start a little before the end.
    for (auto [partition, end] : ends.value())
        if (!next_.contains(partition)) {
            next_[partition] = std::max<std::int64_t>(0, end - settings_.lookback_per_partition);
            hub_.gap(partition, next_[partition]);
        }
    return next_;
}

Result<bool> LiveFeed::run() {
    auto from = start_offsets();
    if (!from) return from.error();
    auto consumer = events::EventConsumer::all_partitions(settings_.kafka, settings_.topic, [from = from.value()](const std::vector<int>&) { return from; });
    if (!consumer) return consumer.error();
    log_info("live_feed_started", {{"partitions", from->size()}});
    while (!stopping_) {
        for (const auto& record : consumer.value()->poll(500, 100)) {
            next_[record.position.partition] = record.position.offset + 1;
            auto event = events::decode(record.value, &keys_);
            if (!event) continue;  // not an event this build reads: no channel can name it (the projectors report it)
            const auto data = api::live::event_data(event.value());
            for (const auto& routed : api::live::routes_of(event.value(), owners_))
                hub_.publish(routed.key, record.position,
                             std::make_shared<const std::string>(api::live::event_message(event.value(), record.position, routed.channel_name, data)),
                             routed.staff_only);
        }
    }
    return true;
}

}  // namespace debrief::app
