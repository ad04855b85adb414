// FlatBuffers encoding of events; the only file that knows the generated schema types.
#include "events/codec.hpp"

#include <boost/json.hpp>
#include <flatbuffers/flatbuffers.h>

#include <map>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "common/overloaded.hpp"
#include "events/personal_data.hpp"
#include "schemas/api_key_secret_generated.h"
#include "schemas/credential_generated.h"
#include "schemas/envelope_generated.h"
#include "schemas/login_session_generated.h"
#include "schemas/mfa_enrolment_generated.h"
#include "schemas/sessions_revoked_generated.h"
#include "schemas/subject_key_generated.h"

namespace debrief::events {
namespace fb = debrief::schema;
namespace {

using Builder = flatbuffers::FlatBufferBuilder;
template <typename T>
using FbVector = flatbuffers::Vector<flatbuffers::Offset<T>>;

// How each C++ type is one FlatBuffers table, field by field (the TABLE lines below), and how every field type is
// written and read. Strings are written once per message when a table says so (metrics rows repeat names).
template <typename T>
struct Table;

template <typename T>
concept HasTable = requires { typename Table<T>::flat; };
template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};
template <typename T>
struct IsId : std::false_type {};
template <typename Tag>
struct IsId<Id<Tag>> : std::true_type {};

flatbuffers::Offset<flatbuffers::String> put_string(Builder& b, const std::string& text, bool shared) {
    return shared ? b.CreateSharedString(text) : b.CreateString(text);
}

template <typename T>
auto put(Builder& b, const T& value, bool shared) {
    if constexpr (std::is_same_v<T, std::string>) return put_string(b, value, shared);
    else if constexpr (IsId<T>::value) return put_string(b, value.value, shared);
    else if constexpr (std::is_same_v<T, std::optional<double>>) return value.value_or(-1);  // the schema's default: absent
    else if constexpr (std::is_arithmetic_v<T>) return value;
    else if constexpr (HasTable<T>) return Table<T>::write(b, value);
    else if constexpr (IsVector<T>::value) {
        using Element = decltype(put(b, value.front(), shared));
        std::vector<Element> out;
        out.reserve(value.size());
        for (const auto& element : value) out.push_back(put(b, element, shared));
        return b.CreateVector(out);
    } else static_assert(sizeof(T) == 0, "no FlatBuffers mapping for this field type");
}

// A table's empty string field is left out (it reads back empty): a sealed payload is mostly empty fields. Strings
// inside vectors are always written, since a vector cannot hold an absent element.
template <typename T>
auto put_field(Builder& b, const T& value, bool shared) {
    if constexpr (std::is_same_v<T, std::string>) return value.empty() ? flatbuffers::Offset<flatbuffers::String>{} : put_string(b, value, shared);
    else if constexpr (IsId<T>::value) return value.empty() ? flatbuffers::Offset<flatbuffers::String>{} : put_string(b, value.value, shared);
    else return put(b, value, shared);
}

std::string str(const flatbuffers::String* s) { return s ? s->str() : std::string{}; }

template <typename T, typename Field>
void get(T& out, const Field& field) {
    if constexpr (std::is_same_v<T, std::string>) out = str(field);
    else if constexpr (IsId<T>::value) out.value = str(field);
    else if constexpr (std::is_same_v<T, std::optional<double>>) out = field < 0 ? std::nullopt : std::optional<double>(field);
    else if constexpr (std::is_arithmetic_v<T>) out = static_cast<T>(field);
    else if constexpr (HasTable<T>) out = field ? Table<T>::read(*field) : T{};
    else if constexpr (IsVector<T>::value) {
        out.clear();
        if (!field) return;
        out.reserve(field->size());
        for (const auto* element : *field) get(out.emplace_back(), element);
    } else static_assert(sizeof(T) == 0, "no FlatBuffers mapping for this field type");
}

// A field as JSON, for exports: text and ids as strings, an absent optional as null, parts as objects.
template <typename T>
boost::json::value to_json(const T& value) {
    if constexpr (std::is_same_v<T, std::string>) return boost::json::string(value);
    else if constexpr (IsId<T>::value) return boost::json::string(value.value);
    else if constexpr (std::is_same_v<T, std::optional<double>>) return value ? boost::json::value(*value) : boost::json::value(nullptr);
    else if constexpr (std::is_same_v<T, bool>) return value;
    else if constexpr (std::is_integral_v<T>) return static_cast<std::int64_t>(value);
    else if constexpr (std::is_arithmetic_v<T>) return static_cast<double>(value);
    else if constexpr (HasTable<T>) return Table<T>::json(value);
    else if constexpr (IsVector<T>::value) {
        boost::json::array out;
        out.reserve(value.size());
        for (const auto& element : value) out.push_back(to_json(element));
        return out;
    } else static_assert(sizeof(T) == 0, "no JSON mapping for this field type");
}

#define DEBRIEF_FOR_EACH_1(m, x) m(x)
#define DEBRIEF_FOR_EACH_2(m, x, ...) m(x) DEBRIEF_FOR_EACH_1(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_3(m, x, ...) m(x) DEBRIEF_FOR_EACH_2(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_4(m, x, ...) m(x) DEBRIEF_FOR_EACH_3(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_5(m, x, ...) m(x) DEBRIEF_FOR_EACH_4(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_6(m, x, ...) m(x) DEBRIEF_FOR_EACH_5(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_7(m, x, ...) m(x) DEBRIEF_FOR_EACH_6(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_8(m, x, ...) m(x) DEBRIEF_FOR_EACH_7(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_9(m, x, ...) m(x) DEBRIEF_FOR_EACH_8(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_10(m, x, ...) m(x) DEBRIEF_FOR_EACH_9(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_11(m, x, ...) m(x) DEBRIEF_FOR_EACH_10(m, __VA_ARGS__)
#define DEBRIEF_FOR_EACH_12(m, x, ...) m(x) DEBRIEF_FOR_EACH_11(m, __VA_ARGS__)
#define DEBRIEF_PICK(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, name, ...) name
#define DEBRIEF_FOR_EACH(m, ...)                                                                                                 \
    DEBRIEF_PICK(__VA_ARGS__, DEBRIEF_FOR_EACH_12, DEBRIEF_FOR_EACH_11, DEBRIEF_FOR_EACH_10, DEBRIEF_FOR_EACH_9, DEBRIEF_FOR_EACH_8, \
                 DEBRIEF_FOR_EACH_7, DEBRIEF_FOR_EACH_6, DEBRIEF_FOR_EACH_5, DEBRIEF_FOR_EACH_4, DEBRIEF_FOR_EACH_3, DEBRIEF_FOR_EACH_2,  \
                 DEBRIEF_FOR_EACH_1)                                                                                             \
    (m, __VA_ARGS__)

// Offsets (strings, vectors, tables) are made before the table is started, as FlatBuffers requires; the field names
// are those of the schema and of the C++ struct, so a misspelt or missing one does not compile.
#define DEBRIEF_PUT(field) auto field##_ = put_field(b, value.field, shares_strings);
#define DEBRIEF_ADD(field) table.add_##field(field##_);
#define DEBRIEF_GET(field) get(out.field, in.field());
#define DEBRIEF_JSON(field) out[#field] = to_json(value.field);
#define DEBRIEF_TABLE_AS(Cpp, Fb, shares, ...)                             \
    template <>                                                            \
    struct Table<Cpp> {                                                    \
        using flat = fb::Fb;                                               \
        static constexpr bool shares_strings = shares;                     \
        static flatbuffers::Offset<flat> write(Builder& b, const Cpp& value) { \
            DEBRIEF_FOR_EACH(DEBRIEF_PUT, __VA_ARGS__)                     \
            fb::Fb##Builder table(b);                                      \
            DEBRIEF_FOR_EACH(DEBRIEF_ADD, __VA_ARGS__)                     \
            return table.Finish();                                         \
        }                                                                  \
        static Cpp read(const flat& in) {                                  \
            Cpp out{};                                                     \
            DEBRIEF_FOR_EACH(DEBRIEF_GET, __VA_ARGS__)                     \
            return out;                                                    \
        }                                                                  \
        static boost::json::object json(const Cpp& value) {                \
            boost::json::object out;                                       \
            DEBRIEF_FOR_EACH(DEBRIEF_JSON, __VA_ARGS__)                    \
            return out;                                                    \
        }                                                                  \
    };
#define DEBRIEF_TABLE(Name, ...) DEBRIEF_TABLE_AS(Name, Name, false, __VA_ARGS__)

// Parts of events.
DEBRIEF_TABLE(ActionItemDraft, title, owner_id, due_date)
DEBRIEF_TABLE(SummaryContent, wins, challenges, action_items, coach_recommendations)
DEBRIEF_TABLE(SpeakerClient, speaker, client_id)
DEBRIEF_TABLE_AS(ParticipantSummary, Participant, false, name, speaking_seconds, word_count, turn_count, client_id, is_coach)
DEBRIEF_TABLE_AS(TranscriptSegment, Segment, false, speaker, start_seconds, end_seconds, text)
DEBRIEF_TABLE_AS(MetricValue, MetricValue, true, metric, value)
DEBRIEF_TABLE_AS(MetricsRow, MetricsRow, true, row, client_id, date, values)

// Events: one line each. The union member of each is its table's (EventPayloadTraits), checked below.
DEBRIEF_TABLE(OrganizationCreated, organization_id, name)
DEBRIEF_TABLE(UserRegistered, user_id, name, email, role, lead_id, client_id)
DEBRIEF_TABLE(SessionCreated, session_id, coach_id, session_date, session_type)
DEBRIEF_TABLE(TranscriptUploaded, session_id, format, text, speaker_clients, coach_speaker)
DEBRIEF_TABLE(TranscriptParsed, session_id, timed, participants, segments)
DEBRIEF_TABLE(ClientRegistered, client_id, name, email, tags, team, coach_id, source)
DEBRIEF_TABLE(ClientErased, client_id, subjects)
DEBRIEF_TABLE(SummaryDrafted, summary_id, session_id, client_id, coach_id, content, engagement, breakthrough, priority_score, analyser)
DEBRIEF_TABLE(SessionAnalysed, session_id, summary_ids)
DEBRIEF_TABLE(SessionProcessingFailed, session_id, stage, code, reason)
DEBRIEF_TABLE(SummaryRefined, summary_id, message, reply, before, after, refiner, client_id)
DEBRIEF_TABLE(SummaryApproved, summary_id, content, client_id)
DEBRIEF_TABLE(SummaryReopened, summary_id, reason, client_id)
DEBRIEF_TABLE(ActionItemCreated, action_item_id, client_id, coach_id, title, owner_id, due_date, source, session_id, summary_id)
DEBRIEF_TABLE(ActionItemAssigned, action_item_id, owner_id)
DEBRIEF_TABLE(ActionItemRescheduled, action_item_id, due_date)
DEBRIEF_TABLE(ActionItemCompleted, action_item_id)
DEBRIEF_TABLE(ActionItemReopened, action_item_id)
DEBRIEF_TABLE(ActionItemCancelled, action_item_id, reason, client_id)
DEBRIEF_TABLE(NoteAdded, note_id, client_id, coach_id, text)
DEBRIEF_TABLE(NoteAddressed, note_id, session_id)
DEBRIEF_TABLE(TemplateCreated, template_id, kind, name, subject, body, owner_id)
DEBRIEF_TABLE(TemplateRevised, template_id, name, subject, body)
DEBRIEF_TABLE(FollowUpDrafted, follow_up_id, summary_id, session_id, client_id, coach_id, template_id, recipient, subject, body)
DEBRIEF_TABLE(FollowUpScheduled, follow_up_id, send_at_ms)
DEBRIEF_TABLE(FollowUpSent, follow_up_id, attempt, channel, message_id)
DEBRIEF_TABLE(FollowUpDeliveryFailed, follow_up_id, attempt, error, retry_at_ms, gave_up, client_id)
DEBRIEF_TABLE(UserRoleChanged, user_id, role, lead_id)
DEBRIEF_TABLE(UserDeactivated, user_id, reason)
DEBRIEF_TABLE(UserReactivated, user_id)
DEBRIEF_TABLE(VoiceProfileSet, user_id, tone, sign_off, phrases_to_avoid)
DEBRIEF_TABLE(NotificationPreferencesSet, user_id, email_digest, notify_on, quiet_hours_start, quiet_hours_end, time_zone)
DEBRIEF_TABLE(MetricsImportStaged, import_id, importer_id, file_name, row_count, metrics, rows)
DEBRIEF_TABLE(MetricsImportRowsStaged, import_id, rows)
DEBRIEF_TABLE(MetricsImportCommitted, import_id)
DEBRIEF_TABLE(MetricsImportDiscarded, import_id)
DEBRIEF_TABLE(MfaPolicySet, organization_id, required_for)
DEBRIEF_TABLE(ApiKeyCreated, api_key_id, organization_id, name, scopes, prefix)
DEBRIEF_TABLE(ApiKeyUsed, api_key_id)
DEBRIEF_TABLE(ApiKeyRevoked, api_key_id)

template <typename E>
constexpr fb::EventPayload union_member = fb::EventPayloadTraits<typename Table<E>::flat>::enum_value;

// The type list and the schema's union agree: same size, each event its own member, in the union's order (so the
// variant's index is the member's number minus one).
template <typename... Es>
constexpr bool matches_union(TypeList<Es...>) {
    std::size_t index = 1;
    return ((static_cast<std::size_t>(union_member<Es>) == index++) && ...) && sizeof...(Es) == static_cast<std::size_t>(fb::EventPayload::MAX);
}
static_assert(matches_union(EventTypes{}), "EventTypes and schemas/envelope.fbs's EventPayload union disagree");

std::pair<fb::EventPayload, flatbuffers::Offset<void>> build_payload(Builder& b, const Payload& payload) {
    return std::visit(
        [&](const auto& event) {
            using E = std::decay_t<decltype(event)>;
            return std::pair{union_member<E>, Table<E>::write(b, event).Union()};
        },
        payload);
}

template <typename... Es>
Result<Payload> read_payload(const fb::Envelope& envelope, TypeList<Es...>) {
    using Reader = Payload (*)(const void*);
    static constexpr Reader readers[] = {[](const void* table) { return Payload{Table<Es>::read(*static_cast<const typename Table<Es>::flat*>(table))}; }...};
    const auto member = static_cast<std::size_t>(envelope.payload_type());
    // A payload type newer than this build: readers skip it rather than fail (docs/event-schemas.md).
    if (member == 0 || member > sizeof...(Es) || !envelope.payload())
        return Error{ErrorKind::invalid, "unknown_event_type", "payload type " + std::to_string(member)};
    return readers[member - 1](envelope.payload());
}

// An MFA record's key on the credentials topic, also its seal's context.
std::string mfa_record_key(const UserId& user) { return "mfa:" + user.value; }

// A seal's associated data: the event and the subject, so a seal cannot be moved to another event or subject.
std::string seal_context(const std::string& event_id, std::string_view subject) {
    std::string context = event_id;
    context += '\x1f';
    context += subject;
    return context;
}

std::string_view as_text(const flatbuffers::Vector<std::uint8_t>* bytes) {
    return bytes ? std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()) : std::string_view{};
}

// Moves every personal field out of a payload, into the values of its subject's seal; the slot numbers the field.
struct SealCollector {
    struct Fields {
        std::vector<std::uint32_t> slots;
        std::vector<std::string> values;
    };
    std::uint32_t slot = 0;
    std::map<std::string, Fields, std::less<>> by_subject;  // ordered: seals are written in subject order
    bool missing_subject = false;
    void operator()(const std::string& subject, std::string& value) {
        const auto this_slot = slot++;
        if (value.empty()) return;  // nothing to hide: the slot stays empty
        if (subject.empty()) {
            missing_subject = true;
            return;
        }
        auto& fields = by_subject[subject];
        fields.slots.push_back(this_slot);
        fields.values.push_back(std::move(value));
        value.clear();
    }
};

// More slots than any event can have (a parse's segments are capped far below): a seal naming one is forged.
constexpr std::uint32_t max_sealed_slots = 4'000'000;

// Puts opened values back into the slots of an emptied payload.
// Slots are dense (0..n-1 over the plan), so the opened values sit in a vector by slot, as views into the
// plaintexts: each value is copied once, into its field.
struct SealFiller {
    std::uint32_t slot = 0;
    std::vector<std::optional<std::string_view>> opened;
    std::vector<std::string> plaintexts;  // owns what the views point into
    void operator()(const std::string&, std::string& value) {
        if (slot < opened.size() && opened[slot]) value.assign(*opened[slot]);
        ++slot;
    }
};

template <typename Visit>
void visit_personal_fields(Payload& payload, Visit& visit) {
    std::visit([&](auto& event) { personal_data::plan(event, visit); }, payload);
}

std::string encode_envelope(const Metadata& m, const Payload& payload, Builder& b, const std::vector<flatbuffers::Offset<fb::Seal>>* seals) {
    auto [type, body] = build_payload(b, payload);
    auto envelope = fb::CreateEnvelopeDirect(
        b, m.event_id.c_str(), std::string(type_name(payload)).c_str(), 1, m.organization_id.value.c_str(),
        std::string(aggregate_type(payload)).c_str(), m.aggregate_id.c_str(), m.aggregate_version, m.occurred_at_ms,
        m.cause.actor_id.value.c_str(), m.cause.correlation_id.c_str(), m.cause.causation_id.c_str(), m.cause.idempotency_key.c_str(), type,
        body, m.cause.request_hash.c_str(), seals);
    fb::FinishEnvelopeBuffer(b, envelope);
    return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

// Opens the seals of an envelope into the (emptied) payload, with the keys there are.
Result<bool> open_seals(const fb::Envelope& envelope, const KeyRing* keys, Event& event) {
    SealFiller filler;
    for (const auto* seal : *envelope.seals()) {
        const auto subject = str(seal->subject());
        auto key = keys ? keys->for_opening(subject, seal->key_version()) : std::nullopt;
        if (!key) {
            event.metadata.unopened_seals.push_back(subject);
            continue;
        }
        auto plaintext = aead_open(*key, as_text(seal->nonce()), as_text(seal->ciphertext()), seal_context(event.metadata.event_id, subject));
        if (!plaintext) return Error{ErrorKind::invalid, "event_seal_invalid", "a seal of " + subject + " does not open with its key"};
        const auto& bytes = filler.plaintexts.emplace_back(std::move(*plaintext));
        flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        if (!fb::VerifySealedFieldsBuffer(verifier)) return Error{ErrorKind::invalid, "event_seal_invalid", "a seal of " + subject + " is malformed"};
        const auto* fields = fb::GetSealedFields(bytes.data());
        if (!fields->slots() || !fields->values() || fields->slots()->size() != fields->values()->size())
            return Error{ErrorKind::invalid, "event_seal_invalid", "a seal of " + subject + " has slots and values that disagree"};
        for (flatbuffers::uoffset_t i = 0; i < fields->slots()->size(); ++i) {
            const auto slot = fields->slots()->Get(i);
            if (slot >= max_sealed_slots) return Error{ErrorKind::invalid, "event_seal_invalid", "a seal of " + subject + " names an impossible slot"};
            if (slot >= filler.opened.size()) filler.opened.resize(slot + 1);
            const auto* value = fields->values()->Get(i);
            filler.opened[slot] = std::string_view(value->c_str(), value->size());
        }
    }
    if (!filler.plaintexts.empty()) visit_personal_fields(event.payload, filler);
    return true;
}

}  // namespace

std::string payload_json(const Payload& payload) {
    return boost::json::serialize(std::visit([](const auto& event) { return Table<std::decay_t<decltype(event)>>::json(event); }, payload));
}

namespace {
template <typename... Es>
std::vector<std::string_view> type_names(TypeList<Es...>) {
    return {Es::type...};
}
template <typename... Es>
std::optional<std::string> default_json(std::string_view type, TypeList<Es...>) {
    std::optional<std::string> out;
    ((Es::type == type ? (out = payload_json(Payload{Es{}}), true) : false) || ...);
    return out;
}
}  // namespace

std::vector<std::string_view> event_type_names() { return type_names(EventTypes{}); }

std::optional<std::string> default_payload_json(std::string_view type) { return default_json(type, EventTypes{}); }

std::string encode(const Event& event) {
    Builder b(256);
    return encode_envelope(event.metadata, event.payload, b, nullptr);
}

Result<SealedBytes> encode_sealed(const Event& event, KeyRing& keys, std::int64_t now_ms) {
    Payload emptied = event.payload;
    SealCollector collector;
    visit_personal_fields(emptied, collector);
    if (collector.missing_subject)
        return Error{ErrorKind::internal, "no_data_subject", std::string(type_name(event.payload)) + " has personal data without a data subject"};
    SealedBytes out;
    Builder b(256);
    std::vector<flatbuffers::Offset<fb::Seal>> seals;
    Builder plaintext(256);
    for (const auto& [subject, fields] : collector.by_subject) {
        auto sealing = keys.for_sealing(event.metadata.organization_id, subject, now_ms);
        if (!sealing) return sealing.error();
        auto& key = sealing.value();
        if (key.record_to_store) out.new_keys.push_back(std::move(*key.record_to_store));
        plaintext.Clear();
        std::vector<flatbuffers::Offset<flatbuffers::String>> values;
        values.reserve(fields.values.size());
        for (const auto& value : fields.values) values.push_back(plaintext.CreateString(value));
        fb::FinishSealedFieldsBuffer(plaintext, fb::CreateSealedFields(plaintext, plaintext.CreateVector(fields.slots), plaintext.CreateVector(values)));
        const auto nonce = aead_nonce();
        const std::string_view clear(reinterpret_cast<const char*>(plaintext.GetBufferPointer()), plaintext.GetSize());
        std::uint8_t* sealed_bytes = nullptr;  // encrypted straight into the envelope's buffer
        auto ciphertext = b.CreateUninitializedVector(aead_sealed_size(clear.size()), &sealed_bytes);
        aead_seal_into(key.key, nonce, clear, seal_context(event.metadata.event_id, subject), sealed_bytes);
        auto subject_text = b.CreateString(subject);
        auto nonce_bytes = b.CreateVector(reinterpret_cast<const std::uint8_t*>(nonce.data()), nonce.size());
        seals.push_back(fb::CreateSeal(b, subject_text, key.version, nonce_bytes, ciphertext));
    }
    out.bytes = encode_envelope(event.metadata, emptied, b, seals.empty() ? nullptr : &seals);
    return out;
}

Result<Event> decode(std::string_view bytes, const KeyRing* keys) {
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    if (!fb::VerifyEnvelopeBuffer(verifier)) return Error{ErrorKind::invalid, "event_malformed", "not a valid Debrief envelope"};
    const auto* envelope = fb::GetEnvelope(bytes.data());
    auto payload = read_payload(*envelope, EventTypes{});
    if (!payload) return payload.error();
    Event event{{}, std::move(payload).value()};
    auto& m = event.metadata;
    m.event_id = str(envelope->event_id());
    m.organization_id = {str(envelope->organization_id())};
    m.aggregate_id = str(envelope->aggregate_id());
    m.aggregate_version = envelope->aggregate_version();
    m.occurred_at_ms = envelope->occurred_at_ms();
    m.cause = {{str(envelope->actor_id())}, str(envelope->correlation_id()), str(envelope->causation_id()), str(envelope->idempotency_key()),
               str(envelope->request_hash())};
    if (envelope->seals())
        if (auto opened = open_seals(*envelope, keys, event); !opened) return opened.error();
    return event;
}

std::string encode(const SubjectKeyRecord& record) {
    Builder b(128);
    fb::FinishSubjectKeyBuffer(
        b, fb::CreateSubjectKey(b, b.CreateString(record.subject), b.CreateString(record.organization_id.value), record.version,
                                b.CreateVector(reinterpret_cast<const std::uint8_t*>(record.nonce.data()), record.nonce.size()),
                                b.CreateVector(reinterpret_cast<const std::uint8_t*>(record.wrapped_key.data()), record.wrapped_key.size()),
                                record.created_at_ms));
    return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

Result<SubjectKeyRecord> decode_subject_key(std::string_view bytes) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    flatbuffers::Verifier verifier(data, bytes.size());
    if (bytes.size() < 8 || !fb::SubjectKeyBufferHasIdentifier(data) || !fb::VerifySubjectKeyBuffer(verifier))
        return Error{ErrorKind::invalid, "subject_key_malformed", "not a valid subject key record"};
    const auto* k = fb::GetSubjectKey(data);
    return SubjectKeyRecord{str(k->subject()), {str(k->organization_id())}, k->version(), std::string(as_text(k->nonce())),
                            std::string(as_text(k->wrapped_key())), k->created_at_ms()};
}

namespace {
struct PrivateEncoder {
    flatbuffers::FlatBufferBuilder& b;
    // Sealing, when the log writes the record: the key ring, and where new keys and a refusal go.
    KeyRing* keys = nullptr;
    std::int64_t now_ms = 0;
    std::vector<SubjectKeyRecord>* new_keys = nullptr;
    std::optional<Error>* refused = nullptr;
    void operator()(const Credential& c) const {
        fb::FinishCredentialBuffer(b, fb::CreateCredentialDirect(b, c.user_id.value.c_str(), c.organization_id.value.c_str(), c.email.c_str(),
                                                                 c.password_hash.c_str()));
    }
    void operator()(const LoginSessionRecord& s) const {
        fb::FinishLoginSessionBuffer(b, fb::CreateLoginSessionDirect(b, s.session_id.c_str(), s.user_id.value.c_str(), s.organization_id.value.c_str(),
                                                                     s.generation, s.started_at_ms, s.expires_at, s.revoked_at_ms));
    }
    void operator()(const SessionsRevoked& r) const {
        fb::FinishSessionsRevokedBuffer(b, fb::CreateSessionsRevokedDirect(b, r.user_id.value.c_str(), r.organization_id.value.c_str(), r.revoked_before_ms));
    }
    void operator()(const MfaEnrolment& m) const {
        auto bytes = [&](const std::string& raw) { return b.CreateVector(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()); };
        flatbuffers::Offset<fb::Seal> seal;
        flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> secret;
        if (keys && !m.secret.empty()) {
            const auto subject = personal_data::subject_of(m.user_id);
            auto sealing = keys->for_sealing(m.organization_id, subject, now_ms);
            if (!sealing) {
                *refused = sealing.error();
                return;
            }
            if (sealing->record_to_store) new_keys->push_back(*sealing->record_to_store);
            const auto nonce = aead_nonce();
            const auto sealed = aead_seal(sealing->key, nonce, m.secret, seal_context(mfa_record_key(m.user_id), subject));
            seal = fb::CreateSeal(b, b.CreateString(subject), sealing->version, bytes(nonce), bytes(sealed));
        } else {
            secret = bytes(m.secret);
        }
        auto user = b.CreateString(m.user_id.value);
        auto organization = b.CreateString(m.organization_id.value);
        auto salt = bytes(m.recovery_salt);
        auto hashes = b.CreateVectorOfStrings(m.recovery_code_hashes);
        fb::FinishMfaEnrolmentBuffer(b, fb::CreateMfaEnrolment(b, user, organization, secret, m.confirmed, m.enrolled_at_ms, m.confirmed_at_ms,
                                                               m.last_used_step, salt, hashes, m.disabled_at_ms, seal));
    }
    void operator()(const ApiKeySecret& k) const {
        fb::FinishApiKeySecretBuffer(b, fb::CreateApiKeySecretDirect(b, k.api_key_id.value.c_str(), k.organization_id.value.c_str(), k.secret_hash.c_str()));
    }
};

std::string bytes_of(const flatbuffers::Vector<std::uint8_t>* bytes) {
    return bytes ? std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size()) : std::string{};
}
}  // namespace

std::string encode(const PrivateRecord& record) {
    flatbuffers::FlatBufferBuilder b(256);
    std::visit(PrivateEncoder{b}, record);
    return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

Result<SealedBytes> encode_sealed(const PrivateRecord& record, KeyRing& keys, std::int64_t now_ms) {
    flatbuffers::FlatBufferBuilder b(256);
    SealedBytes out;
    std::optional<Error> refused;
    std::visit(PrivateEncoder{b, &keys, now_ms, &out.new_keys, &refused}, record);
    if (refused) return *refused;
    out.bytes.assign(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
    return out;
}

Result<PrivateRecord> decode_private(std::string_view bytes, const KeyRing* keys) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    flatbuffers::Verifier verifier(data, bytes.size());
    if (bytes.size() >= 8 && fb::CredentialBufferHasIdentifier(data) && fb::VerifyCredentialBuffer(verifier)) {
        const auto* c = fb::GetCredential(data);
        return PrivateRecord{Credential{{str(c->user_id())}, {str(c->organization_id())}, str(c->email()), str(c->password_hash())}};
    }
    if (bytes.size() >= 8 && fb::LoginSessionBufferHasIdentifier(data) && fb::VerifyLoginSessionBuffer(verifier)) {
        const auto* s = fb::GetLoginSession(data);
        return PrivateRecord{LoginSessionRecord{str(s->session_id()), {str(s->user_id())}, {str(s->organization_id())}, s->generation(),
                                                s->started_at_ms(), s->expires_at(), s->revoked_at_ms()}};
    }
    if (bytes.size() >= 8 && fb::SessionsRevokedBufferHasIdentifier(data) && fb::VerifySessionsRevokedBuffer(verifier)) {
        const auto* r = fb::GetSessionsRevoked(data);
        return PrivateRecord{SessionsRevoked{{str(r->user_id())}, {str(r->organization_id())}, r->revoked_before_ms()}};
    }
    if (bytes.size() >= 8 && fb::MfaEnrolmentBufferHasIdentifier(data) && fb::VerifyMfaEnrolmentBuffer(verifier)) {
        const auto* m = fb::GetMfaEnrolment(data);
        MfaEnrolment record{{str(m->user_id())}, {str(m->organization_id())}, bytes_of(m->secret()), m->confirmed(), m->enrolled_at_ms(),
                            m->confirmed_at_ms(), m->last_used_step(), bytes_of(m->recovery_salt()), {}, m->disabled_at_ms()};
        // A sealed key opens with its user's key; an erased user's (or a reader without keys) stays empty.
        if (const auto* seal = m->secret_seal()) {
            const auto subject = str(seal->subject());
            if (auto key = keys ? keys->for_opening(subject, seal->key_version()) : std::nullopt) {
                auto opened = aead_open(*key, as_text(seal->nonce()), as_text(seal->ciphertext()), seal_context(mfa_record_key(record.user_id), subject));
                if (!opened) return Error{ErrorKind::invalid, "private_record_seal_invalid", "the sealed TOTP key does not open with its key"};
                record.secret = std::move(*opened);
            }
        }
        if (m->recovery_code_hashes())
            for (const auto* hash : *m->recovery_code_hashes()) record.recovery_code_hashes.push_back(str(hash));
        return PrivateRecord{std::move(record)};
    }
    if (bytes.size() >= 8 && fb::ApiKeySecretBufferHasIdentifier(data) && fb::VerifyApiKeySecretBuffer(verifier)) {
        const auto* k = fb::GetApiKeySecret(data);
        return PrivateRecord{ApiKeySecret{{str(k->api_key_id())}, {str(k->organization_id())}, str(k->secret_hash())}};
    }
    return Error{ErrorKind::invalid, "private_record_malformed", "not a valid credential, login session, revocation, MFA or API key record"};
}

Result<Credential> decode_credential(std::string_view bytes) {
    auto record = decode_private(bytes, nullptr);
    if (record && std::holds_alternative<Credential>(*record)) return std::get<Credential>(*record);
    return Error{ErrorKind::invalid, "credential_malformed", "not a valid credential record"};
}

std::string private_record_key(const PrivateRecord& record) {
    return std::visit(overloaded{[](const Credential& c) { return c.user_id.value; },  // the first kind: keyed by the bare user id
                                 [](const LoginSessionRecord& s) { return "login-session:" + s.session_id; },
                                 [](const SessionsRevoked& r) { return "sessions-revoked:" + r.user_id.value; },
                                 [](const MfaEnrolment& m) { return mfa_record_key(m.user_id); },
                                 [](const ApiKeySecret& k) { return "api-key:" + k.api_key_id.value; }},
                      record);
}

std::string private_record_content_type(const PrivateRecord& record) {
    static constexpr const char* schemas[] = {"debrief.schema.Credential", "debrief.schema.LoginSession", "debrief.schema.SessionsRevoked",
                                              "debrief.schema.MfaEnrolment", "debrief.schema.ApiKeySecret"};
    static_assert(std::size(schemas) == std::variant_size_v<PrivateRecord>, "a private record kind without its schema name");
    return std::string("application/x-flatbuffers;schema=") + schemas[record.index()];
}

}  // namespace debrief::events
