// Who is who in a transcript: which speaker is the coach, and which client each other speaker is.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct MatchInput {
    std::vector<std::string> speakers;  // in order of first appearance
    std::string coach_name;             // the session coach's user name
    std::string coach_speaker;          // named by the uploader; empty to let Debrief find the coach
    std::vector<events::SpeakerClient> explicit_clients;
    std::map<std::string, ClientId> coach_clients;  // the coach's clients by client_name_key
    std::vector<ClientId> spare_ids;                // ids for the clients registered from unmatched speakers
};

struct SpeakerMatch {
    std::string speaker;
    bool is_coach = false;
    ClientId client_id;       // empty for the coach and for "Unknown" (a cue with no speaker)
    bool new_client = false;  // no client matched: one is registered under this speaker's name
};

// The coach speaker is, in this order: the one the uploader named; the one whose name is the coach's name or
// first name; the one whose name carries a coaching title (coach, facilitator, trainer, team lead(er), supervisor,
// manager, interviewer, host, moderator, tl); else the first speaker, as coaches usually open. Each other speaker is the client
// the uploader mapped it to, else the coach's client of that name, else a new client of that name.
Result<std::vector<SpeakerMatch>> match_participants(const MatchInput& input);

// Checks an upload's mapping against the speakers before anything is appended.
std::optional<Error> check_speaker_mapping(const std::vector<std::string>& speakers, const std::vector<events::SpeakerClient>& explicit_clients,
                                           const std::string& coach_speaker);

}  // namespace debrief::commands
