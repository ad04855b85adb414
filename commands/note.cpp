// Quick note decisions: who may take and address notes, and which session may address one.
#include "commands/note.hpp"

#include "commands/authorization.hpp"
#include "commands/text_rules.hpp"

namespace debrief::commands {

Result<std::vector<events::Payload>> decide(const NoteState& note, const AddNote& command, const ClientState& client, const UserState& client_coach) {
    if (!client.exists || !visible_to(command.actor, client.organization_id)) return not_found("client_not_found", "no such client");
    if (auto refused = refusal_to_manage_client(command.actor, client.coach_id, client_coach)) return *refused;
    if (note.exists) return conflict("note_exists", "a note with this id already exists");
    auto text = std::string(trim(command.text));
    if (text.empty()) return invalid("missing_field", "text must not be empty");
    if (text.size() > max_note_length) return invalid("field_too_long", "a note is at most 4000 characters");
    if (auto bad = check_text("text", text, TextKind::multiline)) return *bad;
    return std::vector<events::Payload>{events::NoteAdded{command.note_id, command.client_id, client.coach_id, text}};
}

Result<std::vector<events::Payload>> decide(const NoteState& note, const AddressNote& command, const UserState& client_coach,
                                            const SessionState& session, bool client_took_part) {
    if (!note.exists || !visible_to(command.actor, note.organization_id)) return not_found("note_not_found", "no such note");
    if (auto refused = refusal_to_manage_client(command.actor, note.coach_id, client_coach)) return *refused;
    if (note.addressed) return conflict("note_addressed", "the note is already addressed");
    if (!session.exists || !visible_to(command.actor, session.organization_id)) return not_found("session_not_found", "no such session");
    if (!client_took_part) return invalid("client_not_in_session", "the note's client did not take part in that session");
    return std::vector<events::Payload>{events::NoteAddressed{command.note_id, command.session_id}};
}

void evolve(NoteState& state, const events::NoteAdded& added, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = m.organization_id;
    state.client_id = added.client_id;
    state.coach_id = added.coach_id;
}

void evolve(NoteState& state, const events::NoteAddressed&, const events::Metadata&) { state.addressed = true; }

}  // namespace debrief::commands
