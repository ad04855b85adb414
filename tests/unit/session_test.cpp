// Session decisions: creating a session with its transcript, and parsing it.
#include <doctest/doctest.h>

#include "tests/support/given_when_then.hpp"
#include "commands/session.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
const OrganizationId org{"org-1"};
Actor coach() { return {UserId{"coach-1"}, org, "coach"}; }
CreateSession valid_create() {
    return {SessionId{"session-1"}, coach(), "2026-11-20", "individual", "plain", "Coach: How was your week?\nMaria: Busy, but I closed two deals.\n", {}, ""};
}
ParseTranscript parse_of(std::string session) {
    return {SessionId{std::move(session)}, "Sam Coach", {}, {ClientId{"new-client-1"}, ClientId{"new-client-2"}},
            {SummaryId{"summary-1"}, SummaryId{"summary-2"}}, {}};
}
SessionState after(const std::vector<events::Payload>& events, SessionState state = {}) {
    return debrief::testing::folded<Session>(std::move(state), events);  // a session's events only: parse also registers clients
}
}  // namespace

TEST_CASE("creating a session appends the session and its uploaded transcript") {
    auto events = decide(SessionState{}, valid_create(), {});
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
        auto events = decide(SessionState{}, command, {});
        REQUIRE_FALSE(events.ok());
        CHECK(events.error().code == c.code);
    }
}

TEST_CASE("a client may not create sessions") {
    auto command = valid_create();
    command.actor.role = "client";
    auto events = decide(SessionState{}, command, {});
    REQUIRE_FALSE(events.ok());
    CHECK(events.error().kind == ErrorKind::forbidden);
}

TEST_CASE("creating a session with an id that exists is a conflict") {
    auto events = decide(SessionState{}, valid_create(), {});
    REQUIRE(events.ok());
    auto again = decide(after(events.value()), valid_create(), {});
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "session_exists");
    CHECK(again.error().kind == ErrorKind::conflict);
}

TEST_CASE("parsing an uploaded transcript yields participants, then cannot run twice") {
    auto created = decide(SessionState{}, valid_create(), {});
    REQUIRE(created.ok());
    auto state = after(created.value());
    auto parsed = decide(state, parse_of("session-1"));
    REQUIRE(parsed.ok());
    // The parse, Maria registered as a client, her draft summary, and the session marked analysed.
    REQUIRE(parsed->size() == 4);
    auto event = std::get<events::TranscriptParsed>(parsed->at(0));
    REQUIRE(event.participants.size() == 2);
    CHECK(event.participants[0].name == "Coach");
    CHECK(event.participants[0].is_coach);
    CHECK(event.participants[1].name == "Maria");
    CHECK(event.participants[1].word_count == 6);
    // Maria is no client of the coach yet: she is registered from the transcript, in the same append.
    CHECK(event.participants[1].client_id.value == "new-client-1");
    auto registered = std::get<events::ClientRegistered>(parsed->at(1));
    CHECK(registered.client_id.value == "new-client-1");
    CHECK(registered.name == "Maria");
    CHECK(registered.coach_id.value == "coach-1");
    CHECK(registered.source == "transcript");
    auto drafted = std::get<events::SummaryDrafted>(parsed->at(2));
    CHECK(drafted.summary_id.value == "summary-1");
    CHECK(drafted.client_id.value == "new-client-1");
    CHECK(drafted.coach_id.value == "coach-1");
    CHECK(drafted.analyser == "builtin-1");
    auto analysed = std::get<events::SessionAnalysed>(parsed->at(3));
    CHECK(analysed.summary_ids == std::vector<SummaryId>{SummaryId{"summary-1"}});
    CHECK(event.segments.size() == 2);
    state = after(parsed.value(), state);
    CHECK(state.status == SessionStatus::analysed);
    CHECK(state.version == 4);
    auto again = decide(state, parse_of("session-1"));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "transcript_already_parsed");
}

TEST_CASE("parsing a session that does not exist is not found") {
    auto parsed = decide(SessionState{}, parse_of("nope"));
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == ErrorKind::not_found);
}

TEST_CASE("a speaker mapping names speakers of the transcript and clients of the session's coach") {
    ClientState maria;
    maria.exists = true;
    maria.organization_id = org;
    maria.coach_id = UserId{"coach-1"};
    auto command = valid_create();
    command.speaker_clients = {{"maria", ClientId{"client-maria"}}};
    command.coach_speaker = "Coach";
    auto accepted = decide(SessionState{}, command, {{ClientId{"client-maria"}, maria}});
    REQUIRE(accepted.ok());
    const auto& uploaded = std::get<events::TranscriptUploaded>(accepted->at(1));
    CHECK(uploaded.speaker_clients == command.speaker_clients);
    CHECK(uploaded.coach_speaker == "Coach");

    auto ghost = valid_create();
    ghost.speaker_clients = {{"Nobody", ClientId{"client-maria"}}};
    CHECK(decide(SessionState{}, ghost, {{ClientId{"client-maria"}, maria}}).error().code == "unknown_speaker");
    auto missing = valid_create();
    missing.speaker_clients = {{"Maria", ClientId{"client-x"}}};
    CHECK(decide(SessionState{}, missing, {{ClientId{"client-x"}, ClientState{}}}).error().code == "client_not_found");
    auto others = valid_create();
    others.speaker_clients = {{"Maria", ClientId{"client-maria"}}};
    maria.coach_id = UserId{"coach-2"};
    CHECK(decide(SessionState{}, others, {{ClientId{"client-maria"}, maria}}).error().kind == ErrorKind::forbidden);
    maria.coach_id = UserId{"coach-1"};
    maria.organization_id = OrganizationId{"org-2"};
    CHECK(decide(SessionState{}, others, {{ClientId{"client-maria"}, maria}}).error().code == "client_not_found");
    auto bad_coach = valid_create();
    bad_coach.coach_speaker = "Zed";
    CHECK(decide(SessionState{}, bad_coach, {}).error().code == "unknown_speaker");
}

TEST_CASE("session dates are real calendar dates") {
    CHECK(is_valid_iso_date("2024-02-29"));
    CHECK_FALSE(is_valid_iso_date("2023-02-29"));
    CHECK_FALSE(is_valid_iso_date("2026-13-01"));
    CHECK_FALSE(is_valid_iso_date("2026-1-01"));
    CHECK_FALSE(is_valid_iso_date("abcd-ef-gh"));
}

TEST_CASE("a session whose parse is refused for good is recorded as failed, once, and only while it waits for its parse") {
    using debrief::testing::given;
    const SessionId id{"session-1"};
    const events::SessionCreated created{id, UserId{"coach-1"}, "2026-11-20", "individual"};
    const events::TranscriptUploaded uploaded{id, "plain", "Coach: Hi\n", {}, ""};
    const Error refusal = invalid("too_many_speakers", "a transcript may have at most 100 speakers");
    auto scenario = given<Session>({created, uploaded});
    scenario.when([&](const SessionState& s) { return decide(s, FailProcessing{id, "parse", refusal}); })
        .then({events::SessionProcessingFailed{id, "parse", "too_many_speakers", "a transcript may have at most 100 speakers"}});
    scenario.when([&](const SessionState& s) { return decide(s, FailProcessing{id, "parse", refusal}); }).then_error("transcript_already_parsed");
    scenario.when([&](const SessionState& s) { return decide(s, parse_of("session-1")); }).then_error("transcript_already_parsed");
    given<Session>().when([&](const SessionState& s) { return decide(s, FailProcessing{id, "parse", refusal}); }).then_error("session_not_found");

    auto failed = after({created, uploaded, events::SessionProcessingFailed{id, "parse", "too_many_speakers", "…"}});
    CHECK(failed.status == SessionStatus::failed);
    CHECK(to_string(failed.status) == "failed");
    CHECK(failed.failure_code == "too_many_speakers");
    CHECK(failed.transcript_text.empty());
}

TEST_CASE("only refusals that a later attempt cannot get past fail a session for good") {
    CHECK(fails_for_good(invalid("too_many_speakers", "")));
    CHECK(fails_for_good(Error{ErrorKind::too_large, "event_too_large", ""}));
    CHECK_FALSE(fails_for_good(Error{ErrorKind::unavailable, "event_log_unavailable", ""}));
    CHECK_FALSE(fails_for_good(conflict("transcript_already_parsed", "")));
    CHECK_FALSE(fails_for_good(not_found("session_not_found", "")));
    CHECK_FALSE(fails_for_good(Error{ErrorKind::internal, "nothing_to_append", ""}));
}
