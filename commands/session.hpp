// The coaching-session aggregate: created with its transcript, then parsed into participants and segments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <map>

#include "commands/aggregate.hpp"
#include "commands/actor.hpp"
#include "commands/client.hpp"
#include "commands/metrics/metric_trends.hpp"
#include "common/result.hpp"
#include "events/event.hpp"

namespace debrief::commands {

enum class SessionStatus { none, uploaded, parsed, analysed, failed };
std::string_view to_string(SessionStatus status);

struct SessionState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    UserId coach_id;
    std::string session_date;
    std::string session_type;
    SessionStatus status = SessionStatus::none;
    std::string transcript_format;
    std::string transcript_text;
    std::vector<events::SpeakerClient> speaker_clients;
    std::string coach_speaker;
    std::vector<ClientId> client_ids;  // the clients who took part, once parsed
    std::string failure_code;          // why processing failed for good (status failed)
};

inline constexpr std::size_t max_speakers_per_session = 100;

struct CreateSession {
    SessionId session_id;
    Actor actor;
    std::string session_date;  // YYYY-MM-DD
    std::string session_type;  // individual | group_workshop | call_review
    std::string transcript_format;
    std::string transcript_text;
    std::vector<events::SpeakerClient> speaker_clients;  // explicit speaker -> client mapping
    std::string coach_speaker;                           // optional
};

struct ParseTranscript {
    SessionId session_id;
    std::string coach_name;                         // the session coach's user name, to find the coach speaker
    std::map<std::string, ClientId> coach_clients;  // the coach's clients by client_name_key
    std::vector<ClientId> spare_ids;                // for clients registered from unmatched speakers
    std::vector<SummaryId> spare_summary_ids;       // one per client participant, for the drafted summaries
    std::map<ClientId, std::vector<metrics::MetricTrend>> metric_drops;  // the coach's clients' KPI drops (WriteModel)
};

// A step of processing (the parse) refused the session for good: recorded so that it shows and is not retried.
struct FailProcessing {
    SessionId session_id;
    std::string stage;
    Error refusal;
};

// The transcript is parsed here too, so a transcript that cannot be parsed is refused before anything is appended.
// mapped_clients: the states of the clients the mapping names.
Result<std::vector<events::Payload>> decide(const SessionState& session, const CreateSession& command,
                                            const std::map<ClientId, ClientState>& mapped_clients);
Result<std::vector<events::Payload>> decide(const SessionState& session, const ParseTranscript& command);
Result<std::vector<events::Payload>> decide(const SessionState& session, const FailProcessing& command);
// Whether a refusal of the parse is for good (the stored transcript or its mapping can never be parsed), rather than
// a log or race that a later attempt gets past.
bool fails_for_good(const Error& refusal);
// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
void evolve(SessionState& state, const events::SessionCreated& event, const events::Metadata& metadata);
void evolve(SessionState& state, const events::TranscriptUploaded& event, const events::Metadata& metadata);
void evolve(SessionState& state, const events::TranscriptParsed& event, const events::Metadata& metadata);
void evolve(SessionState& state, const events::SessionAnalysed& event, const events::Metadata& metadata);
void evolve(SessionState& state, const events::SessionProcessingFailed& event, const events::Metadata& metadata);
using Session = Aggregate<SessionId, SessionState>;

bool is_valid_session_type(std::string_view type);
bool is_valid_iso_date(std::string_view date);

}  // namespace debrief::commands
