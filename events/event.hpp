// Domain events as plain C++ values, and the metadata every event carries. The codec maps them to schemas/*.fbs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/type_list.hpp"
#include "events/ids.hpp"

namespace debrief::events {

// An event is declared once: here, its struct with its public type (CloudEvents ce_type, part of the integrator
// contract) and its aggregate id, whose id type names the aggregate; in events/codec.cpp, one line naming its
// FlatBuffers table and fields; and in EventTypes below. Everything else is derived or checked by the compiler.

struct OrganizationCreated {
    static constexpr std::string_view type = "debrief.organization.created";
    OrganizationId organization_id;
    std::string name;
    bool operator==(const OrganizationCreated&) const = default;
    const auto& aggregate_id() const { return organization_id; }
};

// Which roles must log in with a second factor (TOTP); an empty list requires it of nobody.
struct MfaPolicySet {
    static constexpr std::string_view type = "debrief.organization.mfa_policy_set";
    OrganizationId organization_id;
    std::vector<std::string> required_for;  // roles, each once, in the order admin, coach_lead, coach, client
    bool operator==(const MfaPolicySet&) const = default;
    const auto& aggregate_id() const { return organization_id; }
};

struct UserRegistered {
    static constexpr std::string_view type = "debrief.user.registered";
    UserId user_id;
    std::string name;
    std::string email;
    std::string role;
    UserId lead_id;      // a coach's coach lead; empty when none
    ClientId client_id;  // for role client: the client record this login belongs to
    bool operator==(const UserRegistered&) const = default;
    const auto& aggregate_id() const { return user_id; }
};

struct ClientRegistered {
    static constexpr std::string_view type = "debrief.client.registered";
    ClientId client_id;
    std::string name;
    std::string email;  // optional
    std::vector<std::string> tags;
    std::string team;
    UserId coach_id;     // the coach responsible for this client
    std::string source;  // manual | transcript
    bool operator==(const ClientRegistered&) const = default;
    const auto& aggregate_id() const { return client_id; }
};

// An admin erased the client: their keys (and those of their logins and of the raw transcripts they spoke in) are
// deleted in the same transaction; every copy drops what it derived from them.
struct ClientErased {
    static constexpr std::string_view type = "debrief.client.erased";
    ClientId client_id;
    std::vector<std::string> subjects;  // "client:<id>", "user:<id>", "session:<id>"
    bool operator==(const ClientErased&) const = default;
    const auto& aggregate_id() const { return client_id; }
};

struct SessionCreated {
    static constexpr std::string_view type = "debrief.session.created";
    SessionId session_id;
    UserId coach_id;
    std::string session_date;
    std::string session_type;
    bool operator==(const SessionCreated&) const = default;
    const auto& aggregate_id() const { return session_id; }
};

struct SpeakerClient {
    std::string speaker;
    ClientId client_id;
    bool operator==(const SpeakerClient&) const = default;
};

struct TranscriptUploaded {
    static constexpr std::string_view type = "debrief.session.transcript_uploaded";
    SessionId session_id;
    std::string format;
    std::string text;
    std::vector<SpeakerClient> speaker_clients;  // explicit mapping from the request
    std::string coach_speaker;                   // named by the uploader, or empty
    bool operator==(const TranscriptUploaded&) const = default;
    const auto& aggregate_id() const { return session_id; }
};

struct ParticipantSummary {
    std::string name;
    double speaking_seconds = 0;
    int word_count = 0;
    int turn_count = 0;
    ClientId client_id;  // empty for the coach
    bool is_coach = false;
    bool operator==(const ParticipantSummary&) const = default;
};

struct TranscriptSegment {
    std::string speaker;
    std::optional<double> start_seconds;
    std::optional<double> end_seconds;
    std::string text;
    bool operator==(const TranscriptSegment&) const = default;
};

struct TranscriptParsed {
    static constexpr std::string_view type = "debrief.session.transcript_parsed";
    SessionId session_id;
    bool timed = false;
    std::vector<ParticipantSummary> participants;
    std::vector<TranscriptSegment> segments;
    bool operator==(const TranscriptParsed&) const = default;
    const auto& aggregate_id() const { return session_id; }
};

struct SessionProcessingFailed {
    static constexpr std::string_view type = "debrief.session.processing_failed";
    SessionId session_id;
    std::string stage;   // "parse"
    std::string code;    // the refusal's stable code
    std::string reason;  // for people
    bool operator==(const SessionProcessingFailed&) const = default;
    const auto& aggregate_id() const { return session_id; }
};

struct SessionAnalysed {
    static constexpr std::string_view type = "debrief.session.analysed";
    SessionId session_id;
    std::vector<SummaryId> summary_ids;
    bool operator==(const SessionAnalysed&) const = default;
    const auto& aggregate_id() const { return session_id; }
};

struct ActionItemDraft {
    std::string title;
    std::string owner_id;  // the client's id or the coach's user id
    std::string due_date;  // YYYY-MM-DD or empty
    bool operator==(const ActionItemDraft&) const = default;
};

struct SummaryContent {
    std::vector<std::string> wins;
    std::vector<std::string> challenges;
    std::vector<ActionItemDraft> action_items;
    std::vector<std::string> coach_recommendations;
    bool operator==(const SummaryContent&) const = default;
};

struct SummaryDrafted {
    static constexpr std::string_view type = "debrief.summary.drafted";
    SummaryId summary_id;
    SessionId session_id;
    ClientId client_id;
    UserId coach_id;
    SummaryContent content;
    std::string engagement;  // high | medium | low | silent
    bool breakthrough = false;
    double priority_score = 0;
    std::string analyser;
    bool operator==(const SummaryDrafted&) const = default;
    const auto& aggregate_id() const { return summary_id; }
};

struct SummaryRefined {
    static constexpr std::string_view type = "debrief.summary.refined";
    SummaryId summary_id;
    std::string message;
    std::string reply;
    SummaryContent before;
    SummaryContent after;
    std::string refiner;
    ClientId client_id;  // the summary's client: whose key seals the text; empty in events written before sealing
    bool operator==(const SummaryRefined&) const = default;
    const auto& aggregate_id() const { return summary_id; }
};

struct SummaryApproved {
    static constexpr std::string_view type = "debrief.summary.approved";
    SummaryId summary_id;
    SummaryContent content;
    ClientId client_id;
    bool operator==(const SummaryApproved&) const = default;
    const auto& aggregate_id() const { return summary_id; }
};

struct SummaryReopened {
    static constexpr std::string_view type = "debrief.summary.reopened";
    SummaryId summary_id;
    std::string reason;
    ClientId client_id;
    bool operator==(const SummaryReopened&) const = default;
    const auto& aggregate_id() const { return summary_id; }
};

struct ActionItemCreated {
    static constexpr std::string_view type = "debrief.action_item.created";
    ActionItemId action_item_id;
    ClientId client_id;
    UserId coach_id;
    std::string title;
    std::string owner_id;  // the client's id or a user's id
    std::string due_date;  // YYYY-MM-DD or empty
    std::string source;    // summary | session | manual
    SessionId session_id;
    SummaryId summary_id;
    bool operator==(const ActionItemCreated&) const = default;
    const auto& aggregate_id() const { return action_item_id; }
};

struct ActionItemAssigned {
    static constexpr std::string_view type = "debrief.action_item.assigned";
    ActionItemId action_item_id;
    std::string owner_id;  // the client's id or a user's id
    bool operator==(const ActionItemAssigned&) const = default;
    const auto& aggregate_id() const { return action_item_id; }
};

struct ActionItemRescheduled {
    static constexpr std::string_view type = "debrief.action_item.rescheduled";
    ActionItemId action_item_id;
    std::string due_date;  // YYYY-MM-DD or empty
    bool operator==(const ActionItemRescheduled&) const = default;
    const auto& aggregate_id() const { return action_item_id; }
};

struct ActionItemCompleted {
    static constexpr std::string_view type = "debrief.action_item.completed";
    ActionItemId action_item_id;
    bool operator==(const ActionItemCompleted&) const = default;
    const auto& aggregate_id() const { return action_item_id; }
};

struct ActionItemReopened {
    static constexpr std::string_view type = "debrief.action_item.reopened";
    ActionItemId action_item_id;
    bool operator==(const ActionItemReopened&) const = default;
    const auto& aggregate_id() const { return action_item_id; }
};

struct ActionItemCancelled {
    static constexpr std::string_view type = "debrief.action_item.cancelled";
    ActionItemId action_item_id;
    std::string reason;
    ClientId client_id;  // whose key seals the reason; empty in events written before sealing
    bool operator==(const ActionItemCancelled&) const = default;
    const auto& aggregate_id() const { return action_item_id; }
};

struct NoteAdded {
    static constexpr std::string_view type = "debrief.note.added";
    NoteId note_id;
    ClientId client_id;
    UserId coach_id;
    std::string text;
    bool operator==(const NoteAdded&) const = default;
    const auto& aggregate_id() const { return note_id; }
};

struct NoteAddressed {
    static constexpr std::string_view type = "debrief.note.addressed";
    NoteId note_id;
    SessionId session_id;
    bool operator==(const NoteAddressed&) const = default;
    const auto& aggregate_id() const { return note_id; }
};

struct TemplateCreated {
    static constexpr std::string_view type = "debrief.template.created";
    TemplateId template_id;
    std::string kind;  // summary | email | prompt
    std::string name;
    std::string subject;  // e-mail templates only
    std::string body;
    UserId owner_id;  // the coach it belongs to; empty for an organization-wide template
    bool operator==(const TemplateCreated&) const = default;
    const auto& aggregate_id() const { return template_id; }
};

struct TemplateRevised {
    static constexpr std::string_view type = "debrief.template.revised";
    TemplateId template_id;
    std::string name;
    std::string subject;
    std::string body;
    bool operator==(const TemplateRevised&) const = default;
    const auto& aggregate_id() const { return template_id; }
};

struct FollowUpDrafted {
    static constexpr std::string_view type = "debrief.follow_up.drafted";
    FollowUpId follow_up_id;
    SummaryId summary_id;
    SessionId session_id;
    ClientId client_id;
    UserId coach_id;
    std::string template_id;  // a template's id or a system default's name, e.g. "system:email"
    std::string recipient;    // e-mail address
    std::string subject;
    std::string body;
    bool operator==(const FollowUpDrafted&) const = default;
    const auto& aggregate_id() const { return follow_up_id; }
};

// Put in the outbox: the delivery adapter sends it at or after send_at.
struct FollowUpScheduled {
    static constexpr std::string_view type = "debrief.follow_up.scheduled";
    FollowUpId follow_up_id;
    std::int64_t send_at_ms = 0;
    bool operator==(const FollowUpScheduled&) const = default;
    const auto& aggregate_id() const { return follow_up_id; }
};

struct FollowUpSent {
    static constexpr std::string_view type = "debrief.follow_up.sent";
    FollowUpId follow_up_id;
    int attempt = 0;
    std::string channel;     // smtp | file
    std::string message_id;  // the RFC 5322 Message-ID, stable across attempts
    bool operator==(const FollowUpSent&) const = default;
    const auto& aggregate_id() const { return follow_up_id; }
};

// One failed delivery attempt: retried at retry_at_ms, or, when gave_up, left failed until it is sent again.
struct FollowUpDeliveryFailed {
    static constexpr std::string_view type = "debrief.follow_up.delivery_failed";
    FollowUpId follow_up_id;
    int attempt = 0;
    std::string error;
    std::int64_t retry_at_ms = 0;
    bool gave_up = false;
    ClientId client_id;  // the recipient: whose key seals the error, which may quote the address
    bool operator==(const FollowUpDeliveryFailed&) const = default;
    const auto& aggregate_id() const { return follow_up_id; }
};

// An admin changed a user's role (and, for coaches, their coach lead).
struct UserRoleChanged {
    static constexpr std::string_view type = "debrief.user.role_changed";
    UserId user_id;
    std::string role;
    UserId lead_id;
    bool operator==(const UserRoleChanged&) const = default;
    const auto& aggregate_id() const { return user_id; }
};

// A deactivated user cannot log in and their tokens are refused; their history stays.
struct UserDeactivated {
    static constexpr std::string_view type = "debrief.user.deactivated";
    UserId user_id;
    std::string reason;
    bool operator==(const UserDeactivated&) const = default;
    const auto& aggregate_id() const { return user_id; }
};

struct UserReactivated {
    static constexpr std::string_view type = "debrief.user.reactivated";
    UserId user_id;
    bool operator==(const UserReactivated&) const = default;
    const auto& aggregate_id() const { return user_id; }
};

// How a coach writes: follow-ups sign off with sign_off; tone and phrases guide drafts and refinements.
struct VoiceProfileSet {
    static constexpr std::string_view type = "debrief.user.voice_profile_set";
    UserId user_id;
    std::string tone;  // warm | direct | formal | encouraging | neutral
    std::string sign_off;
    std::vector<std::string> phrases_to_avoid;
    bool operator==(const VoiceProfileSet&) const = default;
    const auto& aggregate_id() const { return user_id; }
};

struct NotificationPreferencesSet {
    static constexpr std::string_view type = "debrief.user.notification_preferences_set";
    UserId user_id;
    std::string email_digest;         // off | daily | weekly
    std::vector<std::string> notify_on;  // e.g. summary_drafted, action_item_overdue, follow_up_failed
    std::string quiet_hours_start;    // HH:MM or empty
    std::string quiet_hours_end;
    std::string time_zone;            // IANA name, e.g. Europe/Berlin, or empty for UTC
    bool operator==(const NotificationPreferencesSet&) const = default;
    const auto& aggregate_id() const { return user_id; }
};

struct MetricValue {
    std::string metric;  // snake_case KPI name, e.g. csat, aht_seconds
    double value = 0;
    bool operator==(const MetricValue&) const = default;
};

// One agent's KPIs on one day, as one row of the imported file said them; empty cells are absent.
struct MetricsRow {
    std::uint32_t row = 0;  // the row number a spreadsheet shows (the header is row 1)
    ClientId client_id;
    std::string date;  // YYYY-MM-DD
    std::vector<MetricValue> values;
    bool operator==(const MetricsRow&) const = default;
};

// A validated file, staged for preview; nothing counts until it is committed. Large files carry their rows over
// several events of one append (this one, then MetricsImportRowsStaged), so each message stays under Kafka's 1 MiB.
struct MetricsImportStaged {
    static constexpr std::string_view type = "debrief.metrics_import.staged";
    MetricsImportId import_id;
    UserId importer_id;
    std::string file_name;           // as given by the uploader, or empty
    std::uint32_t row_count = 0;     // of the whole import, over every chunk
    std::vector<std::string> metrics;  // the KPI columns, in file order
    std::vector<MetricsRow> rows;      // the first chunk of rows
    bool operator==(const MetricsImportStaged&) const = default;
    const auto& aggregate_id() const { return import_id; }
};

struct MetricsImportRowsStaged {
    static constexpr std::string_view type = "debrief.metrics_import.rows_staged";
    MetricsImportId import_id;
    std::vector<MetricsRow> rows;  // the next chunk, in file order
    bool operator==(const MetricsImportRowsStaged&) const = default;
    const auto& aggregate_id() const { return import_id; }
};

struct MetricsImportCommitted {
    static constexpr std::string_view type = "debrief.metrics_import.committed";
    MetricsImportId import_id;
    bool operator==(const MetricsImportCommitted&) const = default;
    const auto& aggregate_id() const { return import_id; }
};

struct MetricsImportDiscarded {
    static constexpr std::string_view type = "debrief.metrics_import.discarded";
    MetricsImportId import_id;
    bool operator==(const MetricsImportDiscarded&) const = default;
    const auto& aggregate_id() const { return import_id; }
};

// An admin created an API key for integrators (commands/api_key.hpp); its secret's hash is a private record.
struct ApiKeyCreated {
    static constexpr std::string_view type = "debrief.api_key.created";
    ApiKeyId api_key_id;
    OrganizationId organization_id;
    std::string name;
    std::vector<std::string> scopes;  // read | write, each once, in that order
    std::string prefix;               // "dbk_" and the id's first 8 hex digits: how lists and logs tell keys apart
    bool operator==(const ApiKeyCreated&) const = default;
    const auto& aggregate_id() const { return api_key_id; }
};

// The key authenticated a request: at most once per key per hour (the first request of each).
struct ApiKeyUsed {
    static constexpr std::string_view type = "debrief.api_key.used";
    ApiKeyId api_key_id;
    bool operator==(const ApiKeyUsed&) const = default;
    const auto& aggregate_id() const { return api_key_id; }
};

struct ApiKeyRevoked {
    static constexpr std::string_view type = "debrief.api_key.revoked";
    ApiKeyId api_key_id;
    bool operator==(const ApiKeyRevoked&) const = default;
    const auto& aggregate_id() const { return api_key_id; }
};

// The event type list, in the order of schemas/envelope.fbs's union (append-only). Every consumer of events is
// checked against it at compile time (events/event_dispatch.hpp).
using EventTypes =
    TypeList<OrganizationCreated, UserRegistered, SessionCreated, TranscriptUploaded, TranscriptParsed, ClientRegistered, SummaryDrafted,
             SessionAnalysed, SummaryRefined, SummaryApproved, SummaryReopened, ActionItemCreated, ActionItemAssigned, ActionItemRescheduled,
             ActionItemCompleted, ActionItemReopened, ActionItemCancelled, NoteAdded, NoteAddressed, TemplateCreated, TemplateRevised,
             FollowUpDrafted, FollowUpScheduled, FollowUpSent, FollowUpDeliveryFailed, UserRoleChanged, UserDeactivated, UserReactivated,
             VoiceProfileSet, NotificationPreferencesSet, MetricsImportStaged, MetricsImportRowsStaged, MetricsImportCommitted,
             MetricsImportDiscarded, SessionProcessingFailed, ClientErased, MfaPolicySet, ApiKeyCreated, ApiKeyUsed, ApiKeyRevoked>;
using Payload = VariantOf<EventTypes>::type;

// The id type of the aggregate an event belongs to, e.g. NoteId; its tag names the aggregate.
template <typename E>
using AggregateIdOf = std::decay_t<decltype(std::declval<const E&>().aggregate_id())>;

template <typename E>
inline constexpr std::string_view aggregate_name_of = AggregateIdOf<E>::tag::aggregate;

// The events of the aggregate whose id type is AggregateId, in type-list order.
template <typename AggregateId>
struct BelongsTo {
    template <typename E>
    using test = std::is_same<AggregateIdOf<E>, AggregateId>;
};
template <typename AggregateId>
using EventsOf = filter_t<BelongsTo<AggregateId>::template test, EventTypes>;

inline std::string_view type_name(const Payload& payload) {
    return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::type; }, payload);
}
inline std::string_view aggregate_type(const Payload& payload) {
    return std::visit([](const auto& e) { return aggregate_name_of<std::decay_t<decltype(e)>>; }, payload);
}
// The id of the aggregate an event belongs to.
inline const std::string& aggregate_id(const Payload& payload) {
    return std::visit([](const auto& e) -> const std::string& { return e.aggregate_id().value; }, payload);
}

// Who and what caused a batch of events; shared by every event a command appends.
struct Cause {
    UserId actor_id;
    std::string correlation_id;
    std::string causation_id;
    std::string idempotency_key;
    std::string request_hash;  // fingerprint of the request the key came with (never of a password)
};

struct Metadata {
    std::string event_id;
    OrganizationId organization_id;
    std::string aggregate_id;
    std::uint64_t aggregate_version = 0;
    std::int64_t occurred_at_ms = 0;
    Cause cause;
    // Read side only: the data subjects whose seals in this event did not open (erased, or read without keys).
    std::vector<std::string> unopened_seals;
};

struct Event {
    Metadata metadata;
    Payload payload;
};

// Where an event sits in the log: Kafka partition and offset. Rendered "partition:offset" on the wire.
struct Position {
    int partition = -1;
    std::int64_t offset = -1;
    bool valid() const { return partition >= 0 && offset >= 0; }
    auto operator<=>(const Position&) const = default;
};

std::string to_string(const Position& position);
std::optional<Position> parse_position(std::string_view text);

}  // namespace debrief::events
