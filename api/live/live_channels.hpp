// The channels a WebSocket client can follow (docs/websocket.md), and which of them an event reaches: pure, so the
// routing is tested without sockets or Kafka.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.hpp"

namespace debrief::api::live {

enum class ChannelKind { session, summary, action_items, coach_dashboard, organization };

struct Channel {
    ChannelKind kind = ChannelKind::organization;
    std::string id;  // the session, summary or client id; empty for dashboard:coach and organization
    // As clients name it: "session:<id>", "summary:<id>", "action_items:<client id>", "dashboard:coach", "organization".
    std::string name() const;
};

// nullopt for a name that is none of the above (an id must be a UUID).
std::optional<Channel> parse_channel(std::string_view name);

// Where a channel's messages live in the hub: channels of different organizations never meet, and each coach has a
// dashboard channel of their own (a subscriber's "dashboard:coach" is their own).
std::string channel_key(const OrganizationId& organization, const Channel& channel, const UserId& coach = {});

// What an event alone does not say: the session, client and coach of the summary or action item it changes.
struct Owners {
    std::string session_id;
    std::string client_id;
    std::string coach_id;
};
struct OwnerLookup {
    std::function<Owners(const SummaryId&)> summary;
    std::function<Owners(const SessionId&)> session;
    std::function<Owners(const ActionItemId&)> action_item;
};

// One message an event becomes on one channel.
struct Routed {
    std::string key;           // channel_key
    std::string channel_name;  // what the message names
    // Staff only: a client user subscribed to the channel does not get it (drafts, refinements and the parse, which
    // name the other participants of a session), as the HTTP routes show a client only what concerns them.
    bool staff_only = false;
};

// Every channel the event reaches: its session, summary, client's action items, coach's dashboard (when the priority
// queue, pending reviews or due items may have changed), and always its organization's feed.
std::vector<Routed> routes_of(const events::Event& event, const OwnerLookup& owners);

// The payload as docs/event-schemas.md renders it, without a transcript's text and segments (GET
// /v1/sessions/{id}/transcript has them): made once per event, whatever the number of channels and subscribers.
std::string event_data(const events::Event& event);
// The message for one channel: {"type":"event","channel","event_type","position","aggregate_id","aggregate_version",
// "occurred_at","data"}, data from event_data.
std::string event_message(const events::Event& event, const events::Position& position, std::string_view channel_name, std::string_view data);

}  // namespace debrief::api::live
