// The quick note aggregate: a coach's note about a client, unaddressed until a session of that client covers it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "commands/aggregate.hpp"
#include "commands/client.hpp"
#include "common/result.hpp"
#include "commands/session.hpp"
#include "commands/user.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct NoteState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    ClientId client_id;
    UserId coach_id;
    bool addressed = false;
};

inline constexpr std::size_t max_note_length = 4000;

struct AddNote {
    NoteId note_id;
    Actor actor;
    ClientId client_id;
    std::string text;
};

struct AddressNote {
    NoteId note_id;
    Actor actor;
    SessionId session_id;
};

Result<std::vector<events::Payload>> decide(const NoteState& note, const AddNote& command, const ClientState& client, const UserState& client_coach);
// session: the state of the session said to cover the note; it must be a session of the note's client.
Result<std::vector<events::Payload>> decide(const NoteState& note, const AddressNote& command, const UserState& client_coach,
                                            const SessionState& session, bool client_took_part);
// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
void evolve(NoteState& state, const events::NoteAdded& event, const events::Metadata& metadata);
void evolve(NoteState& state, const events::NoteAddressed& event, const events::Metadata& metadata);
using Note = Aggregate<NoteId, NoteState>;

}  // namespace debrief::commands
