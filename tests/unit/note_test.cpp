// Quick notes as pure decisions: who may take them, and which session may address one.
#include <doctest/doctest.h>

#include "commands/note.hpp"
#include "tests/support/given_when_then.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
const OrganizationId org{"org-1"};
UserState coach_state() {
    UserState state;
    state.exists = true;
    state.organization_id = org;
    state.role = "coach";
    return state;
}
ClientState client() {
    ClientState state;
    state.exists = true;
    state.organization_id = org;
    state.coach_id = UserId{"coach-1"};
    return state;
}
SessionState session() {
    SessionState state;
    state.exists = true;
    state.organization_id = org;
    return state;
}
Actor coach() { return {UserId{"coach-1"}, org, "coach"}; }
std::string code_of(const Result<std::vector<events::Payload>>& result) { return result ? "accepted" : result.error().code; }
}  // namespace

TEST_CASE("a coach notes something about their client; the note is trimmed and bounded") {
    auto events = decide(NoteState{}, AddNote{NoteId{"n-1"}, coach(), ClientId{"c-1"}, "  Moving teams in January "}, client(), coach_state());
    REQUIRE(events.ok());
    const auto& added = std::get<events::NoteAdded>(events->at(0));
    CHECK(added.text == "Moving teams in January");
    CHECK(added.coach_id.value == "coach-1");
    CHECK(code_of(decide(NoteState{}, AddNote{NoteId{"n-1"}, coach(), ClientId{"c-1"}, " "}, client(), coach_state())) == "missing_field");
    CHECK(code_of(decide(NoteState{}, AddNote{NoteId{"n-1"}, coach(), ClientId{"c-1"}, std::string(4001, 'x')}, client(), coach_state())) ==
          "field_too_long");
    CHECK(code_of(decide(NoteState{}, AddNote{NoteId{"n-1"}, {UserId{"coach-2"}, org, "coach"}, ClientId{"c-1"}, "x"}, client(), coach_state())) ==
          "forbidden");
    CHECK(code_of(decide(NoteState{}, AddNote{NoteId{"n-1"}, coach(), ClientId{"c-1"}, "x"}, ClientState{}, coach_state())) == "client_not_found");
}

TEST_CASE("a note is addressed once, by a session its client took part in") {
    AddressNote command{NoteId{"n-1"}, coach(), SessionId{"s-1"}};
    auto address = [&](SessionState session, bool took_part) {
        return [=](const NoteState& note) { return decide(note, command, coach_state(), session, took_part); };
    };
    auto scenario = debrief::testing::given<Note>({events::NoteAdded{NoteId{"n-1"}, ClientId{"c-1"}, UserId{"coach-1"}, "x"}});
    scenario.when(address(session(), false)).then_error("client_not_in_session");
    scenario.when(address(SessionState{}, true)).then_error("session_not_found");
    scenario.when(address(session(), true)).then({events::NoteAddressed{NoteId{"n-1"}, SessionId{"s-1"}}});
    CHECK(scenario.state().addressed);
    scenario.when(address(session(), true)).then_error("note_addressed");
    debrief::testing::given<Note>().when(address(session(), true)).then_error("note_not_found");
}
