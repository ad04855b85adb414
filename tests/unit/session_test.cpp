// Session decisions: creating a session with its transcript, and parsing it.
#include <doctest/doctest.h>

#include "commands/session.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
const OrganizationId org{"org-1"};
Actor coach() { return {UserId{"coach-1"}, org, "coach"}; }
CreateSession valid_create() {
    return {SessionId{"session-1"}, coach(), "2026-11-20", "individual", "plain", "Coach: How was your week?\nMaria: Busy, but I closed two deals.\n"};
}
SessionState after(const std::vector<events::Payload>& events, SessionState state = {}) {
    for (const auto& e : events) state = evolve(state, e, org);
    return state;
}
}  // namespace

TEST_CASE("creating a session appends the session and its uploaded transcript") {
    auto events = decide(SessionState{}, valid_create());
    REQUIRE(events.ok());
    REQUIRE(events->size() == 2);
    auto created = std::get<events::SessionCreated>(events->at(0));
    CHECK(created.session_id.value == "session-1");
    CHECK(created.coach_id.value == "coach-1");
    CHECK(created.session_date == "2026-11-20");
    auto uploaded = std::get<events::TranscriptUploaded>(events->at(1));
    CHECK(uploaded.format == "plain");
    CHECK(uploaded.text.find("Maria") != std::string::npos);
    auto state = after(events.value());
    CHECK(state.exists);
    CHECK(state.version == 2);
    CHECK(state.status == SessionStatus::uploaded);
}

TEST_CASE("creating a session is refused for invalid input, before anything is appended") {
    struct Case {
        const char* what;
        void (*mutate)(CreateSession&);
        const char* code;
    };
    Case cases[] = {
        {"date with wrong shape", [](CreateSession& c) { c.session_date = "20-11-2026"; }, "invalid_session_date"},
        {"impossible date", [](CreateSession& c) { c.session_date = "2026-02-30"; }, "invalid_session_date"},
        {"unknown session type", [](CreateSession& c) { c.session_type = "party"; }, "invalid_session_type"},
        {"unknown transcript format", [](CreateSession& c) { c.transcript_format = "docx"; }, "unknown_transcript_format"},
        {"empty transcript", [](CreateSession& c) { c.transcript_text = "   \n"; }, "transcript_empty"},
        {"oversized transcript", [](CreateSession& c) { c.transcript_text = "A: " + std::string(600 * 1024, 'x'); }, "transcript_too_large"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        auto command = valid_create();
        c.mutate(command);
        auto events = decide(SessionState{}, command);
        REQUIRE_FALSE(events.ok());
        CHECK(events.error().code == c.code);
    }
}

TEST_CASE("a client may not create sessions") {
    auto command = valid_create();
    command.actor.role = "client";
    auto events = decide(SessionState{}, command);
    REQUIRE_FALSE(events.ok());
    CHECK(events.error().kind == ErrorKind::forbidden);
}

TEST_CASE("creating a session with an id that exists is a conflict") {
    auto events = decide(SessionState{}, valid_create());
    REQUIRE(events.ok());
    auto again = decide(after(events.value()), valid_create());
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "session_exists");
    CHECK(again.error().kind == ErrorKind::conflict);
}

TEST_CASE("parsing an uploaded transcript yields participants, then cannot run twice") {
    auto created = decide(SessionState{}, valid_create());
    REQUIRE(created.ok());
    auto state = after(created.value());
    auto parsed = decide(state, ParseTranscript{SessionId{"session-1"}});
    REQUIRE(parsed.ok());
    REQUIRE(parsed->size() == 1);
    auto event = std::get<events::TranscriptParsed>(parsed->at(0));
    REQUIRE(event.participants.size() == 2);
    CHECK(event.participants[0].name == "Coach");
    CHECK(event.participants[1].name == "Maria");
    CHECK(event.participants[1].word_count == 6);
    CHECK(event.segments.size() == 2);
    state = after(parsed.value(), state);
    CHECK(state.status == SessionStatus::parsed);
    CHECK(state.version == 3);
    auto again = decide(state, ParseTranscript{SessionId{"session-1"}});
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "transcript_already_parsed");
}

TEST_CASE("parsing a session that does not exist is not found") {
    auto parsed = decide(SessionState{}, ParseTranscript{SessionId{"nope"}});
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == ErrorKind::not_found);
}

TEST_CASE("session dates are real calendar dates") {
    CHECK(is_valid_iso_date("2024-02-29"));
    CHECK_FALSE(is_valid_iso_date("2023-02-29"));
    CHECK_FALSE(is_valid_iso_date("2026-13-01"));
    CHECK_FALSE(is_valid_iso_date("2026-1-01"));
    CHECK_FALSE(is_valid_iso_date("abcd-ef-gh"));
}
