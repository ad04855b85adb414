// The notes area's commands: a coach's quick note about a client, and the session that addressed it.
#pragma once

#include <string>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"

namespace debrief::commands {

Result<Accepted> add_note(CommandHandler& handler, const Actor& actor, const ClientId& client, std::string text, const CommandContext& context);
Result<Accepted> address_note(CommandHandler& handler, const Actor& actor, const NoteId& note, const SessionId& session, const CommandContext& context);

}  // namespace debrief::commands
