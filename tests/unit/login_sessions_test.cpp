// Login sessions (refresh-token families) and the login throttle, as pure state: no tokens, no routes.
#include <doctest/doctest.h>

#include <variant>

#include "api/auth/login_throttle.hpp"
#include "commands/login_sessions.hpp"

using namespace debrief;
using commands::LoginSessions;

namespace {
const UserId ada{"user-ada"};
const UserId eve{"user-eve"};
constexpr std::int64_t now_ms = 1'800'000'000'000;
constexpr std::int64_t now = now_ms / 1000;

events::LoginSessionRecord session(std::string id, UserId user, std::uint32_t generation = 1, std::int64_t started_at_ms = now_ms) {
    return {std::move(id), std::move(user), OrganizationId{"org-1"}, generation, started_at_ms, now + 3600, 0};
}
LoginSessions::Refusal refusal_of(const std::variant<events::LoginSessionRecord, LoginSessions::Refusal>& outcome) {
    REQUIRE(std::holds_alternative<LoginSessions::Refusal>(outcome));
    return std::get<LoginSessions::Refusal>(outcome);
}
}  // namespace

TEST_CASE("a session rotates one generation at a time; any other generation is a reuse") {
    LoginSessions sessions;
    sessions.apply(session("s-1", ada));
    auto next = sessions.rotation("s-1", ada, 1, now, now + 7200);
    REQUIRE(std::holds_alternative<events::LoginSessionRecord>(next));
    CHECK(std::get<events::LoginSessionRecord>(next).generation == 2);
    CHECK(std::get<events::LoginSessionRecord>(next).expires_at == now + 7200);
    CHECK(sessions.find("s-1")->generation == 1);  // deciding changes nothing: the record is applied once stored
    sessions.apply(std::get<events::LoginSessionRecord>(next));
    CHECK(refusal_of(sessions.rotation("s-1", ada, 1, now, now + 7200)) == LoginSessions::Refusal::reused);
    CHECK(refusal_of(sessions.rotation("s-1", ada, 3, now, now + 7200)) == LoginSessions::Refusal::reused);
    CHECK(refusal_of(sessions.rotation("s-1", eve, 2, now, now + 7200)) == LoginSessions::Refusal::unknown);
    CHECK(refusal_of(sessions.rotation("s-9", ada, 1, now, now + 7200)) == LoginSessions::Refusal::unknown);
    CHECK(refusal_of(sessions.rotation("s-1", ada, 2, now + 3 * 3600, now + 7200)) == LoginSessions::Refusal::expired);
}

TEST_CASE("a revoked session stays revoked, whatever order its records are read in") {
    LoginSessions sessions;
    auto revoked = session("s-1", ada, 2);
    revoked.revoked_at_ms = now_ms + 5;
    sessions.apply(revoked);
    sessions.apply(session("s-1", ada, 3));  // a later generation without the revocation
    CHECK(refusal_of(sessions.rotation("s-1", ada, 3, now, now + 60)) == LoginSessions::Refusal::revoked);
    CHECK(refusal_of(sessions.revocation("s-1", ada, now_ms)) == LoginSessions::Refusal::revoked);
    CHECK_FALSE(sessions.allows(ada, "s-1", now));
}

TEST_CASE("signing a user out everywhere ends their sessions started until then, not later ones, nor other users'") {
    LoginSessions sessions;
    sessions.apply(session("old", ada, 1, now_ms - 1000));
    sessions.apply(session("eves", eve, 1, now_ms - 1000));
    sessions.apply(events::SessionsRevoked{ada, OrganizationId{"org-1"}, now_ms});
    sessions.apply(session("new", ada, 1, now_ms + 1));
    CHECK_FALSE(sessions.allows(ada, "old", now - 1));
    CHECK(sessions.allows(ada, "new", now));
    CHECK(sessions.allows(eve, "eves", now - 1));
    CHECK_FALSE(sessions.allows(eve, "old", now));  // a session is its own user's only
    // Tokens without a session: by their issue time.
    CHECK_FALSE(sessions.allows(ada, "", now - 1));
    CHECK_FALSE(sessions.allows(ada, "", now));
    CHECK(sessions.allows(ada, "", now + 1));
    CHECK(sessions.allows(eve, "", now - 100));
    CHECK_FALSE(sessions.allows(ada, "never-issued", now + 1));
}

TEST_CASE("expired sessions are dropped as new ones arrive, so memory follows the live sessions") {
    LoginSessions sessions;
    for (int i = 0; i < 1000; ++i) sessions.apply(session("old-" + std::to_string(i), ada));  // expire at now + 3600
    for (int i = 0; i < 100; ++i) sessions.apply(session("new-" + std::to_string(i), ada, 1, now_ms + 7200'000));
    CHECK(sessions.size() < 200);
    CHECK(sessions.find("new-99"));
    CHECK_FALSE(sessions.find("old-0"));
}

TEST_CASE("the login throttle: a few failures are free, then the waits double; a success forgives the account") {
    api::LoginThrottle throttle({5, 20, 1000, 60'000, 15 * 60'000, 1000});
    for (int i = 0; i < 5; ++i) CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms) == 0);
    CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms) == 1);
    CHECK(throttle.admit("ada@example.com", "10.0.0.2", now_ms) == 1);  // per account, from anywhere
    CHECK(throttle.admit("bob@example.com", "10.0.0.1", now_ms) == 0);  // another account from the same address: not yet
    CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms + 1000) == 0);
    CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms + 1000) == 2);
    CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms + 3000) == 0);
    CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms + 3000) == 4);
    throttle.succeeded("ada@example.com", "10.0.0.1");
    CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms + 3000) == 0);
}

TEST_CASE("the login throttle caps the wait, forgets old failures, and slows one address guessing many accounts") {
    api::LoginThrottle throttle({2, 4, 1000, 8000, 60'000, 1000});
    std::int64_t t = now_ms;
    for (int i = 0; i < 12; ++i) {
        auto wait = throttle.admit("ada@example.com", "10.0.0.9", t);
        CHECK(wait <= 8);
        t += wait * 1000;
        if (wait > 0) CHECK(throttle.admit("ada@example.com", "10.0.0.9", t) == 0);
    }
    CHECK(throttle.admit("ada@example.com", "10.0.0.9", t) == 8);
    CHECK(throttle.admit("ada@example.com", "10.0.0.8", t + 60'000) == 0);  // a minute without a failure: forgotten

    for (int i = 0; i < 4; ++i) CHECK(throttle.admit("user" + std::to_string(i) + "@example.com", "10.0.0.7", now_ms) == 0);
    CHECK(throttle.admit("someone-else@example.com", "10.0.0.7", now_ms) == 1);
}

TEST_CASE("the login throttle stays within its bound of remembered keys") {
    api::LoginThrottle throttle({5, 20, 1000, 60'000, 15 * 60'000, 100});
    for (int i = 0; i < 10'000; ++i) CHECK(throttle.admit("a" + std::to_string(i), "10.1." + std::to_string(i), now_ms) == 0);
    // Still throttles what it holds: a fresh account's failures count from now on.
    for (int i = 0; i < 5; ++i) CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms) == 0);
    CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms) > 0);
}
