// Tokens and passwords: what verifies, and every way a token is refused.
#include <doctest/doctest.h>

#include <jwt.h>

#include <cstdlib>
#include <map>

#include "api/auth/password.hpp"
#include "api/auth/tokens.hpp"

using namespace debrief;
using namespace debrief::api;

namespace {
const std::string secret(40, 's');
const commands::Actor actor{UserId{"user-1"}, OrganizationId{"org-1"}, "coach"};
constexpr std::int64_t now = 1'800'000'000;
constexpr std::int64_t absent = -1;  // a claim forged() leaves out

// A token built with libjwt directly, to forge what an attacker could send.
// Numeric claims beyond "exp" (e.g. "iat", "nbf") as given; "iat" is `now` unless given.
std::string forged(jwt_alg_t alg, const std::string& key, const char* audience, std::int64_t expires,
                   std::map<std::string, std::int64_t> numbers = {}) {
    numbers.try_emplace("iat", now);
    jwt_t* jwt = nullptr;
    jwt_new(&jwt);
    jwt_add_grant(jwt, "iss", "debrief");
    jwt_add_grant(jwt, "sub", "user-1");
    jwt_add_grant(jwt, "org", "org-1");
    jwt_add_grant(jwt, "role", "admin");
    jwt_add_grant(jwt, "aud", audience);
    jwt_add_grant_int(jwt, "exp", expires);
    for (const auto& [name, value] : numbers)
        if (value != absent) jwt_add_grant_int(jwt, name.c_str(), value);
    jwt_set_alg(jwt, alg, key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()), static_cast<int>(key.size()));
    char* text = jwt_encode_str(jwt);
    std::string token = text ? text : "";
    free(text);
    jwt_free(jwt);
    return token;
}
}  // namespace

TEST_CASE("an access token verifies and carries user, organization and role") {
    TokenService tokens({secret});
    auto verified = tokens.verify(tokens.issue(actor, TokenKind::access, now), TokenKind::access, now + 60);
    REQUIRE(verified.ok());
    CHECK(verified->actor.user_id.value == "user-1");
    CHECK(verified->actor.organization_id.value == "org-1");
    CHECK(verified->actor.role == "coach");
}

TEST_CASE("an expired token is refused with token_expired") {
    TokenService tokens({secret});
    auto token = tokens.issue(actor, TokenKind::access, now);
    auto verified = tokens.verify(token, TokenKind::access, now + 15 * 60 + 1);
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().code == "token_expired");
    CHECK(verified.error().kind == ErrorKind::unauthorized);
}

TEST_CASE("a refresh token is not an access token, and the other way round") {
    TokenService tokens({secret});
    CHECK_FALSE(tokens.verify(tokens.issue(actor, TokenKind::refresh, now), TokenKind::access, now).ok());
    CHECK_FALSE(tokens.verify(tokens.issue(actor, TokenKind::access, now), TokenKind::refresh, now).ok());
    CHECK(tokens.verify(tokens.issue(actor, TokenKind::refresh, now, "session-1", 1), TokenKind::refresh, now + 86400).ok());
}

TEST_CASE("a token carries its login session: access tokens its id, refresh tokens its generation too") {
    TokenService tokens({secret});
    auto access = tokens.verify(tokens.issue(actor, TokenKind::access, now, "session-1"), TokenKind::access, now);
    REQUIRE(access.ok());
    CHECK(access->session_id == "session-1");
    CHECK(access->issued_at == now);
    CHECK(access->expires_at == now + 15 * 60);
    auto refresh = tokens.verify(tokens.issue(actor, TokenKind::refresh, now, "session-1", 7), TokenKind::refresh, now);
    REQUIRE(refresh.ok());
    CHECK(refresh->session_id == "session-1");
    CHECK(refresh->generation == 7);
    // A refresh token of no session (an earlier build's) cannot be rotated: refused.
    auto orphan = tokens.verify(tokens.issue(actor, TokenKind::refresh, now), TokenKind::refresh, now);
    REQUIRE_FALSE(orphan.ok());
    CHECK(orphan.error().code == "invalid_token");
}

TEST_CASE("nbf is honoured, an iat in the future or missing is refused, and no token outlives the lifetime it is issued with") {
    TokenService tokens({secret});
    auto code = [&](const std::string& token) {
        auto verified = tokens.verify(token, TokenKind::access, now);
        return verified ? std::string("ok") : verified.error().code;
    };
    CHECK(code(forged(JWT_ALG_HS256, secret, "debrief-api", now + 100, {{"nbf", now - 10}})) == "ok");
    CHECK(code(forged(JWT_ALG_HS256, secret, "debrief-api", now + 100, {{"nbf", now + 60}})) == "token_not_yet_valid");
    CHECK(code(forged(JWT_ALG_HS256, secret, "debrief-api", now + 100, {{"iat", now + 3600}})) == "invalid_token");
    CHECK(code(forged(JWT_ALG_HS256, secret, "debrief-api", now + 100, {{"iat", now + 2}})) == "ok");  // clocks differ a little
    CHECK(code(forged(JWT_ALG_HS256, secret, "debrief-api", now + 100, {{"iat", absent}})) == "invalid_token");
    // A thousand years, or merely a minute more than access tokens are issued for.
    CHECK(code(forged(JWT_ALG_HS256, secret, "debrief-api", now + 1000LL * 365 * 86400)) == "invalid_token");
    CHECK(code(forged(JWT_ALG_HS256, secret, "debrief-api", now + 16 * 60)) == "invalid_token");
    CHECK(code(forged(JWT_ALG_HS256, secret, "debrief-api", now + 15 * 60)) == "ok");
}

TEST_CASE("time claims that are not whole numbers are refused") {
    TokenService tokens({secret});
    jwt_t* jwt = nullptr;
    jwt_new(&jwt);
    jwt_add_grants_json(jwt, R"({"iss":"debrief","sub":"user-1","org":"org-1","role":"admin","aud":"debrief-api","iat":1800000000,"exp":1800000100,"nbf":"tomorrow"})");
    jwt_set_alg(jwt, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()), static_cast<int>(secret.size()));
    char* text = jwt_encode_str(jwt);
    std::string token = text;
    free(text);
    jwt_free(jwt);
    auto verified = tokens.verify(token, TokenKind::access, now);
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().code == "invalid_token");
}

TEST_CASE("tokens signed with another secret, another algorithm or none are refused") {
    TokenService tokens({secret});
    CHECK(tokens.verify(forged(JWT_ALG_HS256, secret, "debrief-api", now + 100), TokenKind::access, now).ok());
    CHECK_FALSE(tokens.verify(forged(JWT_ALG_HS256, std::string(40, 'x'), "debrief-api", now + 100), TokenKind::access, now).ok());
    CHECK_FALSE(tokens.verify(forged(JWT_ALG_HS512, secret, "debrief-api", now + 100), TokenKind::access, now).ok());
    CHECK_FALSE(tokens.verify(forged(JWT_ALG_NONE, "", "debrief-api", now + 100), TokenKind::access, now).ok());
    CHECK_FALSE(tokens.verify(forged(JWT_ALG_HS256, secret, "someone-else", now + 100), TokenKind::access, now).ok());
}

TEST_CASE("garbage and tampered tokens are refused") {
    TokenService tokens({secret});
    CHECK_FALSE(tokens.verify("", TokenKind::access, now).ok());
    CHECK_FALSE(tokens.verify("not.a.token", TokenKind::access, now).ok());
    auto token = tokens.issue(actor, TokenKind::access, now);
    token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
    CHECK_FALSE(tokens.verify(token, TokenKind::access, now).ok());
}

TEST_CASE("a short secret is refused at start") {
    CHECK_THROWS(TokenService({"too short"}));
}

TEST_CASE("passwords are hashed with Argon2id and verify only with the right password") {
    auto hash = hash_password("correct horse battery");
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(verify_password("correct horse battery", hash));
    CHECK_FALSE(verify_password("correct horse batterz", hash));
    CHECK(hash != hash_password("correct horse battery"));  // salted
    CHECK_FALSE(verify_password("anything", "plain-text-not-a-hash"));
}

TEST_CASE("a remembered access token is still refused once it expires, and an altered copy is verified in full") {
    TokenService tokens({secret});
    auto token = tokens.issue(actor, TokenKind::access, now);
    REQUIRE(tokens.verify(token, TokenKind::access, now + 1).ok());
    REQUIRE(tokens.verify(token, TokenKind::access, now + 2).ok());  // from memory
    auto altered = token;
    altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
    auto refused = tokens.verify(altered, TokenKind::access, now + 3);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "invalid_token");
    auto late = tokens.verify(token, TokenKind::access, now + 15 * 60);
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().code == "token_expired");
    CHECK_FALSE(tokens.verify(token, TokenKind::refresh, now + 2).ok());  // remembered as an access token only
}

TEST_CASE("verified tokens stay within their capacity, expired ones leaving first") {
    VerifiedTokens verified(3);
    verified.remember("a", {actor, "", now, now + 10}, now);
    verified.remember("b", {actor, "", now, now + 100}, now);
    verified.remember("c", {actor, "", now, now + 100}, now);
    verified.remember("d", {actor, "", now, now + 100}, now + 20);  // full: "a" has expired and makes room
    CHECK(verified.size() == 3);
    CHECK_FALSE(verified.find("a"));
    REQUIRE(verified.find("d"));
    CHECK(verified.find("d")->expires_at == now + 100);
    CHECK(verified.find("d")->actor.role == "coach");
    verified.remember("e", {actor, "", now, now + 100}, now + 20);  // full and none expired: all go, the newest stays
    CHECK(verified.size() == 1);
    CHECK(verified.find("e"));
    CHECK_FALSE(verified.find("b"));
    VerifiedTokens none(0);
    none.remember("a", {actor, "", now, now + 10}, now);
    CHECK(none.size() == 0);
}
