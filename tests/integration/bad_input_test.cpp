// Bad input over real HTTP: each gets a clear 4xx problem+json with a stable code, and the log grows by nothing.
#include <doctest/doctest.h>

#include <chrono>

#include "api/auth/tokens.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

struct BadInput {
    std::string what;
    std::string method;
    std::string target;
    std::string body;
    Headers headers;
    int status;
    std::string code;
};

std::string session_json(const std::string& format, const std::string& text) { return json::serialize(session_body(format, text)); }

}  // namespace

TEST_CASE("every bad input over HTTP gets a 4xx problem+json with a stable code and appends nothing") {
    Deployment deployment("bad_input");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto account = sign_up(client, "Wide World Coaching");
    const Headers auth{{"Authorization", "Bearer " + account.access_token}};
    const auto seconds_now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    api::TokenService same_secret{api::TokenSettings{deployment.jwt_secret}};
    api::TokenService other_secret{api::TokenSettings{std::string(48, 'z')}};
    commands::Actor actor{UserId{account.user_id}, OrganizationId{account.organization_id}, "admin"};
    auto expired = same_secret.issue(actor, api::TokenKind::access, seconds_now - 3600);
    auto forged = other_secret.issue(actor, api::TokenKind::access, seconds_now);
    auto refresh_as_access = same_secret.issue(actor, api::TokenKind::refresh, seconds_now);
    const auto valid = session_json("plain", "Coach: Hello.\nMaria: Hi.");
    const auto appended_before = total_records(deployment.events_topic);
    const auto credentials_before = total_records(deployment.credentials_topic);

    std::vector<BadInput> cases{
        {"malformed JSON", "POST", "/v1/sessions", R"({"session_date": "2026-11-20", )", auth, 400, "malformed_json"},
        {"a JSON array", "POST", "/v1/sessions", "[]", auth, 400, "malformed_json"},
        {"an empty body", "POST", "/v1/sessions", "", auth, 400, "malformed_json"},
        {"missing transcript", "POST", "/v1/sessions", R"({"session_date":"2026-11-20"})", auth, 422, "missing_field"},
        {"missing transcript text", "POST", "/v1/sessions", R"({"session_date":"2026-11-20","transcript":{"format":"plain"}})", auth, 422,
         "missing_field"},
        {"missing session date", "POST", "/v1/sessions", R"({"transcript":{"format":"plain","text":"A: b"}})", auth, 422, "missing_field"},
        {"unknown format", "POST", "/v1/sessions", session_json("pdf", "A: b"), auth, 422, "unknown_transcript_format"},
        {"empty transcript", "POST", "/v1/sessions", session_json("plain", ""), auth, 422, "transcript_empty"},
        {"blank transcript", "POST", "/v1/sessions", session_json("plain", " \n\t\n"), auth, 422, "transcript_empty"},
        {"no speaker", "POST", "/v1/sessions", session_json("plain", "just some words without a speaker"), auth, 422, "transcript_no_speaker"},
        {"WebVTT without header", "POST", "/v1/sessions", session_json("webvtt", "00:01.000 --> 00:02.000\nHi"), auth, 422,
         "webvtt_missing_header"},
        {"WebVTT with a broken timing", "POST", "/v1/sessions", session_json("webvtt", "WEBVTT\n\n00:01.000 --> soon\n<v A>Hi"), auth, 422,
         "webvtt_bad_timing"},
        {"invalid UTF-8", "POST", "/v1/sessions",
         R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":"A: caf\u00e9\nB: )" "\xC3\x28" R"("}})", auth, 400,
         "malformed_json"},
        {"oversized transcript", "POST", "/v1/sessions", session_json("plain", "Coach: " + std::string(600 * 1024, 'x')), auth, 413,
         "transcript_too_large"},
        {"body over the size limit", "POST", "/v1/sessions", session_json("plain", "Coach: " + std::string(2 * 1024 * 1024, 'x')), auth, 413,
         "body_too_large"},
        {"impossible date", "POST", "/v1/sessions", R"({"session_date":"2026-02-30","transcript":{"format":"plain","text":"A: b"}})", auth, 422,
         "invalid_session_date"},
        {"unknown session type", "POST", "/v1/sessions",
         R"({"session_date":"2026-11-20","session_type":"party","transcript":{"format":"plain","text":"A: b"}})", auth, 422,
         "invalid_session_type"},
        {"wrong content type", "POST", "/v1/sessions", valid, {auth[0], {"Content-Type", "text/plain"}}, 415, "unsupported_media_type"},
        {"bad Idempotency-Key", "POST", "/v1/sessions", valid, {auth[0], {"Idempotency-Key", std::string(300, 'k')}}, 422,
         "invalid_idempotency_key"},
        {"bad If-Match", "POST", "/v1/sessions", valid, {auth[0], {"If-Match", "soon"}}, 422, "invalid_expected_version"},
        {"no token", "POST", "/v1/sessions", valid, {}, 401, "missing_token"},
        {"not a bearer token", "POST", "/v1/sessions", valid, {{"Authorization", "Basic YWRhOnNlY3JldA=="}}, 401, "invalid_token"},
        {"a forged token", "POST", "/v1/sessions", valid, {{"Authorization", "Bearer " + forged}}, 401, "invalid_token"},
        {"an expired token", "POST", "/v1/sessions", valid, {{"Authorization", "Bearer " + expired}}, 401, "token_expired"},
        {"a refresh token used as access token", "POST", "/v1/sessions", valid, {{"Authorization", "Bearer " + refresh_as_access}}, 401,
         "invalid_token"},
        {"an unknown session id", "GET", "/v1/sessions/7d3c1a52-9a43-4f0e-8d1e-0c2b5a6f7e81", "", auth, 404, "session_not_found"},
        {"an unknown transcript", "GET", "/v1/sessions/7d3c1a52-9a43-4f0e-8d1e-0c2b5a6f7e81/transcript", "", auth, 404, "session_not_found"},
        {"a malformed position", "GET", "/v1/sessions/7d3c1a52-9a43-4f0e-8d1e-0c2b5a6f7e81?position=soon", "", auth, 400, "invalid_position"},
        {"an unknown route", "GET", "/v1/teapots", "", auth, 404, "route_not_found"},
        {"a wrong method", "DELETE", "/v1/sessions", "", auth, 405, "method_not_allowed"},
        {"sign-up with a short password", "POST", "/v1/signup",
         R"({"organization":"X","name":"Y","email":"y@example.com","password":"short"})", {}, 422, "weak_password"},
        {"sign-up with a bad e-mail", "POST", "/v1/signup",
         R"({"organization":"X","name":"Y","email":"not-an-email","password":"long enough password"})", {}, 422, "invalid_email"},
        {"sign-up with a taken e-mail", "POST", "/v1/signup",
         json::serialize(json::object{{"organization", "X"}, {"name", "Y"}, {"email", account.email}, {"password", "long enough password"}}), {},
         409, "email_taken"},
        {"login with a wrong password", "POST", "/v1/auth/login",
         json::serialize(json::object{{"email", account.email}, {"password", "not the password"}}), {}, 401, "invalid_credentials"},
        {"refresh with an access token", "POST", "/v1/auth/refresh", json::serialize(json::object{{"refresh_token", account.access_token}}), {},
         401, "invalid_token"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        auto response = client.request(c.method, c.target, c.body, c.headers);
        CHECK(response.status == c.status);
        CHECK(response.header("content-type") == "application/problem+json");
        auto problem = response.json().as_object();
        CHECK(problem.at("code").as_string() == c.code);
        CHECK(problem.at("status").as_int64() == c.status);
        CHECK(!problem.at("detail").as_string().empty());
    }

    // The parser's problems say where: the line of the first transcript error.
    auto located = client.request("POST", "/v1/sessions", session_json("webvtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v A>Hi\n\n2\n00:00:05.000 --> 00:00:03.000\n<v B>Back"), auth);
    CHECK(located.status == 422);
    CHECK(located.json().at("detail").as_string().starts_with("line 8:"));

    CHECK(total_records(deployment.events_topic) == appended_before);
    CHECK(total_records(deployment.credentials_topic) == credentials_before);
    // And the server is still healthy after all of it.
    CHECK(client.request("POST", "/v1/sessions", valid, auth).status == 201);
}
