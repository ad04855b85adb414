// The log read live for the WebSockets: every partition of the events topic from a little before its end (so a
// client that reconnects after a restart can still recover what it missed), each event routed to its channels and
// published to the hub (api/live/live_hub.hpp). Started by the service, restarted with backoff when it fails.
#pragma once

#include <atomic>
#include <functional>
#include <map>

#include "api/live/live_channels.hpp"
#include "api/live/live_hub.hpp"
#include "common/result.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::events {
class KeyRing;
}

namespace debrief::app {

struct LiveFeedSettings {
    events::KafkaSettings kafka;
    std::string topic;
    std::int64_t lookback_per_partition = 1'000;  // records read again at start, for recovery after a restart
    std::function<Result<std::map<int, std::int64_t>>()> log_ends;
};

class LiveFeed {
public:
    LiveFeed(LiveFeedSettings settings, const events::KeyRing& keys, api::live::LiveHub& hub, api::live::OwnerLookup owners);
    // Where each partition is read from: where the last run stopped, else a little before the log's end (the hub
    // learns that nothing before it is known). Called before the first run, a client's resume at once has its answer.
    Result<std::map<int, std::int64_t>> start_offsets();
    // Reads until stop() (true), or until the log fails (the error; run again to resume where it stopped).
    Result<bool> run();
    void stop() { stopping_ = true; }

private:
    LiveFeedSettings settings_;
    const events::KeyRing& keys_;
    api::live::LiveHub& hub_;
    api::live::OwnerLookup owners_;
    std::atomic<bool> stopping_{false};
    std::map<int, std::int64_t> next_;  // partition -> next offset, across runs
};

}  // namespace debrief::app
