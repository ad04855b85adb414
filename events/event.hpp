// Domain events as plain C++ values, and the metadata every event carries. The codec maps them to schemas/*.fbs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/ids.hpp"

namespace debrief::events {

struct OrganizationCreated {
    OrganizationId organization_id;
    std::string name;
};

struct UserRegistered {
    UserId user_id;
    std::string name;
    std::string email;
    std::string role;
};

struct SessionCreated {
    SessionId session_id;
    UserId coach_id;
    std::string session_date;
    std::string session_type;
};

struct TranscriptUploaded {
    SessionId session_id;
    std::string format;
    std::string text;
};

struct ParticipantSummary {
    std::string name;
    double speaking_seconds = 0;
    int word_count = 0;
    int turn_count = 0;
};

struct TranscriptSegment {
    std::string speaker;
    std::optional<double> start_seconds;
    std::optional<double> end_seconds;
    std::string text;
};

struct TranscriptParsed {
    SessionId session_id;
    bool timed = false;
    std::vector<ParticipantSummary> participants;
    std::vector<TranscriptSegment> segments;
};

using Payload = std::variant<OrganizationCreated, UserRegistered, SessionCreated, TranscriptUploaded, TranscriptParsed>;

// The public event type names (CloudEvents ce_type); part of the integrator contract.
std::string_view type_name(const Payload& payload);
std::string_view aggregate_type(const Payload& payload);

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

namespace debrief::events {
// The id of the aggregate an event belongs to (its organization, user or session id).
const std::string& aggregate_id(const Payload& payload);
}  // namespace debrief::events
