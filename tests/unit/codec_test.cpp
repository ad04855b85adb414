// Event codec: every event type survives a FlatBuffers round trip; malformed bytes are refused; CloudEvents headers.
#include <doctest/doctest.h>

#include "events/cloudevents.hpp"
#include "commands/transcript/transcript.hpp"
#include "events/codec.hpp"
#include "events/personal_data.hpp"
#include "schemas/envelope_generated.h"

#include <set>

using namespace debrief;
using namespace debrief::events;

namespace {
Event with_payload(Payload payload) {
    Metadata metadata{"evt-1", OrganizationId{"org-1"}, aggregate_id(payload), 3, 1'763'600'000'123, Cause{UserId{"user-1"}, "corr-1", "cause-1", "key-1", "hash-1"}};
    return {metadata, std::move(payload)};
}

const TranscriptParsed parsed{SessionId{"s-1"}, true, {{"Coach", 12.5, 30, 2, {}, true}, {"Maria", 40.0, 95, 3, ClientId{"client-1"}, false}}, {{"Coach", 0.0, 4.5, "Hi"}, {"Maria", std::nullopt, std::nullopt, "Hello"}}};
// One or more of every event type, every field set.
std::vector<Payload> all_payloads() {
    return {
        OrganizationCreated{OrganizationId{"org-1"}, "Acme"},
        UserRegistered{UserId{"user-1"}, "Ada", "ada@example.com", "coach", UserId{"lead-1"}, ClientId{}},
        UserRegistered{UserId{"user-2"}, "Bo", "bo@example.com", "client", UserId{}, ClientId{"client-1"}},
        ClientRegistered{ClientId{"client-1"}, "Maria Lopez", "maria@example.com", {"night shift", "new hire"}, "Team Blue", UserId{"user-1"}, "manual"},
        SessionCreated{SessionId{"s-1"}, UserId{"user-1"}, "2026-11-20", "individual"},
        TranscriptUploaded{SessionId{"s-1"}, "webvtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ada>Hi", {{"Ada", ClientId{"client-1"}}}, "Coach Sam"},
        parsed,
        SummaryDrafted{SummaryId{"sum-1"}, SessionId{"s-1"}, ClientId{"client-1"}, UserId{"user-1"},
                       SummaryContent{{"Closed two escalations"}, {"Time management", "Late notes"}, {{"Block chat during calls", "client-1", "2026-11-27"}, {"Send the checklist", "user-1", ""}}, {"Batch notes after calls"}},
                       "high", true, 0.35, "builtin-1"},
        SessionAnalysed{SessionId{"s-1"}, {SummaryId{"sum-1"}, SummaryId{"sum-2"}}},
        SessionProcessingFailed{SessionId{"s-1"}, "parse", "too_many_speakers", "a transcript may have at most 100 speakers"},
        SummaryRefined{SummaryId{"sum-1"}, "remove win 1", "Removed win 1.", SummaryContent{{"A", "B"}, {}, {}, {}}, SummaryContent{{"B"}, {}, {}, {}},
                       "builtin-1", ClientId{"client-1"}},
        SummaryApproved{SummaryId{"sum-1"}, SummaryContent{{"B"}, {"C"}, {{"Do it", "client-1", ""}}, {"R"}}, ClientId{"client-1"}},
        SummaryReopened{SummaryId{"sum-1"}, "the client asked for a change", ClientId{"client-1"}},
        ActionItemCreated{ActionItemId{"ai-1"}, ClientId{"client-1"}, UserId{"user-1"}, "Block chat during calls", "client-1", "2026-11-27",
                          "summary", SessionId{"s-1"}, SummaryId{"sum-1"}},
        ActionItemAssigned{ActionItemId{"ai-1"}, "user-1"},
        ActionItemRescheduled{ActionItemId{"ai-1"}, "2026-12-04"},
        ActionItemCompleted{ActionItemId{"ai-1"}},
        ActionItemReopened{ActionItemId{"ai-1"}},
        ActionItemCancelled{ActionItemId{"ai-1"}, "no longer relevant", ClientId{"client-1"}},
        NoteAdded{NoteId{"n-1"}, ClientId{"client-1"}, UserId{"user-1"}, "Mentioned a family move in March"},
        NoteAddressed{NoteId{"n-1"}, SessionId{"s-1"}},
        TemplateCreated{TemplateId{"t-1"}, "email", "Weekly recap", "Recap of {{session_date}}", "Hi {{client_first_name}}", UserId{"user-1"}},
        TemplateRevised{TemplateId{"t-1"}, "Recap", "Recap {{session_date}}", "Hello {{client_name}}"},
        FollowUpDrafted{FollowUpId{"f-1"}, SummaryId{"sum-1"}, SessionId{"s-1"}, ClientId{"client-1"}, UserId{"user-1"}, "system:email",
                        "maria@example.com", "Your session", "Hi Maria"},
        FollowUpScheduled{FollowUpId{"f-1"}, 1'800'000'000'000},
        FollowUpSent{FollowUpId{"f-1"}, 2, "smtp", "<f-1@debrief.follow-up>"},
        FollowUpDeliveryFailed{FollowUpId{"f-1"}, 1, "451 try later", 1'800'000'030'000, false, ClientId{"client-1"}},
        FollowUpDeliveryFailed{FollowUpId{"f-1"}, 8, "550 no such user", 0, true, ClientId{"client-1"}},
        UserRoleChanged{UserId{"user-1"}, "coach", UserId{"lead-1"}},
        UserDeactivated{UserId{"user-1"}, "left the company"},
        UserReactivated{UserId{"user-1"}},
        VoiceProfileSet{UserId{"user-1"}, "warm", "Cheers,\nAda", {"synergy", "circle back"}},
        NotificationPreferencesSet{UserId{"user-1"}, "weekly", {"follow_up_failed", "action_item_overdue"}, "20:00", "07:00", "Europe/Berlin"},
        MetricsImportStaged{MetricsImportId{"mi-1"}, UserId{"user-1"}, "kpis-november.csv", 3, {"csat", "aht_seconds"},
                            {{2, ClientId{"client-1"}, "2026-11-20", {{"csat", 4.6}, {"aht_seconds", 312.5}}}, {3, ClientId{"client-2"}, "2026-11-20", {}}}},
        MetricsImportRowsStaged{MetricsImportId{"mi-1"}, {{4, ClientId{"client-1"}, "2026-11-21", {{"csat", -0.25}}}}},
        MetricsImportCommitted{MetricsImportId{"mi-1"}},
        MetricsImportDiscarded{MetricsImportId{"mi-1"}},
        MfaPolicySet{OrganizationId{"org-1"}, {"coach_lead", "coach"}},
        MfaPolicySet{OrganizationId{"org-1"}, {}},
    };
}
}  // namespace

TEST_CASE("every event type round-trips through the envelope with its metadata") {
    for (const auto& payload : all_payloads()) {
        CAPTURE(type_name(payload));
        auto event = with_payload(payload);
        auto decoded = decode(encode(event), nullptr);
        REQUIRE(decoded.ok());
        CHECK(decoded->metadata.event_id == "evt-1");
        CHECK(decoded->metadata.organization_id.value == "org-1");
        CHECK(decoded->metadata.aggregate_id == aggregate_id(payload));
        CHECK(decoded->metadata.aggregate_version == 3);
        CHECK(decoded->metadata.occurred_at_ms == 1'763'600'000'123);
        CHECK(decoded->metadata.cause.actor_id.value == "user-1");
        CHECK(decoded->metadata.cause.correlation_id == "corr-1");
        CHECK(decoded->metadata.cause.causation_id == "cause-1");
        CHECK(decoded->metadata.cause.idempotency_key == "key-1");
        CHECK(decoded->metadata.cause.request_hash == "hash-1");
        CHECK(decoded->payload == payload);  // every field of every event type survives the trip
        CHECK(type_name(decoded->payload) == type_name(payload));
    }
    auto decoded = decode(encode(with_payload(parsed)), nullptr);
    REQUIRE(decoded.ok());
    const auto& back = std::get<TranscriptParsed>(decoded->payload);
    CHECK(back.timed);
    REQUIRE(back.participants.size() == 2);
    CHECK(back.participants[1].name == "Maria");
    CHECK(back.participants[1].speaking_seconds == doctest::Approx(40.0));
    CHECK(back.participants[1].word_count == 95);
    CHECK(back.participants[1].turn_count == 3);
    REQUIRE(back.segments.size() == 2);
    CHECK(back.segments[0].end_seconds == doctest::Approx(4.5));
    CHECK_FALSE(back.segments[1].start_seconds.has_value());
}

TEST_CASE("bytes that are not a Debrief envelope are refused, not misread") {
    CHECK(decode("", nullptr).error().code == "event_malformed");
    CHECK(decode("not a flatbuffer at all, just text", nullptr).error().code == "event_malformed");
    auto bytes = encode(with_payload(OrganizationCreated{OrganizationId{"org-1"}, "Acme"}));
    CHECK_FALSE(decode(std::string_view(bytes).substr(0, bytes.size() / 2), nullptr).ok());
}

TEST_CASE("credentials round-trip on their own schema and are not events") {
    Credential credential{UserId{"user-1"}, OrganizationId{"org-1"}, "ada@example.com", "$argon2id$v=19$..."};
    auto bytes = encode(credential);
    auto back = decode_credential(bytes);
    REQUIRE(back.ok());
    CHECK(back->email == "ada@example.com");
    CHECK(back->password_hash == "$argon2id$v=19$...");
    CHECK_FALSE(decode(bytes, nullptr).ok());
}

TEST_CASE("MFA records round-trip on their own schema, keyed by user, and are neither events nor credentials") {
    MfaEnrolment enrolment{UserId{"user-1"}, OrganizationId{"org-1"}, std::string("\x00\x01secret\xff", 9), true, 1'800'000'000'000, 1'800'000'030'000,
                           60'000'001, std::string(16, '\x07'), {"aa11", "bb22"}, 0};
    auto bytes = encode(PrivateRecord{enrolment});
    auto decoded = decode_private(bytes, nullptr);
    REQUIRE(decoded.ok());
    REQUIRE(std::holds_alternative<MfaEnrolment>(*decoded));
    CHECK(std::get<MfaEnrolment>(*decoded) == enrolment);  // the key's bytes, a NUL included, survive
    CHECK(private_record_key(PrivateRecord{enrolment}) == "mfa:user-1");
    CHECK(private_record_content_type(PrivateRecord{enrolment}) == "application/x-flatbuffers;schema=debrief.schema.MfaEnrolment");
    CHECK_FALSE(decode(bytes, nullptr).ok());
    CHECK_FALSE(decode_credential(bytes).ok());
}

TEST_CASE("CloudEvents binary-mode headers describe the event") {
    auto event = with_payload(SessionCreated{SessionId{"s-1"}, UserId{"user-1"}, "2026-11-20", "individual"});
    auto headers = cloud_event_headers(event);
    auto get = [&](std::string_view name) {
        for (const auto& [k, v] : headers)
            if (k == name) return v;
        return std::string("<missing>");
    };
    CHECK(get("ce_specversion") == "1.0");
    CHECK(get("ce_id") == "evt-1");
    CHECK(get("ce_type") == "debrief.session.created");
    CHECK(get("ce_source") == "/debrief/organizations/org-1");
    CHECK(get("ce_subject") == "session/s-1");
    CHECK(get("ce_time") == "2025-11-20T00:53:20.123Z");
    CHECK(get("content-type").rfind("application/x-flatbuffers", 0) == 0);
}

TEST_CASE("positions print as partition:offset and parse back; anything else is refused") {
    auto position = parse_position("3:42");
    REQUIRE(position.has_value());
    CHECK(position->partition == 3);
    CHECK(position->offset == 42);
    CHECK(to_string(*position) == "3:42");
    CHECK_FALSE(parse_position("42").has_value());
    CHECK_FALSE(parse_position("-1:5").has_value());
    CHECK_FALSE(parse_position("1:x").has_value());
    CHECK_FALSE(parse_position("1:5:6").has_value());
}

TEST_CASE("the parse's size bound is an upper bound of the encoded event, so a transcript it admits fits in a Kafka record") {
    for (std::size_t count : {1u, 10u, 1000u, 20000u}) {
        CAPTURE(count);
        std::vector<transcript::Segment> segments;
        // Sealed as the log writes it: the client's turns under the client's key, the coach's under the session's.
        TranscriptParsed parsed{SessionId{"00000000-0000-4000-8000-000000000001"}, true,
                                {{"Coach Dana", 0, 0, 0, {}, true}, {"A", 0, 0, 0, ClientId{"00000000-0000-4000-8000-000000000002"}, false}}, {}};
        for (std::size_t i = 0; i < count; ++i) {
            std::string speaker = i % 2 ? "A" : "Coach Dana";
            std::string text = i % 3 ? "ok" : "";
            segments.push_back({speaker, i * 1.0, i + 0.5, text});
            parsed.segments.push_back({speaker, i * 1.0, i + 0.5, text});
        }
        KeyRing keys{MasterKey::from_text(std::string(64, 'a')).value()};
        auto sealed = encode_sealed(with_payload(parsed), keys, 0);
        REQUIRE(sealed.ok());
        CHECK(encode(with_payload(parsed)).size() <= transcript::parsed_size_bound(segments) + 1024);  // + the envelope
        CHECK(sealed->bytes.size() <= transcript::parsed_size_bound(segments) + 1024);
    }
}

namespace {

// Every personal value of a payload, as its plan lists them (empty ones included).
std::vector<std::string> personal_values(Payload payload) {
    std::vector<std::string> values;
    auto collect = [&](const std::string&, std::string& value) { values.push_back(value); };
    std::visit([&](auto& e) { personal_data::plan(e, collect); }, payload);
    return values;
}

Payload without_personal_values(Payload payload) {
    auto empty = [](const std::string&, std::string& value) { value.clear(); };
    std::visit([&](auto& e) { personal_data::plan(e, empty); }, payload);
    return payload;
}

KeyRing fresh_keys() { return KeyRing{MasterKey::from_text(std::string(64, 'b')).value()}; }

const TranscriptParsed group_parse{SessionId{"s-9"}, false,
                                   {{"Coach Dana", 0, 4, 1, {}, true}, {"Maria", 0, 3, 1, ClientId{"client-1"}, false}, {"Li Wei", 0, 5, 1, ClientId{"client-2"}, false}},
                                   {{"Coach Dana", std::nullopt, std::nullopt, "How did the week go?"},
                                    {"Maria", std::nullopt, std::nullopt, "Calmer queue, fewer escalations"},
                                    {"Li Wei", std::nullopt, std::nullopt, "My manager moved me to nights"}}};

}  // namespace

TEST_CASE("sealed events: no personal value is in the bytes; the keys' holder reads every field; a reader without keys reads them empty") {
    auto keys = fresh_keys();
    for (const auto& payload : all_payloads()) {
        CAPTURE(type_name(payload));
        auto sealed = encode_sealed(with_payload(payload), keys, 1'000);
        REQUIRE_MESSAGE(sealed.ok(), sealed.error().code);
        bool any_personal = false;
        for (const auto& value : personal_values(payload)) {
            any_personal = any_personal || !value.empty();
            if (value.size() >= 4) CHECK_MESSAGE(sealed->bytes.find(value) == std::string::npos, "in clear: " << value);
        }
        auto opened = decode(sealed->bytes, &keys);
        REQUIRE(opened.ok());
        CHECK(opened->payload == payload);
        CHECK(opened->metadata.unopened_seals.empty());
        CHECK(opened->metadata.event_id == "evt-1");

        auto integrator = decode(sealed->bytes, nullptr);
        REQUIRE(integrator.ok());
        CHECK(integrator->payload == without_personal_values(payload));  // ids, types, dates, counts and numbers stay clear
        CHECK(integrator->metadata.unopened_seals.empty() == !any_personal);
    }
}

TEST_CASE("sealed events: a subject's key travels with the events that use it until the log reports it stored") {
    auto keys = fresh_keys();
    auto note = with_payload(NoteAdded{NoteId{"n-1"}, ClientId{"client-1"}, UserId{"user-1"}, "Mentioned a family move in March"});
    auto first = encode_sealed(note, keys, 1'000);
    REQUIRE(first.ok());
    REQUIRE(first->new_keys.size() == 1);
    CHECK(first->new_keys[0].subject == "client:client-1");
    CHECK(first->new_keys[0].organization_id.value == "org-1");
    CHECK(first->new_keys[0].created_at_ms == 1'000);
    auto racing = encode_sealed(note, keys, 2'000);  // before the first append committed: it carries the same key
    REQUIRE(racing->new_keys.size() == 1);
    CHECK(racing->new_keys[0].wrapped_key == first->new_keys[0].wrapped_key);
    keys.stored("client:client-1");
    CHECK(encode_sealed(note, keys, 3'000)->new_keys.empty());

    // Another process with the same master key reads the stored key, and with it the event.
    KeyRing restarted{MasterKey::from_text(std::string(64, 'b')).value()};
    CHECK(decode(first->bytes, &restarted)->metadata.unopened_seals == std::vector<std::string>{"client:client-1"});
    REQUIRE(restarted.load(encode(first->new_keys[0])).ok());
    CHECK(decode(first->bytes, &restarted)->payload == note.payload);
    // A master key that did not wrap it cannot load it.
    KeyRing other{MasterKey::from_text(std::string(64, 'c')).value()};
    CHECK(other.load(encode(first->new_keys[0])).error().code == "subject_key_unopenable");
    CHECK(decode_subject_key("not a key record").error().code == "subject_key_malformed");
}

TEST_CASE("sealed events: each speaker is sealed with their own key, so erasing one client leaves the others readable") {
    auto keys = fresh_keys();
    auto sealed = encode_sealed(with_payload(group_parse), keys, 1'000);
    REQUIRE(sealed.ok());
    std::set<std::string> subjects;
    for (const auto& record : sealed->new_keys) subjects.insert(record.subject);
    CHECK(subjects == std::set<std::string>{"client:client-1", "client:client-2", "session:s-9"});

    keys.forget("client:client-1");
    auto after = decode(sealed->bytes, &keys);
    REQUIRE(after.ok());
    CHECK(after->metadata.unopened_seals == std::vector<std::string>{"client:client-1"});
    const auto& parse = std::get<TranscriptParsed>(after->payload);
    CHECK(parse.participants[1].name.empty());
    CHECK(parse.segments[1].speaker.empty());
    CHECK(parse.segments[1].text.empty());
    CHECK(parse.participants[1].word_count == 3);  // counts stay
    CHECK(parse.participants[2].name == "Li Wei");
    CHECK(parse.segments[2].text == "My manager moved me to nights");
    CHECK(parse.segments[0].text == "How did the week go?");
}

TEST_CASE("sealed events: a seal that was altered or moved to another event is refused, not read") {
    auto keys = fresh_keys();
    auto sealed = encode_sealed(with_payload(NoteAdded{NoteId{"n-1"}, ClientId{"client-1"}, UserId{"user-1"}, "Private health matter"}), keys, 0);
    REQUIRE(sealed.ok());
    auto flip = [&](const std::string& needle) {
        auto bytes = sealed->bytes;
        auto at = bytes.find(needle);
        REQUIRE(at != std::string::npos);
        bytes[at] ^= 0x01;
        return bytes;
    };
    CHECK(decode(flip("evt-1"), &keys).error().code == "event_seal_invalid");  // another event id: the associated data differs
    auto tampered = sealed->bytes;
    const auto* seal = schema::GetEnvelope(tampered.data())->seals()->Get(0);
    tampered[reinterpret_cast<const char*>(seal->ciphertext()->data()) - tampered.data() + 3] ^= 0x40;
    CHECK(decode(tampered, &keys).error().code == "event_seal_invalid");
}

TEST_CASE("sealed events: personal data without a data subject is refused, never written in clear") {
    auto keys = fresh_keys();
    auto refused = encode_sealed(with_payload(SummaryApproved{SummaryId{"sum-1"}, SummaryContent{{"a win"}, {}, {}, {}}, ClientId{}}), keys, 0);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "no_data_subject");
}

TEST_CASE("the master key is 32 bytes, as hex, base64 or raw; anything else is refused") {
    CHECK(MasterKey::from_text(std::string(64, 'f')).ok());
    CHECK(MasterKey::from_text("  " + std::string(64, '0') + "\n").ok());
    CHECK(MasterKey::from_text("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n").ok());
    CHECK(MasterKey::from_text(std::string(32, 'k')).ok());
    CHECK(MasterKey::from_text("too short").error().code == "invalid_config");
    CHECK(MasterKey::from_text(std::string(63, 'f')).error().code == "invalid_config");
    CHECK(MasterKey::from_text("").error().code == "invalid_config");
    CHECK(MasterKey::from_file("/nonexistent/master.key").error().code == "invalid_config");
}

TEST_CASE("an erased subject's key is gone for good: nothing new is sealed for it, and what was sealed stays closed") {
    auto keys = fresh_keys();
    auto note = with_payload(NoteAdded{NoteId{"n-1"}, ClientId{"client-1"}, UserId{"user-1"}, "Mentioned a family move in March"});
    auto sealed = encode_sealed(note, keys, 0);
    REQUIRE(sealed.ok());
    keys.forget("client:client-1");
    auto again = encode_sealed(note, keys, 0);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "subject_erased");
    CHECK(std::get<NoteAdded>(decode(sealed->bytes, &keys)->payload).text.empty());
    // Another subject of the same event type is not affected.
    CHECK(encode_sealed(with_payload(NoteAdded{NoteId{"n-2"}, ClientId{"client-2"}, UserId{"user-1"}, "Fine"}), keys, 0).ok());
}

TEST_CASE("an MFA record's TOTP key is sealed with its user's key when the log writes it; without the key it reads empty") {
    auto keys = fresh_keys();
    const std::string totp_key = "TOTPKEY-0123456789ab";
    MfaEnrolment enrolment{UserId{"user-1"}, OrganizationId{"org-1"}, totp_key, true, 1, 2, 3, std::string(16, '\x07'), {"aa11"}, 0};
    auto sealed = encode_sealed(PrivateRecord{enrolment}, keys, 0);
    REQUIRE(sealed.ok());
    CHECK(sealed->bytes.find(totp_key) == std::string::npos);
    REQUIRE(sealed->new_keys.size() == 1);
    CHECK(sealed->new_keys[0].subject == "user:user-1");
    auto opened = decode_private(sealed->bytes, &keys);
    REQUIRE(opened.ok());
    CHECK(std::get<MfaEnrolment>(*opened) == enrolment);
    auto without = decode_private(sealed->bytes, nullptr);
    REQUIRE(without.ok());
    CHECK(std::get<MfaEnrolment>(*without).secret.empty());
    CHECK(std::get<MfaEnrolment>(*without).recovery_code_hashes == enrolment.recovery_code_hashes);
    // Other private records carry no secret to seal: the same bytes as in clear.
    Credential credential{UserId{"user-1"}, OrganizationId{"org-1"}, "ada@example.com", "$argon2id$..."};
    CHECK(encode_sealed(PrivateRecord{credential}, keys, 0)->bytes == encode(PrivateRecord{credential}));
    keys.forget("user:user-1");
    CHECK(std::get<MfaEnrolment>(*decode_private(sealed->bytes, &keys)).secret.empty());
}

TEST_CASE("a data subject names its kind and id, and reads back only as its own kind") {
    using personal_data::subject_id;
    CHECK(subject_id<SessionId>(personal_data::subject_of(SessionId{"s-1"}))->value == "s-1");
    CHECK(subject_id<UserId>("user:u-9")->value == "u-9");
    CHECK_FALSE(subject_id<UserId>("client:c-1").has_value());
    CHECK_FALSE(subject_id<SessionId>("session:").has_value());
    CHECK_FALSE(subject_id<SessionId>("sessionx:s-1").has_value());
}
