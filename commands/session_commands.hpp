// The sessions area's commands: a session with its transcript, and the parse that finds its participants and
// drafts their summaries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct CreateSessionInput {
    std::optional<SessionId> session_id;  // a client may choose the id (a UUID) so that retries are natural
    std::string session_date;
    std::string session_type;
    std::string transcript_format;
    std::string transcript_text;
    std::vector<events::SpeakerClient> speaker_clients;  // "clients": {"<speaker>": "<client id>"}
    std::string coach_speaker;                           // optional
};

// Appends the session and its transcript, then parses it in the same request: the answer's position is the parse.
Result<Accepted> create_session(CommandHandler& handler, const Actor& actor, const CreateSessionInput& input, const CommandContext& context);
// Parses an uploaded transcript (also at start, for a session a crash left unparsed) and tells the draft listener
// of every summary it drafted.
Result<Accepted> parse_transcript(CommandHandler& handler, const OrganizationId& organization, const SessionId& session,
                                  const CommandContext& context);

}  // namespace debrief::commands
