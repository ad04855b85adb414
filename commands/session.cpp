// Session decisions: who may create a session, what a valid session and transcript are, and when parsing applies.
#include "commands/session.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>

#include "commands/authorization.hpp"
#include "commands/participant_matching.hpp"
#include "commands/session_analysis.hpp"
#include "commands/text_rules.hpp"
#include "commands/transcript/transcript.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::commands {

// The parse's one event, with its envelope and headers, fits in the largest record the event log takes.
static_assert(transcript::max_parsed_bytes + 64 * 1024 <= events::default_max_event_bytes);

std::string_view to_string(SessionStatus status) {
    switch (status) {
        case SessionStatus::uploaded: return "uploaded";
        case SessionStatus::parsed: return "parsed";
        case SessionStatus::analysed: return "analysed";
        case SessionStatus::failed: return "failed";
        case SessionStatus::none: break;
    }
    return "none";
}

bool is_valid_session_type(std::string_view type) {
    constexpr std::array<std::string_view, 3> types{"individual", "group_workshop", "call_review"};
    return std::find(types.begin(), types.end(), type) != types.end();
}

bool is_valid_iso_date(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
    int y = 0;
    unsigned m = 0, d = 0;
    auto number = [&](std::size_t at, std::size_t len, auto& out) {
        auto [end, ec] = std::from_chars(date.data() + at, date.data() + at + len, out);
        return ec == std::errc{} && end == date.data() + at + len;
    };
    if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return false;
    return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}.ok() && y >= 1970;
}

namespace {

// Speakers become participants and, when unmatched, clients: their names follow the rules of names. The segments of a
// JSON transcript are decoded from escapes, so their text is checked again after the parse.
std::optional<Error> check_segments(const transcript::ParsedTranscript& parsed) {
    for (std::size_t i = 0; i < parsed.segments.size(); ++i) {
        const auto& segment = parsed.segments[i];
        auto where = "transcript.text (segment " + std::to_string(i + 1) + ")";
        auto bad = check_text(where + " speaker name", segment.speaker, TextKind::name);
        if (!bad) bad = check_text(where, segment.text, TextKind::multiline);
        if (bad) {
            bad->field = "transcript.text";
            return bad;
        }
    }
    return std::nullopt;
}

std::vector<std::string> speakers_of(const transcript::ParsedTranscript& parsed) {
    std::vector<std::string> speakers;
    for (const auto& p : parsed.participants) speakers.push_back(p.name);
    return speakers;
}

events::TranscriptParsed to_event(const SessionId& id, const transcript::ParsedTranscript& parsed, const std::vector<SpeakerMatch>& matches) {
    events::TranscriptParsed event{id, parsed.timed, {}, {}};
    event.participants.reserve(parsed.participants.size());
    for (std::size_t i = 0; i < parsed.participants.size(); ++i) {
        const auto& p = parsed.participants[i];
        event.participants.push_back({p.name, p.speaking_seconds, p.word_count, p.turn_count, matches[i].client_id, matches[i].is_coach});
    }
    event.segments.reserve(parsed.segments.size());
    for (const auto& s : parsed.segments) event.segments.push_back({s.speaker, s.start_seconds, s.end_seconds, s.text});
    return event;
}

}  // namespace

Result<std::vector<events::Payload>> decide(const SessionState& session, const CreateSession& command,
                                            const std::map<ClientId, ClientState>& mapped_clients) {
    if (!is_coaching_role(command.actor.role))
        return Error{ErrorKind::forbidden, "forbidden", "role '" + command.actor.role + "' may not create sessions"};
    if (session.exists) return conflict("session_exists", "a session with this id already exists");
    if (!is_valid_iso_date(command.session_date)) return invalid("invalid_session_date", "session_date must be a date as YYYY-MM-DD");
    if (!is_valid_session_type(command.session_type))
        return invalid("invalid_session_type", "session_type must be one of individual, group_workshop, call_review");
    auto format = transcript::format_from_string(command.transcript_format);
    if (!format) return invalid("unknown_transcript_format", "transcript.format must be one of plain, webvtt, srt, json");
    // Stored as normalised (LF line breaks, no byte order mark), so that every later parse reads what was checked.
    const auto text = normalise_line_breaks(command.transcript_text);
    auto parsed = transcript::parse(*format, text);
    if (!parsed) return parsed.error();
    if (auto bad = check_text("transcript.text", text, TextKind::multiline)) return *bad;
    if (auto bad = check_segments(parsed.value())) return *bad;
    // Refused now rather than accepted and never parsed: the parse's one event must fit in a Kafka record.
    if (transcript::parsed_size_bound(parsed->segments) > transcript::max_parsed_bytes)
        return Error{ErrorKind::too_large, "transcript_too_large",
                     "the transcript has too many turns (" + std::to_string(parsed->segments.size()) + ") to be stored parsed; split it in parts"};
    if (auto bad = check_speaker_mapping(speakers_of(parsed.value()), command.speaker_clients, command.coach_speaker)) return *bad;
    // Refused here, before anything is appended: the parse could only refuse it after the session was accepted.
    if (parsed->participants.size() > max_speakers_per_session)
        return invalid("too_many_speakers", "a transcript may have at most " + std::to_string(max_speakers_per_session) + " speakers");
    for (const auto& m : command.speaker_clients) {
        auto it = mapped_clients.find(m.client_id);
        if (it == mapped_clients.end() || !it->second.exists || !visible_to(command.actor, it->second.organization_id))
            return not_found("client_not_found", "no client '" + m.client_id.value + "' (mapped to '" + m.speaker + "')");
        // The session's coach is its creator: the clients in it must be theirs.
        if (it->second.coach_id != command.actor.user_id)
            return Error{ErrorKind::forbidden, "forbidden", "the client mapped to '" + m.speaker + "' is not coached by you"};
    }
    return std::vector<events::Payload>{
        events::SessionCreated{command.session_id, command.actor.user_id, command.session_date, command.session_type},
        events::TranscriptUploaded{command.session_id, std::string(transcript::to_string(*format)), text,
                                   command.speaker_clients, command.coach_speaker},
    };
}

Result<std::vector<events::Payload>> decide(const SessionState& session, const ParseTranscript& command) {
    if (!session.exists) return not_found("session_not_found", "no such session");
    if (session.status != SessionStatus::uploaded)
        return conflict("transcript_already_parsed", "the transcript of this session is already parsed");
    auto format = transcript::format_from_string(session.transcript_format);
    if (!format) return invalid("unknown_transcript_format", "stored transcript has an unknown format");
    auto parsed = transcript::parse(*format, session.transcript_text);
    if (!parsed) return parsed.error();
    auto matches = match_participants(
        {speakers_of(parsed.value()), command.coach_name, session.coach_speaker, session.speaker_clients, command.coach_clients, command.spare_ids});
    if (!matches) return matches.error();
    std::vector<events::Payload> events{to_event(command.session_id, parsed.value(), matches.value())};
    for (const auto& match : matches.value())
        if (match.new_client)
            events.push_back(events::ClientRegistered{match.client_id, match.speaker, {}, {}, {}, session.coach_id, "transcript"});
    // Analysis starts by itself: the built-in analyser is pure and fast, so its drafts join the parse's append.
    auto drafts = draft_summaries({command.session_id, session.coach_id, session.session_date, session.session_type}, parsed.value(),
                                  matches.value(), command.spare_summary_ids, command.metric_drops);
    events.insert(events.end(), std::make_move_iterator(drafts.begin()), std::make_move_iterator(drafts.end()));
    return events;
}

Result<std::vector<events::Payload>> decide(const SessionState& session, const FailProcessing& command) {
    if (!session.exists) return not_found("session_not_found", "no such session");
    if (session.status != SessionStatus::uploaded) return conflict("transcript_already_parsed", "the session is past its " + command.stage);
    return std::vector<events::Payload>{events::SessionProcessingFailed{command.session_id, command.stage, command.refusal.code, command.refusal.message}};
}

bool fails_for_good(const Error& refusal) {
    switch (refusal.kind) {
        case ErrorKind::invalid:
        case ErrorKind::malformed:
        case ErrorKind::too_large: return true;
        default: return false;  // unavailable (the log), conflict (parsed meanwhile), not found, internal (a bug)
    }
}

void evolve(SessionState& state, const events::SessionCreated& created, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = m.organization_id;
    state.coach_id = created.coach_id;
    state.session_date = created.session_date;
    state.session_type = created.session_type;
}

void evolve(SessionState& state, const events::TranscriptUploaded& uploaded, const events::Metadata&) {
    state.status = SessionStatus::uploaded;
    state.transcript_format = uploaded.format;
    state.transcript_text = uploaded.text;
    state.speaker_clients = uploaded.speaker_clients;
    state.coach_speaker = uploaded.coach_speaker;
}

void evolve(SessionState& state, const events::TranscriptParsed& parsed, const events::Metadata&) {
    state.status = SessionStatus::parsed;
    for (const auto& p : parsed.participants)
        if (!p.client_id.empty()) state.client_ids.push_back(p.client_id);
    state.transcript_text.clear();  // the write side no longer needs it; the read models keep it
    state.transcript_text.shrink_to_fit();
}

void evolve(SessionState& state, const events::SessionAnalysed&, const events::Metadata&) {
    state.status = SessionStatus::analysed;
}

void evolve(SessionState& state, const events::SessionProcessingFailed& failed, const events::Metadata&) {
    state.status = SessionStatus::failed;
    state.failure_code = failed.code;
    state.transcript_text.clear();  // never parsed now: the read models keep it
    state.transcript_text.shrink_to_fit();
}

}  // namespace debrief::commands
