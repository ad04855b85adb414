// The command loop on an in-memory log: versions, idempotency keys, conflicts, and nothing folded that was not appended.
#include <doctest/doctest.h>

#include "commands/people_commands.hpp"
#include "commands/session_commands.hpp"
#include "tests/unit/in_memory_commands.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
struct Fixture : InMemoryCommands {

    Actor sign_up_admin() {
        auto accepted = commands::sign_up(handler, {"Acme", "Ada", "ada@example.com", "correct horse battery"}, {});
        REQUIRE(accepted.ok());
        return {UserId{accepted->id("user")}, OrganizationId{accepted->id("organization")}, "admin"};
    }
};

CreateSessionInput a_session() { return {std::nullopt, "2026-11-20", "individual", "plain", "Coach: Hello there.\nMaria: Hi coach.\n", {}, ""}; }

CommandContext with_key(std::string key, UserId actor = {}) {
    CommandContext context;
    context.cause.idempotency_key = std::move(key);
    context.cause.actor_id = std::move(actor);
    return context;
}

// A session with its uploaded transcript folded into the write model, as if read from the log at start.
void store_uploaded_session(WriteModel& model, const Actor& coach, const SessionId& session, const std::string& text) {
    events::Metadata created{"e-1", coach.organization_id, session.value, 1, test_clock_ms, {}};
    events::Metadata uploaded = created;
    uploaded.event_id = "e-2";
    uploaded.aggregate_version = 2;
    model.apply({created, events::SessionCreated{session, coach.user_id, "2026-11-20", "group_workshop"}}, {0, 100});
    model.apply({uploaded, events::TranscriptUploaded{session, "plain", text, {}, ""}}, {0, 101});
}
}  // namespace

TEST_CASE("sign-up appends versioned events and stores the credential apart from them") {
    Fixture f;
    auto admin = f.sign_up_admin();
    auto appended = f.log.events();
    REQUIRE(appended.size() == 2);
    CHECK(appended[0].metadata.organization_id == admin.organization_id);
    CHECK(appended[0].metadata.aggregate_version == 1);
    CHECK(appended[1].metadata.aggregate_id == admin.user_id.value);
    CHECK(appended[1].metadata.aggregate_version == 1);
    CHECK(appended[0].metadata.event_id != appended[1].metadata.event_id);
    REQUIRE(f.log.credentials().size() == 1);
    CHECK(f.log.credentials()[0].password_hash == "hashed:correct horse battery");
    auto credential = f.model.credential_by_email("ada@example.com");
    REQUIRE(credential.has_value());
    CHECK(credential->user_id == admin.user_id);
}

TEST_CASE("a second sign-up with the same e-mail is refused and appends nothing") {
    Fixture f;
    f.sign_up_admin();
    auto again = commands::sign_up(f.handler, {"Other", "Eve", "ADA@example.com", "another long password"}, {});
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "email_taken");
    CHECK(f.log.events().size() == 2);
}

TEST_CASE("creating a session appends it, then its parse, and answers with the parse's position") {
    Fixture f;
    auto admin = f.sign_up_admin();
    auto accepted = commands::create_session(f.handler, admin, a_session(), {});
    REQUIRE(accepted.ok());
    auto appended = f.log.events();
    // Sign-up (2), session and transcript (2), then the parse with Maria registered as a new client, her draft
    // summary and the session marked analysed (4).
    REQUIRE(appended.size() == 8);
    CHECK(std::holds_alternative<events::SessionCreated>(appended[2].payload));
    CHECK(std::holds_alternative<events::TranscriptUploaded>(appended[3].payload));
    CHECK(std::holds_alternative<events::TranscriptParsed>(appended[4].payload));
    CHECK(appended[4].metadata.aggregate_version == 3);
    REQUIRE(std::holds_alternative<events::ClientRegistered>(appended[5].payload));
    CHECK(appended[5].metadata.aggregate_version == 1);
    CHECK(std::holds_alternative<events::SummaryDrafted>(appended[6].payload));
    CHECK(std::holds_alternative<events::SessionAnalysed>(appended[7].payload));
    CHECK(accepted->position.offset == 7);
    auto maria = f.model.client_named(admin.user_id, "maria");
    REQUIRE(maria.has_value());
    CHECK(std::get<events::TranscriptParsed>(appended[4].payload).participants[1].client_id == *maria);
    auto state = f.model.state(SessionId{accepted->id("session")});
    CHECK(state.status == SessionStatus::analysed);
    CHECK(state.version == 4);
}

TEST_CASE("an Idempotency-Key returns the first result and appends once") {
    Fixture f;
    auto admin = f.sign_up_admin();
    auto first = commands::create_session(f.handler, admin, a_session(), with_key("retry-1", admin.user_id));
    REQUIRE(first.ok());
    auto second = commands::create_session(f.handler, admin, a_session(), with_key("retry-1", admin.user_id));
    REQUIRE(second.ok());
    CHECK(second->replayed);
    CHECK(second->id("session") == first->id("session"));
    CHECK(second->position == first->position);
    CHECK(f.log.events().size() == 8);
    auto other_key = commands::create_session(f.handler, admin, a_session(), with_key("retry-2", admin.user_id));
    REQUIRE(other_key.ok());
    CHECK(other_key->id("session") != first->id("session"));
}

TEST_CASE("idempotent results survive a rebuild of the write model from the log") {
    Fixture f;
    auto admin = f.sign_up_admin();
    auto first = commands::create_session(f.handler, admin, a_session(), with_key("retry-1", admin.user_id));
    REQUIRE(first.ok());
    WriteModel rebuilt;
    std::int64_t offset = 0;
    for (const auto& event : f.log.events()) rebuilt.apply(event, {0, offset++});
    auto remembered = rebuilt.idempotent_result(admin.user_id, "retry-1");
    REQUIRE(remembered.has_value());
    CHECK(remembered->accepted.id("session") == first->id("session"));
    CHECK(remembered->accepted.position == first->position);
    CHECK(rebuilt.state(SessionId{first->id("session")}).status == SessionStatus::analysed);
}

TEST_CASE("a client-chosen session id that exists is a conflict; a stale expected version is a conflict") {
    Fixture f;
    auto admin = f.sign_up_admin();
    auto input = a_session();
    input.session_id = SessionId{"11111111-2222-4333-8444-555555555555"};
    REQUIRE(commands::create_session(f.handler, admin, input, {}).ok());
    auto again = commands::create_session(f.handler, admin, input, {});
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "session_exists");

    auto fresh = a_session();
    fresh.session_id = SessionId{"99999999-2222-4333-8444-555555555555"};
    CommandContext stale;
    stale.expected_version = 7;
    auto conflicted = commands::create_session(f.handler, admin, fresh, stale);
    REQUIRE_FALSE(conflicted.ok());
    CHECK(conflicted.error().code == "version_conflict");
    CHECK(conflicted.error().kind == ErrorKind::conflict);
    CHECK(f.log.events().size() == 8);
}

TEST_CASE("when the log refuses an append, nothing is folded into the write model") {
    Fixture f;
    auto admin = f.sign_up_admin();
    f.log.fail_next_append();
    auto input = a_session();
    input.session_id = SessionId{"11111111-2222-4333-8444-555555555555"};
    auto failed = commands::create_session(f.handler, admin, input, {});
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind == ErrorKind::unavailable);
    CHECK_FALSE(f.model.state(*input.session_id).exists);
    CHECK(commands::create_session(f.handler, admin, input, {}).ok());  // and the retry is accepted
}

TEST_CASE("a session of another organization is invisible to the parse command") {
    Fixture f;
    auto admin = f.sign_up_admin();
    auto accepted = commands::create_session(f.handler, admin, a_session(), {});
    REQUIRE(accepted.ok());
    auto foreign = commands::parse_transcript(f.handler, OrganizationId{"someone-else"}, SessionId{accepted->id("session")}, {});
    REQUIRE_FALSE(foreign.ok());
    CHECK(foreign.error().kind == ErrorKind::not_found);
}

TEST_CASE("an Idempotency-Key reused for a different request is refused and appends nothing") {
    Fixture f;
    auto admin = f.sign_up_admin();
    auto context = with_key("retry-2", admin.user_id);
    context.cause.request_hash = "hash-of-first-request";
    REQUIRE(commands::create_session(f.handler, admin, a_session(), context).ok());
    const auto appended = f.log.events().size();
    context.cause.request_hash = "hash-of-another-request";
    auto reused = commands::create_session(f.handler, admin, a_session(), context);
    REQUIRE_FALSE(reused.ok());
    CHECK(reused.error().code == "idempotency_key_reused");
    CHECK(reused.error().kind == ErrorKind::invalid);
    CHECK(f.log.events().size() == appended);
}

TEST_CASE("after a failed sign-up left an orphan credential, a later sign-up with that e-mail can log in") {
    Fixture f;
    f.log.fail_next_append();  // the credential is stored, the organization and user are not
    REQUIRE_FALSE(commands::sign_up(f.handler, {"Acme", "Ada", "ada@example.com", "first password!"}, {}).ok());
    REQUIRE(f.log.credentials().size() == 1);
    auto second = commands::sign_up(f.handler, {"Acme", "Ada", "ada@example.com", "second password"}, {});
    REQUIRE(second.ok());
    // Rebuilt with the orphan read last, as a restart may read the credentials topic's partitions in any order.
    WriteModel rebuilt;
    auto credentials = f.log.credentials();
    std::int64_t offset = 0;
    for (const auto& event : f.log.events()) rebuilt.apply(event, {0, offset++});
    rebuilt.apply(credentials[1]);
    rebuilt.apply(credentials[0]);
    auto login = rebuilt.credential_by_email("ada@example.com");
    REQUIRE(login.has_value());
    CHECK(login->user_id.value == second->id("user"));
    CHECK(login->password_hash == "hashed:second password");
}

TEST_CASE("a stored session whose parse is refused for good becomes failed, says why, and is not parsed again") {
    Fixture f;
    auto admin = f.sign_up_admin();
    // As an older build could have accepted it: more speakers than a parse may register clients for.
    std::string text;
    for (std::size_t i = 0; i < max_speakers_per_session + 2; ++i) text += "Speaker " + std::to_string(i) + ": hello\n";  // one may be the coach
    const SessionId session{"session-old"};
    store_uploaded_session(f.model, admin, session, text);
    REQUIRE(f.model.sessions_awaiting_parse().size() == 1);

    CommandContext resume;
    resume.cause.correlation_id = "startup-resume";
    auto parsed = commands::parse_transcript(f.handler, admin.organization_id, session, resume);
    REQUIRE_FALSE(parsed.ok());
    auto appended = f.log.events();
    REQUIRE_FALSE(appended.empty());
    const auto* failed = std::get_if<events::SessionProcessingFailed>(&appended.back().payload);
    REQUIRE(failed != nullptr);
    CHECK(failed->session_id == session);
    CHECK(failed->stage == "parse");
    CHECK(failed->code == parsed.error().code);
    CHECK(appended.back().metadata.aggregate_version == 3);
    CHECK(f.model.state(session).status == SessionStatus::failed);
    CHECK(f.model.sessions_awaiting_parse().empty());

    // Asked again (a retry, a later start): refused as no longer waiting, nothing more appended.
    auto again = commands::parse_transcript(f.handler, admin.organization_id, session, resume);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "transcript_already_parsed");
    CHECK(f.log.events().size() == appended.size());
}

TEST_CASE("a parse that fails because the log is down leaves the session waiting for its parse") {
    Fixture f;
    auto admin = f.sign_up_admin();
    const SessionId session{"session-waiting"};
    store_uploaded_session(f.model, admin, session, "Coach: Hello there.\nMaria: Hi coach.\n");
    const auto before = f.log.events().size();
    f.log.fail_next_append();
    auto parsed = commands::parse_transcript(f.handler, admin.organization_id, session, {});
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == "event_log_unavailable");
    CHECK(f.log.events().size() == before);  // no failure recorded: the next start parses it
    CHECK(f.model.state(session).status == SessionStatus::uploaded);
    CHECK(f.model.sessions_awaiting_parse().size() == 1);
    auto later = commands::parse_transcript(f.handler, admin.organization_id, session, {});
    CHECK(later.ok());
}
