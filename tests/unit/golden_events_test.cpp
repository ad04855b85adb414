// Golden envelopes: one committed encoding per event type (tests/fixtures/events/), written by an earlier build and
// decoded by every later one, so the topic contract (FlatBuffers slots, union tags, CloudEvents headers) cannot drift
// unnoticed. Regenerating and when that is allowed: docs/event-schemas.md, "Golden envelopes".
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <type_traits>
#include <utility>
#include <variant>

#include "events/cloudevents.hpp"
#include "events/codec.hpp"
#include "events/event_consumer.hpp"
#include "events/kafka_event_log.hpp"
#include "tests/support/test_keys.hpp"
#include "tests/unit/mock_kafka_cluster.hpp"

using namespace debrief;
using namespace debrief::events;

namespace {

namespace fs = std::filesystem;

// Ids shaped like the UUIDs Debrief writes; every id field gets a value of its own so a swapped slot shows.
const OrganizationId org{"5f0c1a2e-8d3b-4c6a-9e1f-2b7d4a6c8e01"};
const UserId admin{"a1d3e5f7-0b2c-4d6e-8f10-2a4c6e8a0b01"};
const UserId coach{"c0ac4e11-2b3d-4f5a-8b6c-7d8e9f0a1b02"};
const UserId lead{"1ead0b7e-3c4d-4e5f-9a6b-8c9d0e1f2a03"};
const UserId client_login{"c11e4710-4d5e-4f6a-8b7c-9d0e1f2a3b04"};
const ClientId client{"ce1e5a9b-5e6f-4a7b-9c8d-0e1f2a3b4c05"};
const ClientId client_b{"ce2f6b0c-6f7a-4b8c-8d9e-1f2a3b4c5d06"};
const SessionId session{"5e551011-7a8b-4c9d-8e0f-2a3b4c5d6e07"};
const SummaryId summary{"50a1a1b2-8b9c-4d0e-9f1a-3b4c5d6e7f08"};
const SummaryId summary_b{"50b2b2c3-9c0d-4e1f-8a2b-4c5d6e7f8a09"};
const ActionItemId action_item{"a17e0001-0d1e-4f2a-9b3c-5d6e7f8a9b10"};
const NoteId note{"401e0002-1e2f-4a3b-8c4d-6e7f8a9b0c11"};
const TemplateId template_id{"7e3b1a7e-2f3a-4b4c-9d5e-7f8a9b0c1d12"};
const FollowUpId follow_up{"f0110003-3a4b-4c5d-8e6f-8a9b0c1d2e13"};
const MetricsImportId import_id{"3e7c0004-4b5c-4d6e-9f7a-9b0c1d2e3f14"};
const ApiKeyId api_key{"a91c0005-5c6d-4e7f-8a9b-0c1d2e3f4a15"};

// Multi-line, non-ASCII text where the domain carries free text: the codec must keep every byte.
const std::string transcript_text = "[00:00:00] Coach Dana: Bonjour Zoë, wie läuft's? 🎯\n[00:00:04] Zoë Ñúñez: 很好 — the queue is calmer.";

struct Sample {
    std::string form;  // empty for the fully populated sample; else what the second form shows, e.g. "minimal"
    Payload payload;
};

template <typename T>
struct Of {};

// One function per event type: a type added to Payload without samples here does not compile (see all_samples).
std::vector<Sample> samples(Of<OrganizationCreated>) { return {{"", OrganizationCreated{org, "Ørsted Coaching — Nord 北"}}}; }

std::vector<Sample> samples(Of<MfaPolicySet>) {
    return {{"", MfaPolicySet{org, {"admin", "coach_lead", "coach"}}}, {"nobody", MfaPolicySet{org, {}}}};
}

std::vector<Sample> samples(Of<UserRegistered>) {
    return {{"", UserRegistered{coach, "Cora Núñez", "cora.nunez@example.com", "coach", lead, client}},
            {"minimal", UserRegistered{admin, "Ada Ångström", "ada@example.com", "admin", {}, {}}}};
}

std::vector<Sample> samples(Of<ClientRegistered>) {
    return {{"", ClientRegistered{client, "Zoë Ñúñez", "zoe@example.com", {"night shift", "новичок"}, "Équipe Nord", coach, "manual"}},
            {"minimal", ClientRegistered{client_b, "李伟", "", {}, "", coach, "transcript"}}};
}

std::vector<Sample> samples(Of<ApiKeyCreated>) {
    return {{"", ApiKeyCreated{api_key, org, "CRM sync — Nord 北", {"read", "write"}, "dbk_a91c0005"}},
            {"read_only", ApiKeyCreated{api_key, org, "Warehouse export", {"read"}, "dbk_a91c0005"}}};
}
std::vector<Sample> samples(Of<ApiKeyUsed>) { return {{"", ApiKeyUsed{api_key}}}; }
std::vector<Sample> samples(Of<ApiKeyRevoked>) { return {{"", ApiKeyRevoked{api_key}}}; }
std::vector<Sample> samples(Of<ClientErased>) {
    return {{"", ClientErased{client, {"client:" + client.value, "user:" + client_login.value, "session:" + session.value}}}};
}

std::vector<Sample> samples(Of<SessionCreated>) { return {{"", SessionCreated{session, coach, "2025-03-14", "group_workshop"}}}; }

std::vector<Sample> samples(Of<TranscriptUploaded>) {
    return {{"", TranscriptUploaded{session, "plain", transcript_text, {{"Zoë Ñúñez", client}, {"李伟", client_b}}, "Coach Dana"}},
            {"minimal", TranscriptUploaded{session, "webvtt", "WEBVTT\n\n00:00.000 --> 00:02.500\n<v Zoë>Hallo", {}, ""}}};
}

std::vector<Sample> samples(Of<TranscriptParsed>) {
    // A start of 0 must stay 0: the schema's default (-1) means "no time", so 0 is written explicitly.
    return {{"",
             TranscriptParsed{session,
                              true,
                              {{"Coach Dana", 4.25, 9, 1, {}, true}, {"Zoë Ñúñez", 61.5, 140, 3, client, false}},
                              {{"Coach Dana", 0.0, 4.0, "Bonjour Zoë, wie läuft's? 🎯"}, {"Zoë Ñúñez", 4.0, 9.75, "很好 — the queue is calmer."}}}},
            {"untimed",
             TranscriptParsed{session, false, {{"Zoë Ñúñez", 2.4, 6, 1, client, false}}, {{"Zoë Ñúñez", std::nullopt, std::nullopt, "Ça va bien."}}}}};
}

SummaryContent full_content() {
    return SummaryContent{{"Closed two escalations", "Kept calm with angry callers — même à 18h"},
                          {"Time management", "Späte Notizen"},
                          {{"Block chat during calls", client.value, "2025-03-21"}, {"Send the checklist", coach.value, "2025-03-18"}},
                          {"Batch notes after calls", "Ask for help early 🙂"}};
}

std::vector<Sample> samples(Of<SummaryDrafted>) {
    return {{"", SummaryDrafted{summary, session, client, coach, full_content(), "high", true, 0.35, "builtin-1"}},
            {"empty_content", SummaryDrafted{summary_b, session, client_b, coach, SummaryContent{{}, {}, {{"Call back", client_b.value, ""}}, {}}, "silent",
                                             false, 0.0, "builtin-1"}}};
}

std::vector<Sample> samples(Of<SessionAnalysed>) { return {{"", SessionAnalysed{session, {summary, summary_b}}}}; }
std::vector<Sample> samples(Of<SessionProcessingFailed>) {
    return {{"", SessionProcessingFailed{session, "parse", "too_many_speakers", "a transcript may have at most 100 speakers"}}};
}

std::vector<Sample> samples(Of<SummaryRefined>) {
    auto after = full_content();
    after.wins.erase(after.wins.begin());
    return {{"", SummaryRefined{summary, "remove win 1 — bitte", "Removed win 1.", full_content(), after, "llm:gpt-4o-mini"}}};
}

std::vector<Sample> samples(Of<SummaryApproved>) { return {{"", SummaryApproved{summary, full_content()}}}; }

std::vector<Sample> samples(Of<SummaryReopened>) {
    return {{"", SummaryReopened{summary, "Zoë asked for a change:\nthe second item"}}, {"no_reason", SummaryReopened{summary, ""}}};
}

std::vector<Sample> samples(Of<ActionItemCreated>) {
    return {{"", ActionItemCreated{action_item, client, coach, "Block chat during calls — täglich", client.value, "2025-03-21", "summary", session, summary}},
            {"manual", ActionItemCreated{action_item, client, coach, "Read the handbook", coach.value, "", "manual", {}, {}}}};
}

// ActionItemCompleted and ActionItemReopened have no value slot in the schema: their value is empty on the wire.
std::vector<Sample> samples(Of<ActionItemAssigned>) { return {{"", ActionItemAssigned{action_item, lead.value}}}; }
std::vector<Sample> samples(Of<ActionItemRescheduled>) { return {{"", ActionItemRescheduled{action_item, "2099-06-30"}}}; }
std::vector<Sample> samples(Of<ActionItemCompleted>) { return {{"", ActionItemCompleted{action_item}}}; }
std::vector<Sample> samples(Of<ActionItemReopened>) { return {{"", ActionItemReopened{action_item}}}; }
std::vector<Sample> samples(Of<ActionItemCancelled>) {
    return {{"", ActionItemCancelled{action_item, "no longer relevant — erledigt"}}, {"no_reason", ActionItemCancelled{action_item, ""}}};
}

std::vector<Sample> samples(Of<NoteAdded>) { return {{"", NoteAdded{note, client, coach, "Mentioned a move to Zürich in März.\nAsk about it."}}}; }
std::vector<Sample> samples(Of<NoteAddressed>) { return {{"", NoteAddressed{note, session}}}; }

std::vector<Sample> samples(Of<TemplateCreated>) {
    return {{"", TemplateCreated{template_id, "email", "Récap hebdo", "Our session on {{session_date}}",
                                 "Hi {{client_first_name}},\n\n{{action_items}}\n\n{{sign_off}}", coach}},
            {"organization_wide", TemplateCreated{template_id, "summary", "Kurzfassung", "", "{{client_name}}: {{wins}}", {}}}};
}

std::vector<Sample> samples(Of<TemplateRevised>) {
    return {{"", TemplateRevised{template_id, "Récap", "Recap of {{session_date}} ✔", "Hallo {{client_name}},\n{{wins}}"}}};
}

std::vector<Sample> samples(Of<FollowUpDrafted>) {
    return {{"", FollowUpDrafted{follow_up, summary, session, client, coach, template_id.value, "zoe@example.com", "Our session on 2025-03-14",
                                 "Hi Zoë,\n\n- Block chat during calls (by 2025-03-21)\n\nCheers,\nCora"}},
            {"system_template", FollowUpDrafted{follow_up, summary, session, client, coach, "system:email", "zoe@example.com", "Your session", "Hi"}}};
}

std::vector<Sample> samples(Of<FollowUpScheduled>) { return {{"", FollowUpScheduled{follow_up, 1'800'000'000'123}}}; }
std::vector<Sample> samples(Of<FollowUpSent>) { return {{"", FollowUpSent{follow_up, 2, "smtp", "<" + follow_up.value + "@debrief.follow-up>"}}}; }

std::vector<Sample> samples(Of<FollowUpDeliveryFailed>) {
    return {{"", FollowUpDeliveryFailed{follow_up, 1, "451 4.7.1 greylisted — réessayez", 1'800'000'030'456, false}},
            {"gave_up", FollowUpDeliveryFailed{follow_up, 8, "550 5.1.1 no such user", 0, true}}};
}

std::vector<Sample> samples(Of<UserRoleChanged>) {
    return {{"", UserRoleChanged{coach, "coach", lead}}, {"no_lead", UserRoleChanged{coach, "coach_lead", {}}}};
}

std::vector<Sample> samples(Of<UserDeactivated>) {
    return {{"", UserDeactivated{coach, "parental leave — Elternzeit"}}, {"no_reason", UserDeactivated{coach, ""}}};
}

std::vector<Sample> samples(Of<UserReactivated>) { return {{"", UserReactivated{coach}}}; }

std::vector<Sample> samples(Of<VoiceProfileSet>) {
    return {{"", VoiceProfileSet{coach, "encouraging", "Herzliche Grüße,\nCora 🌱", {"synergy", "circle back", "à la minute"}}},
            {"minimal", VoiceProfileSet{coach, "neutral", "", {}}}};
}

std::vector<Sample> samples(Of<NotificationPreferencesSet>) {
    return {{"", NotificationPreferencesSet{coach, "weekly", {"follow_up_failed", "action_item_overdue"}, "20:00", "07:30", "America/Argentina/Buenos_Aires"}},
            {"minimal", NotificationPreferencesSet{coach, "off", {}, "", "", ""}}};
}

std::vector<MetricsRow> rows() {
    return {{2, client, "2025-03-10", {{"csat", 4.6}, {"aht_seconds", 312.5}, {"fcr_rate", -0.25}}}, {3, client_b, "2025-03-10", {{"csat", 3.95}}}};
}

std::vector<Sample> samples(Of<MetricsImportStaged>) {
    return {{"", MetricsImportStaged{import_id, admin, "kpis-märz.csv", 1003, {"csat", "aht_seconds", "fcr_rate"}, rows()}},
            {"minimal", MetricsImportStaged{import_id, admin, "", 1, {"csat"}, {{2, client, "2025-03-11", {{"csat", 5.0}}}}}}};
}

std::vector<Sample> samples(Of<MetricsImportRowsStaged>) {
    return {{"", MetricsImportRowsStaged{import_id, {{1002, client, "2025-03-12", {{"csat", 1e-3}}}, {1003, client_b, "2025-03-12", {{"aht_seconds", 299.0}}}}}}};
}

std::vector<Sample> samples(Of<MetricsImportCommitted>) { return {{"", MetricsImportCommitted{import_id}}}; }
std::vector<Sample> samples(Of<MetricsImportDiscarded>) { return {{"", MetricsImportDiscarded{import_id}}}; }

struct Golden {
    std::string name;  // the fixture's file stem: "<ce_type>" or "<ce_type>.<form>"
    std::size_t alternative;
    Event event;
};

// Full metadata, every field set, derived from the fixture's name only: adding a sample never changes another's.
Metadata metadata_for(const std::string& name, const Payload& payload) {
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
    for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
    char event_id[40], correlation[40];
    std::snprintf(event_id, sizeof event_id, "e0e0e0e0-0000-4000-8000-%012llx", static_cast<unsigned long long>(hash & 0xffffffffffffull));
    std::snprintf(correlation, sizeof correlation, "c0c0c0c0-0000-4000-8000-%012llx", static_cast<unsigned long long>(hash >> 16));
    return Metadata{event_id,
                    org,
                    aggregate_id(payload),
                    2 + hash % 97,
                    1'741'948'800'000 + static_cast<std::int64_t>(hash % 86'400'000),  // a millisecond of the day from 2025-03-14 10:40 UTC
                    Cause{admin, correlation, std::string("causation-") + event_id, "golden-key-" + name, "blake2b:" + std::to_string(hash)}};
}

template <std::size_t... I>
std::vector<Golden> all_samples(std::index_sequence<I...>) {
    std::vector<Golden> out;
    auto add = [&out](std::size_t alternative, std::vector<Sample> list) {
        for (auto& sample : list) {
            std::string name(type_name(sample.payload));
            if (!sample.form.empty()) name += "." + sample.form;
            auto metadata = metadata_for(name, sample.payload);
            out.push_back({std::move(name), alternative, Event{std::move(metadata), std::move(sample.payload)}});
        }
    };
    (add(I, samples(Of<std::variant_alternative_t<I, Payload>>{})), ...);
    return out;
}

std::vector<Golden> goldens() { return all_samples(std::make_index_sequence<std::variant_size_v<Payload>>{}); }

const Credential golden_credential{client_login, org, "zoe.login@example.com",
                                   "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3q2+7w8p3q2+7w8p3q2+7w8p3q2+7w8p3q2+7w8p3q0"};
// What KafkaEventLog::put_private sends; the fixture pins it, the mock-cluster test below checks the producer.
const Headers golden_credential_headers{{"content-type", "application/x-flatbuffers;schema=debrief.schema.Credential"}};

// A second factor as the credentials topic holds it: an enabled key with two unused recovery codes.
const MfaEnrolment golden_mfa{coach, org, std::string("\x3d\x11\x00\x9a\xf0\x42\x7e\x01\xc3\x5b\x88\x10\x27\xe4\x66\x00\xab\x3f\x90\x5d", 20), true,
                              1'764'590'400'000, 1'764'590'431'000, 58'819'681, std::string("\x5a\x17\x00\x42\x99\x10\x2b\xee\x0c\x61\x73\x8d\x04\xf2\x31\x08", 16),
                              {"3b0f9c8e6a1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b", "c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc"}, 0};
const Headers golden_mfa_headers{{"content-type", "application/x-flatbuffers;schema=debrief.schema.MfaEnrolment"}};

// An API key's secret hash as the credentials topic holds it.
const ApiKeySecret golden_api_key_secret{api_key, org, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"};
const Headers golden_api_key_secret_headers{{"content-type", "application/x-flatbuffers;schema=debrief.schema.ApiKeySecret"}};

fs::path fixtures() { return fs::path(DEBRIEF_SOURCE_DIR) / "tests/fixtures/events"; }

// Earlier builds left the data subject of some events out (they were written in clear); this build names it, since
// its key seals the event's text.
Payload with_data_subject(Payload payload) {
    std::visit(
        [](auto& e) {
            if constexpr (requires { e.client_id; })
                if (e.client_id.empty()) e.client_id = client;
        },
        payload);
    return payload;
}

// The subject keys of the sealed fixtures: each record with its length (4 bytes, little-endian) before it.
std::string pack(const std::vector<SubjectKeyRecord>& records) {
    std::string out;
    for (const auto& record : records) {
        auto bytes = encode(record);
        for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((bytes.size() >> shift) & 0xff));
        out += bytes;
    }
    return out;
}

std::vector<std::string> unpack(std::string_view packed) {
    std::vector<std::string> records;
    while (packed.size() >= 4) {
        std::size_t size = 0;
        for (int i = 0; i < 4; ++i) size |= static_cast<std::size_t>(static_cast<unsigned char>(packed[i])) << (8 * i);
        packed.remove_prefix(4);
        if (size > packed.size()) break;
        records.emplace_back(packed.substr(0, size));
        packed.remove_prefix(size);
    }
    return records;
}

bool writing_allowed() {
    const char* flag = std::getenv("DEBRIEF_WRITE_GOLDEN");
    return flag && std::string(flag) == "1";
}

std::optional<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// One header a line, "name: value", in the order the producer sends them.
std::string headers_text(const Headers& headers) {
    std::string text;
    for (const auto& [name, value] : headers) text += name + ": " + value + "\n";
    return text;
}

Headers parse_headers(const std::string& text) {
    Headers headers;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto colon = line.find(": ");
        REQUIRE_MESSAGE(colon != std::string::npos, "a header line without ': ': " << line);
        headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    }
    return headers;
}

// A fixture's bytes. Missing: written from the current build under DEBRIEF_WRITE_GOLDEN=1, else a failure. An existing
// fixture is never rewritten: it is what an earlier build put on the topic.
std::optional<std::string> fixture(const std::string& file, const std::string& current) {
    const auto path = fixtures() / file;
    if (auto bytes = read_file(path)) return bytes;
    if (!writing_allowed()) {
        FAIL_CHECK("no golden fixture " << path.string()
                                        << ": a new event type or sample needs one; generate it with DEBRIEF_WRITE_GOLDEN=1 (docs/event-schemas.md)");
        return std::nullopt;
    }
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << current;
    out.close();
    MESSAGE("wrote golden fixture " << path.string());
    return current;
}

void check_metadata(const Metadata& actual, const Metadata& expected) {
    CHECK(actual.event_id == expected.event_id);
    CHECK(actual.organization_id == expected.organization_id);
    CHECK(actual.aggregate_id == expected.aggregate_id);
    CHECK(actual.aggregate_version == expected.aggregate_version);
    CHECK(actual.occurred_at_ms == expected.occurred_at_ms);
    CHECK(actual.cause.actor_id == expected.cause.actor_id);
    CHECK(actual.cause.correlation_id == expected.cause.correlation_id);
    CHECK(actual.cause.causation_id == expected.cause.causation_id);
    CHECK(actual.cause.idempotency_key == expected.cause.idempotency_key);
    CHECK(actual.cause.request_hash == expected.cause.request_hash);
}

}  // namespace

TEST_CASE("golden envelopes: every event type has a sample, and every sample is its own type") {
    auto all = goldens();
    std::set<std::size_t> covered;
    std::set<std::string> names;
    for (const auto& golden : all) {
        CAPTURE(golden.name);
        CHECK(golden.event.payload.index() == golden.alternative);  // a samples() overload returned another type
        CHECK(names.insert(golden.name).second);
        covered.insert(golden.alternative);
    }
    CHECK(covered.size() == std::variant_size_v<Payload>);
}

TEST_CASE("golden envelopes: fixtures written by an earlier build decode to the same events, with the same CloudEvents headers") {
    for (const auto& golden : goldens()) {
        CAPTURE(golden.name);
        auto bytes = fixture(golden.name + ".fb", encode(golden.event));
        auto header_lines = fixture(golden.name + ".headers", headers_text(cloud_event_headers(golden.event)));
        if (!bytes || !header_lines) continue;

        auto decoded = decode(*bytes, nullptr);
        REQUIRE_MESSAGE(decoded.ok(), decoded.error().code << ": " << decoded.error().message);
        CHECK(type_name(decoded->payload) == type_name(golden.event.payload));
        CHECK(decoded->payload == golden.event.payload);
        check_metadata(decoded->metadata, golden.event.metadata);

        const auto headers = parse_headers(*header_lines);
        CHECK(cloud_event_headers(golden.event) == headers);
        CHECK(cloud_event_headers(decoded.value()) == headers);

        // What this build writes reads back the same (the bytes may differ from the fixture's; the contract is the schema).
        auto again = decode(encode(golden.event), nullptr);
        REQUIRE(again.ok());
        CHECK(again->payload == golden.event.payload);
        check_metadata(again->metadata, golden.event.metadata);
    }
}

TEST_CASE("golden envelopes: the credential record written by an earlier build decodes to the same credential") {
    auto bytes = fixture("credential.fb", encode(golden_credential));
    auto header_lines = fixture("credential.headers", headers_text(golden_credential_headers));
    REQUIRE(bytes);
    REQUIRE(header_lines);
    auto decoded = decode_credential(*bytes);
    REQUIRE(decoded.ok());
    CHECK(decoded->user_id == golden_credential.user_id);
    CHECK(decoded->organization_id == golden_credential.organization_id);
    CHECK(decoded->email == golden_credential.email);
    CHECK(decoded->password_hash == golden_credential.password_hash);
    CHECK_FALSE(decode(*bytes, nullptr).ok());  // a credential is never mistaken for an event
    CHECK(parse_headers(*header_lines) == golden_credential_headers);
    auto again = decode_credential(encode(golden_credential));
    REQUIRE(again.ok());
    CHECK(again->password_hash == golden_credential.password_hash);
}

TEST_CASE("golden envelopes: sealed fixtures written by an earlier build open with the subject keys it stored, to the same events") {
    KeyRing keys{testing::test_master_key()};
    const auto existing_keys = read_file(fixtures() / "subject-keys.bin");
    if (existing_keys)
        for (const auto& record : unpack(*existing_keys)) REQUIRE(keys.load(record).ok());
    std::vector<SubjectKeyRecord> made;
    std::vector<std::pair<const Golden*, std::string>> sealed;
    auto all = goldens();
    for (const auto& golden : all) {
        CAPTURE(golden.name);
        Event event{golden.event.metadata, with_data_subject(golden.event.payload)};
        auto current = encode_sealed(event, keys, 1'741'948'800'000);
        REQUIRE_MESSAGE(current.ok(), current.error().code);
        for (auto& record : current->new_keys) {
            keys.stored(record.subject);
            made.push_back(std::move(record));
        }
        if (auto bytes = fixture(golden.name + ".sealed.fb", current->bytes)) sealed.emplace_back(&golden, std::move(*bytes));
    }
    CHECK_MESSAGE((!existing_keys || made.empty()), "a sample has a data subject the fixtures have no key of: give it an existing id");
    REQUIRE(fixture("subject-keys.bin", pack(made)));
    for (const auto& [golden, bytes] : sealed) {
        CAPTURE(golden->name);
        auto opened = decode(bytes, &keys);
        REQUIRE_MESSAGE(opened.ok(), opened.error().code);
        CHECK(opened->payload == with_data_subject(golden->event.payload));
        check_metadata(opened->metadata, golden->event.metadata);
        CHECK(opened->metadata.unopened_seals.empty());
    }
}

// A private record's fixture (name.fb, name.headers) decodes to `golden`, and only as that kind of record.
template <typename Record>
void check_private_fixture(const std::string& name, const Record& golden, const Headers& headers, const std::string& key) {
    auto bytes = fixture(name + ".fb", encode(PrivateRecord{golden}));
    auto header_lines = fixture(name + ".headers", headers_text(headers));
    REQUIRE(bytes);
    REQUIRE(header_lines);
    auto decoded = decode_private(*bytes, nullptr);
    REQUIRE(decoded.ok());
    REQUIRE(std::holds_alternative<Record>(*decoded));
    CHECK(std::get<Record>(*decoded) == golden);
    CHECK_FALSE(decode(*bytes, nullptr).ok());
    CHECK_FALSE(decode_credential(*bytes).ok());
    CHECK(parse_headers(*header_lines) == headers);
    CHECK(Headers{{"content-type", private_record_content_type(PrivateRecord{golden})}} == headers);
    CHECK(private_record_key(PrivateRecord{golden}) == key);
}

TEST_CASE("golden envelopes: the MFA record written by an earlier build decodes to the same second factor") {
    check_private_fixture("mfa_enrolment", golden_mfa, golden_mfa_headers, "mfa:" + coach.value);
}

TEST_CASE("golden envelopes: the API key record written by an earlier build decodes to the same hash") {
    check_private_fixture("api_key_secret", golden_api_key_secret, golden_api_key_secret_headers, "api-key:" + api_key.value);
}

TEST_CASE("golden envelopes: no fixture without a sample (a fixture is never dropped while its events may be on the topic)") {
    std::set<std::string> expected{"credential.fb",    "credential.headers",    "subject-keys.bin",   "mfa_enrolment.fb",
                                   "mfa_enrolment.headers", "api_key_secret.fb", "api_key_secret.headers"};
    for (const auto& golden : goldens()) {
        expected.insert(golden.name + ".fb");
        expected.insert(golden.name + ".headers");
        expected.insert(golden.name + ".sealed.fb");
    }
    if (!fs::exists(fixtures())) return;  // the test above already failed for every missing fixture
    for (const auto& entry : fs::directory_iterator(fixtures())) {
        auto name = entry.path().filename().string();
        CAPTURE(name);
        CHECK_MESSAGE(expected.contains(name), "a golden fixture has no sample in tests/unit/golden_events_test.cpp");
    }
}

TEST_CASE("golden envelopes: the producer sends the golden headers and keys, every sample and the credential through the event log (mock cluster)") {
    testing::MockCluster mock;
    auto settings = mock.settings();
    settings.events_topic = "mock.golden.events";
    settings.credentials_topic = "mock.golden.credentials";
    settings.keys_topic = "mock.golden.keys";
    auto keys = std::make_shared<KeyRing>(testing::test_master_key());
    auto log = KafkaEventLog::open(settings, keys);
    REQUIRE(log.ok());
    std::map<std::string, const Golden*> by_event_id;
    auto all = goldens();
    std::vector<Event> batch;
    const std::string erased_here = "client:erased-by-this-test";  // not the subjects of the other samples, which must open
    for (auto& golden : all) {
        golden.event.payload = with_data_subject(std::move(golden.event.payload));
        if (auto* erased = std::get_if<ClientErased>(&golden.event.payload)) erased->subjects = {erased_here};
        batch.push_back(golden.event);
        by_event_id[golden.event.metadata.event_id] = &golden;
    }
    REQUIRE((*log)->append(batch).ok());
    REQUIRE((*log)->put_private(golden_credential).ok());

    // Collected first: a failed REQUIRE must not throw through the consumer's callback.
    std::vector<Record> records, credential_records;
    auto read = read_to_end(settings, settings.events_topic, [&](const Record& record) { records.push_back(record); }, 30'000);
    REQUIRE(read.ok());
    auto read_credentials = read_to_end(settings, settings.credentials_topic, [&](const Record& record) { credential_records.push_back(record); }, 30'000);
    REQUIRE(read_credentials.ok());

    // Every data subject's key went to the keys topic with the events it seals, and opens them after a restart.
    std::vector<Record> key_records;
    REQUIRE(read_to_end(settings, settings.keys_topic, [&](const Record& record) { key_records.push_back(record); }, 30'000).ok());
    KeyRing restarted{testing::test_master_key()};
    std::set<std::string> subjects;
    std::size_t tombstones = 0;
    for (const auto& record : key_records) {
        if (record.value.empty()) {  // the erasure's, in the same transaction
            CHECK(record.key == erased_here);
            ++tombstones;
            continue;
        }
        REQUIRE(restarted.load(record.value).ok());
        auto stored = decode_subject_key(record.value);
        CHECK(record.key == stored->subject);
        subjects.insert(stored->subject);
        CHECK(record.headers == Headers{{"content-type", subject_key_content_type}});
    }
    CHECK(tombstones == 1);
    CHECK(subjects.size() + tombstones == key_records.size());  // stored once each: the log reports them durable after the commit
    CHECK(subjects.contains("client:" + client.value));
    CHECK(subjects.contains("user:" + coach.value));
    CHECK(subjects.contains("session:" + session.value));

    CHECK(records.size() == all.size());
    for (const auto& record : records) {
        auto decoded = decode(record.value, &restarted);
        REQUIRE(decoded.ok());
        auto found = by_event_id.find(decoded->metadata.event_id);
        REQUIRE(found != by_event_id.end());
        CAPTURE(found->second->name);
        CHECK(record.key == org.value);
        auto header_lines = read_file(fixtures() / (found->second->name + ".headers"));
        REQUIRE_MESSAGE(header_lines, "missing fixture: see the test above");
        CHECK(record.headers == parse_headers(*header_lines));
        CHECK(decoded->payload == found->second->event.payload);
    }
    REQUIRE(credential_records.size() == 1);
    const auto& credential = credential_records.front();
    CHECK(credential.key == golden_credential.user_id.value);
    auto header_lines = read_file(fixtures() / "credential.headers");
    REQUIRE(header_lines);
    CHECK(credential.headers == parse_headers(*header_lines));
    auto decoded = decode_credential(credential.value);
    REQUIRE(decoded.ok());
    CHECK(decoded->email == golden_credential.email);
}
