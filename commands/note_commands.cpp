#include "commands/note_commands.hpp"

#include <algorithm>

#include "commands/note.hpp"

namespace debrief::commands {
using Decision = CommandHandler::Decision;

Result<Accepted> add_note(CommandHandler& handler, const Actor& actor, const ClientId& client, std::string text, const CommandContext& context) {
    const auto& model = handler.model();
    AddNote command{NoteId{handler.new_id()}, actor, client, std::move(text)};
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto client_state = model.state(client);
        return decide(model.state(command.note_id), command, client_state, model.state(client_state.coach_id));
    });
}

Result<Accepted> address_note(CommandHandler& handler, const Actor& actor, const NoteId& note, const SessionId& session, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model.state(note);
        auto session_state = model.state(session);
        bool took_part = std::find(session_state.client_ids.begin(), session_state.client_ids.end(), state.client_id) != session_state.client_ids.end();
        return decide(state, AddressNote{note, actor, session}, model.state(state.coach_id), session_state, took_part);
    });
}

}  // namespace debrief::commands
