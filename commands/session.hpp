// The coaching-session aggregate: created with its transcript, then parsed into participants and segments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "commands/result.hpp"
#include "events/event.hpp"

namespace debrief::commands {

enum class SessionStatus { none, uploaded, parsed };
std::string_view to_string(SessionStatus status);

struct SessionState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    UserId coach_id;
    SessionStatus status = SessionStatus::none;
    std::string transcript_format;
    std::string transcript_text;
};

struct CreateSession {
    SessionId session_id;
    Actor actor;
    std::string session_date;  // YYYY-MM-DD
    std::string session_type;  // individual | group_workshop | call_review
    std::string transcript_format;
    std::string transcript_text;
};

struct ParseTranscript {
    SessionId session_id;
};

// The transcript is parsed here too, so a transcript that cannot be parsed is refused before anything is appended.
Result<std::vector<events::Payload>> decide(const SessionState& session, const CreateSession& command);
Result<std::vector<events::Payload>> decide(const SessionState& session, const ParseTranscript& command);
SessionState evolve(SessionState state, const events::Payload& event, const OrganizationId& organization_id);

bool is_valid_session_type(std::string_view type);
bool is_valid_iso_date(std::string_view date);

}  // namespace debrief::commands
