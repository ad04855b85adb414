// Event codec: domain events to and from the FlatBuffers envelope of schemas/envelope.fbs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"
#include "events/event.hpp"
#include "events/keyring.hpp"

namespace debrief::events {

// The event with every field in clear: what events written before sealing look like (golden fixtures, tests).
std::string encode(const Event& event);

// The event as the log stores it: each personal field (events/personal_data.hpp) sealed with its data subject's key,
// made now for a subject that has none. new_keys are the keys the keys topic does not hold yet: they must be stored
// in the same transaction as the event (KafkaEventLog does), then reported with KeyRing::stored.
struct SealedBytes {
    std::string bytes;
    std::vector<SubjectKeyRecord> new_keys;
};
Result<SealedBytes> encode_sealed(const Event& event, KeyRing& keys, std::int64_t now_ms);

// Verifies the buffer before reading it: bytes from the log are untrusted input. Sealed fields are opened with keys;
// a seal whose key is gone (erased) or with no keys at all (an integrator's view) leaves its fields empty and its
// subject in metadata.unopened_seals. A seal that does not open with the key it names is an error (tampering).
Result<Event> decode(std::string_view bytes, const KeyRing* keys);

// The payload's fields as a JSON object, named as in schemas/*.fbs: text and ids as strings (empty when absent or
// unopened), an absent optional number as null, parts as objects and lists as arrays (docs/event-schemas.md).
std::string payload_json(const Payload& payload);
// Every event type this build knows (its ce_type), in the order of the schema's union.
std::vector<std::string_view> event_type_names();
// The JSON of a payload of that type with every field at its default: its fields, for a CSV header. nullopt for a
// type this build does not know.
std::optional<std::string> default_payload_json(std::string_view type);

inline constexpr const char* subject_key_content_type = "application/x-flatbuffers;schema=debrief.schema.SubjectKey";
std::string encode(const SubjectKeyRecord& record);
Result<SubjectKeyRecord> decode_subject_key(std::string_view bytes);

// The private records of the compacted credentials topic (never the public events topic), keyed so that the newest
// record of each key is the state: see private_record_key.
struct Credential {
    UserId user_id;
    OrganizationId organization_id;
    std::string email;
    std::string password_hash;
};

// One login session (refresh-token family): schemas/login_session.fbs.
struct LoginSessionRecord {
    std::string session_id;
    UserId user_id;
    OrganizationId organization_id;
    std::uint32_t generation = 1;
    std::int64_t started_at_ms = 0;
    std::int64_t expires_at = 0;  // seconds
    std::int64_t revoked_at_ms = 0;
};

// Every session of a user started at or before the cut-off ends: schemas/sessions_revoked.fbs.
struct SessionsRevoked {
    UserId user_id;
    OrganizationId organization_id;
    std::int64_t revoked_before_ms = 0;
};

// A user's second factor (TOTP, RFC 6238) and its recovery codes: schemas/mfa_enrolment.fbs. The newest record of a
// user is the state: pending (secret, not confirmed), enabled (confirmed), or none (no secret: disabled or reset).
struct MfaEnrolment {
    UserId user_id;
    OrganizationId organization_id;
    std::string secret;  // the TOTP key's raw bytes (the log seals it: encode_sealed)
    bool confirmed = false;
    std::int64_t enrolled_at_ms = 0;
    std::int64_t confirmed_at_ms = 0;
    std::int64_t last_used_step = 0;  // the newest TOTP step accepted; a code of it or of an older step is a replay
    std::string recovery_salt;
    std::vector<std::string> recovery_code_hashes;  // of the unused recovery codes, hex
    std::int64_t disabled_at_ms = 0;
    bool operator==(const MfaEnrolment&) const = default;
};

// The hash of an API key's secret: schemas/api_key_secret.fbs. The key's name, scopes and revocation are events.
struct ApiKeySecret {
    ApiKeyId api_key_id;
    OrganizationId organization_id;
    std::string secret_hash;  // SHA-256, hex
    bool operator==(const ApiKeySecret&) const = default;
};

using PrivateRecord = std::variant<Credential, LoginSessionRecord, SessionsRevoked, MfaEnrolment, ApiKeySecret>;

std::string encode(const PrivateRecord& record);
// As the log stores it: an MFA record's TOTP key sealed with its user's key (the other kinds hold no such secret).
Result<SealedBytes> encode_sealed(const PrivateRecord& record, KeyRing& keys, std::int64_t now_ms);
// Tells the record's kind by its FlatBuffers file identifier; verifies it like an event.
Result<PrivateRecord> decode_private(std::string_view bytes, const KeyRing* keys);
// A credential record, or an error for anything else.
Result<Credential> decode_credential(std::string_view bytes);
std::string private_record_key(const PrivateRecord& record);
std::string private_record_content_type(const PrivateRecord& record);

}  // namespace debrief::events
