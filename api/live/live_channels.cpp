#include "api/live/live_channels.hpp"

#include <boost/json.hpp>

#include "api/route_context.hpp"
#include "common/overloaded.hpp"
#include "events/cloudevents.hpp"
#include "events/codec.hpp"

namespace debrief::api::live {
namespace {

constexpr std::string_view kind_prefix(ChannelKind kind) {
    switch (kind) {
        case ChannelKind::session: return "session:";
        case ChannelKind::summary: return "summary:";
        case ChannelKind::action_items: return "action_items:";
        case ChannelKind::coach_dashboard: return "dashboard:coach";
        case ChannelKind::organization: return "organization";
    }
    return "";
}

}  // namespace

std::string Channel::name() const { return std::string(kind_prefix(kind)) + id; }

std::optional<Channel> parse_channel(std::string_view name) {
    for (auto kind : {ChannelKind::coach_dashboard, ChannelKind::organization})
        if (name == kind_prefix(kind)) return Channel{kind, {}};
    for (auto kind : {ChannelKind::session, ChannelKind::summary, ChannelKind::action_items}) {
        auto prefix = kind_prefix(kind);
        if (name.starts_with(prefix) && is_uuid(name.substr(prefix.size()))) return Channel{kind, std::string(name.substr(prefix.size()))};
    }
    return std::nullopt;
}

std::string channel_key(const OrganizationId& organization, const Channel& channel, const UserId& coach) {
    auto key = organization.value + "/" + channel.name();
    if (channel.kind == ChannelKind::coach_dashboard) key += ":" + coach.value;
    return key;
}

std::vector<Routed> routes_of(const events::Event& event, const OwnerLookup& owners) {
    const auto& organization = event.metadata.organization_id;
    std::vector<Routed> routed;
    auto to = [&](ChannelKind kind, const std::string& id, bool staff_only = false) {
        if (id.empty()) return;
        Channel channel{kind, kind == ChannelKind::coach_dashboard ? std::string{} : id};
        routed.push_back({channel_key(organization, channel, UserId{id}), channel.name(), staff_only});
    };
    using K = ChannelKind;
    std::visit(overloaded{
                       [&](const events::SessionCreated& e) {
                           to(K::session, e.session_id.value);
                           to(K::coach_dashboard, e.coach_id.value);
                       },
                       [&](const events::TranscriptUploaded& e) { to(K::session, e.session_id.value, true); },
                       [&](const events::TranscriptParsed& e) { to(K::session, e.session_id.value, true); },
                       [&](const events::SessionProcessingFailed& e) {
                           to(K::session, e.session_id.value);
                           to(K::coach_dashboard, owners.session(e.session_id).coach_id);
                       },
                       [&](const events::SessionAnalysed& e) {
                           to(K::session, e.session_id.value);
                           to(K::coach_dashboard, owners.session(e.session_id).coach_id);
                       },
                       [&](const events::SummaryDrafted& e) {
                           to(K::summary, e.summary_id.value, true);
                           to(K::session, e.session_id.value, true);
                           to(K::coach_dashboard, e.coach_id.value);
                       },
                       [&](const events::SummaryRefined& e) {
                           to(K::summary, e.summary_id.value, true);
                           to(K::session, owners.summary(e.summary_id).session_id, true);
                       },
                       [&](const auto& e)
                           requires std::is_same_v<std::decay_t<decltype(e)>, events::SummaryApproved> ||
                                    std::is_same_v<std::decay_t<decltype(e)>, events::SummaryReopened>
                       {
                           const auto of = owners.summary(e.summary_id);
                           to(K::summary, e.summary_id.value);
                           to(K::session, of.session_id, true);
                           to(K::coach_dashboard, of.coach_id);
                       },
                       [&](const events::ActionItemCreated& e) {
                           to(K::action_items, e.client_id.value);
                           to(K::coach_dashboard, e.coach_id.value);
                       },
                       [&](const auto& e)
                           requires std::is_same_v<events::AggregateIdOf<std::decay_t<decltype(e)>>, ActionItemId> &&
                                    (!std::is_same_v<std::decay_t<decltype(e)>, events::ActionItemCreated>)
                       {
                           const auto of = owners.action_item(e.action_item_id);
                           to(K::action_items, of.client_id);
                           to(K::coach_dashboard, of.coach_id);
                       },
                       [](const auto&) {},  // the organization's feed only
               },
               event.payload);
    routed.push_back({channel_key(organization, Channel{K::organization, {}}), "organization", false});
    return routed;
}

std::string event_data(const events::Event& event) {
    return std::visit(overloaded{
                              [](events::TranscriptUploaded e) {
                                  e.text.clear();
                                  return events::payload_json(e);
                              },
                              [](events::TranscriptParsed e) {
                                  e.segments.clear();
                                  return events::payload_json(e);
                              },
                              [&](const auto&) { return events::payload_json(event.payload); },
                      },
                      event.payload);
}

std::string event_message(const events::Event& event, const events::Position& position, std::string_view channel_name, std::string_view data) {
    namespace json = boost::json;
    json::object head{{"type", "event"},
                      {"channel", channel_name},
                      {"event_type", events::type_name(event.payload)},
                      {"position", events::to_string(position)},
                      {"aggregate_id", event.metadata.aggregate_id},
                      {"aggregate_version", event.metadata.aggregate_version},
                      {"occurred_at", events::rfc3339_utc(event.metadata.occurred_at_ms)}};
    auto text = json::serialize(head);
    text.pop_back();  // the closing brace: data goes in as it was rendered once
    text += ",\"data\":";
    text += data;
    text += '}';
    return text;
}

}  // namespace debrief::api::live
