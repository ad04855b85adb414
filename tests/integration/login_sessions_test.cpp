// Login sessions over real HTTP, Kafka and restarts: refresh tokens rotate and a reuse revokes the session, logout
// and revoke-sessions end sessions at once, all of it still true after the process restarts from the credentials
// topic; tokens with a future nbf or iat, or an overlong lifetime, are refused; wrong passwords are throttled.
#include <doctest/doctest.h>

#include <jwt.h>

#include <chrono>
#include <cstdlib>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

struct Pair {
    std::string access, refresh;
};

Pair pair_of(const HttpResult& answer) {
    REQUIRE_MESSAGE(answer.status / 100 == 2, answer.body);
    auto body = answer.json().as_object();
    return {std::string(body.at("access_token").as_string()), std::string(body.at("refresh_token").as_string())};
}

std::string code_of(const HttpResult& answer) {
    if (answer.header("content-type") != "application/problem+json") return "status " + std::to_string(answer.status);
    return std::string(answer.json().at("code").as_string());
}

HttpResult refresh(const HttpClient& client, const std::string& token) { return client.post_json("/v1/auth/refresh", json::object{{"refresh_token", token}}); }

// What an attacker who knows the secret could sign: the claims of `base` with a few numbers changed.
std::string signed_with(const std::string& secret, const Account& account, std::int64_t iat, std::int64_t exp, std::int64_t nbf = 0) {
    jwt_t* jwt = nullptr;
    jwt_new(&jwt);
    jwt_add_grant(jwt, "iss", "debrief");
    jwt_add_grant(jwt, "aud", "debrief-api");
    jwt_add_grant(jwt, "sub", account.user_id.c_str());
    jwt_add_grant(jwt, "org", account.organization_id.c_str());
    jwt_add_grant(jwt, "role", "admin");
    jwt_add_grant_int(jwt, "iat", iat);
    jwt_add_grant_int(jwt, "exp", exp);
    if (nbf != 0) jwt_add_grant_int(jwt, "nbf", nbf);
    jwt_set_alg(jwt, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()), static_cast<int>(secret.size()));
    char* text = jwt_encode_str(jwt);
    std::string token = text;
    free(text);
    jwt_free(jwt);
    return token;
}

}  // namespace

TEST_CASE("refresh tokens rotate, a reused one revokes its session, and logout and revoke-sessions hold across a restart") {
    Deployment deployment("login_sessions");
    Account account;
    Pair rotated, other, spent_other;
    {
        DebriefProcess first(deployment);
        auto client = first.client();
        account = sign_up(client, "Rotating Coaching");
        rotated = pair_of(refresh(client, account.refresh_token));
        CHECK(rotated.refresh != account.refresh_token);
        other = pair_of(client.post_json("/v1/auth/login", json::object{{"email", account.email}, {"password", account.password}}));
        spent_other = other;
        other = pair_of(refresh(client, other.refresh));
        CHECK(client.get("/v1/clients", other.access).status == 200);
    }
    DebriefProcess second(deployment);
    auto client = second.client();
    // The restart read the sessions back: the current tokens work, the spent ones are reuses.
    CHECK(client.get("/v1/clients", rotated.access).status == 200);
    auto reused = refresh(client, account.refresh_token);
    CHECK(reused.status == 401);
    CHECK(code_of(reused) == "refresh_token_reused");
    CHECK(code_of(refresh(client, rotated.refresh)) == "session_revoked");
    CHECK(code_of(client.get("/v1/clients", rotated.access)) == "session_revoked");
    // The other login is its own session: untouched by that reuse. Its logout ends it.
    CHECK(client.get("/v1/clients", other.access).status == 200);
    auto out = client.post_json("/v1/auth/logout", json::object{{"refresh_token", other.refresh}});
    CHECK(out.status == 204);
    CHECK(code_of(client.get("/v1/clients", other.access)) == "session_revoked");
    CHECK(code_of(refresh(client, spent_other.refresh)) == "session_revoked");

    // Sign out everywhere, then a new login.
    auto third = pair_of(client.post_json("/v1/auth/login", json::object{{"email", account.email}, {"password", account.password}}));
    CHECK(client.post_json("/v1/users/me/revoke-sessions", json::object{}, third.access).status == 204);
    CHECK(code_of(client.get("/v1/clients", third.access)) == "session_revoked");
    // The new login starts after the cut-off (its password hash alone takes longer than a millisecond).
    auto fourth = pair_of(client.post_json("/v1/auth/login", json::object{{"email", account.email}, {"password", account.password}}));
    CHECK(client.get("/v1/clients", fourth.access).status == 200);
    CHECK(refresh(client, fourth.refresh).status == 200);
}

TEST_CASE("a token not valid yet, issued in the future or living longer than issued is refused; wrong passwords are throttled") {
    Deployment deployment("token_claims");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto account = sign_up(client, "Careful Coaching");
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto& secret = deployment.jwt_secret;
    CHECK(client.get("/v1/clients", signed_with(secret, account, now, now + 600)).status == 200);  // the control: well-formed
    CHECK(code_of(client.get("/v1/clients", signed_with(secret, account, now, now + 600, now + 300))) == "token_not_yet_valid");
    CHECK(client.get("/v1/clients", signed_with(secret, account, now, now + 600, now - 10)).status == 200);
    CHECK(code_of(client.get("/v1/clients", signed_with(secret, account, now + 3600, now + 4000))) == "invalid_token");
    CHECK(code_of(client.get("/v1/clients", signed_with(secret, account, now, now + 1000LL * 365 * 86400))) == "invalid_token");

    const json::object wrong{{"email", account.email}, {"password", "not the password at all"}};
    for (int i = 0; i < 5; ++i) CHECK(client.post_json("/v1/auth/login", wrong).status == 401);
    auto held = client.post_json("/v1/auth/login", json::object{{"email", account.email}, {"password", account.password}});
    CHECK(held.status == 429);
    CHECK(code_of(held) == "too_many_login_attempts");
    CHECK(std::atoi(held.header("retry-after").c_str()) >= 1);
    // Another account is not held back by this one's failures.
    auto other = sign_up(client, "Unrelated Coaching");
    CHECK(client.post_json("/v1/auth/login", json::object{{"email", other.email}, {"password", other.password}}).status == 200);
}
