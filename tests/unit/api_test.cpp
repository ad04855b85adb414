// The /v1 routes without sockets or database: bad input gets problem+json with a stable code and appends nothing.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "tests/support/test_keys.hpp"
#include "api/auth/password.hpp"
#include "tests/unit/api_fixture.hpp"

using namespace debrief;
namespace json = boost::json;

namespace {
using testing::ApiFixture;
using testing::code_of;

const char* valid_session = R"({"session_date":"2026-11-20","session_type":"individual","transcript":{"format":"plain","text":"Coach: Hi.\nMaria: Hello."}})";
}  // namespace

TEST_CASE("sign-up answers 201 with tokens and ids, and login accepts the same password") {
    ApiFixture f;
    auto response = f.call("POST", "/v1/signup", R"({"organization":"Acme","name":"Ada","email":"ada@example.com","password":"correct horse battery"})");
    REQUIRE(response.status == 201);
    auto body = json::parse(response.body).as_object();
    for (auto field : {"access_token", "refresh_token", "organization_id", "user_id"}) CHECK(body.contains(field));
    auto login = f.call("POST", "/v1/auth/login", R"({"email":"ADA@example.com","password":"correct horse battery"})");
    CHECK(login.status == 200);
    auto wrong = f.call("POST", "/v1/auth/login", R"({"email":"ada@example.com","password":"wrong password!"})");
    CHECK(wrong.status == 401);
    CHECK(code_of(wrong) == "invalid_credentials");
    auto unknown = f.call("POST", "/v1/auth/login", R"({"email":"eve@example.com","password":"whatever at all"})");
    CHECK(code_of(unknown) == "invalid_credentials");
}

TEST_CASE("a refresh token yields a new access token") {
    ApiFixture f;
    auto response = f.call("POST", "/v1/signup", R"({"organization":"Acme","name":"Ada","email":"ada@example.com","password":"correct horse battery"})");
    auto refresh = std::string(json::parse(response.body).at("refresh_token").as_string());
    auto renewed = f.call("POST", "/v1/auth/refresh", json::serialize(json::object{{"refresh_token", refresh}}));
    REQUIRE(renewed.status == 200);
    auto access = std::string(json::parse(renewed.body).at("access_token").as_string());
    CHECK(f.call("POST", "/v1/sessions", valid_session, {{"Authorization", "Bearer " + access}}).status == 201);
}

namespace {
struct Tokens {
    std::string access, refresh;
};
Tokens tokens_of(const api::HttpResponse& response) {
    REQUIRE(response.status / 100 == 2);
    auto body = json::parse(response.body).as_object();
    return {std::string(body.at("access_token").as_string()), std::string(body.at("refresh_token").as_string())};
}
std::string refresh_body(const std::string& token) { return json::serialize(json::object{{"refresh_token", token}}); }
api::HeaderMap bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
}  // namespace

TEST_CASE("a refresh token works once: it rotates, and its reuse revokes the whole login session") {
    ApiFixture f;
    auto first = tokens_of(f.call("POST", "/v1/signup", R"({"organization":"Acme","name":"Ada","email":"ada@example.com","password":"correct horse battery"})"));
    auto second = tokens_of(f.call("POST", "/v1/auth/refresh", refresh_body(first.refresh)));
    CHECK(second.refresh != first.refresh);
    auto third = tokens_of(f.call("POST", "/v1/auth/refresh", refresh_body(second.refresh)));
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(third.access)).status == 201);

    // The first token again: a stolen copy. It is refused, and so is everything the session handed out since.
    auto reused = f.call("POST", "/v1/auth/refresh", refresh_body(first.refresh));
    CHECK(reused.status == 401);
    CHECK(code_of(reused) == "refresh_token_reused");
    auto latest = f.call("POST", "/v1/auth/refresh", refresh_body(third.refresh));
    CHECK(latest.status == 401);
    CHECK(code_of(latest) == "session_revoked");
    auto access = f.call("POST", "/v1/sessions", valid_session, bearer(third.access));
    CHECK(access.status == 401);
    CHECK(code_of(access) == "session_revoked");

    // Another login is another session, untouched.
    auto again = tokens_of(f.call("POST", "/v1/auth/login", R"({"email":"ada@example.com","password":"correct horse battery"})"));
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(again.access)).status == 201);
    CHECK(f.call("POST", "/v1/auth/refresh", refresh_body(again.refresh)).status == 200);
}

TEST_CASE("logout ends the session: its refresh and access tokens are refused at once, other sessions go on") {
    ApiFixture f;
    auto signed_up = tokens_of(f.call("POST", "/v1/signup", R"({"organization":"Acme","name":"Ada","email":"ada@example.com","password":"correct horse battery"})"));
    auto other = tokens_of(f.call("POST", "/v1/auth/login", R"({"email":"ada@example.com","password":"correct horse battery"})"));
    auto out = f.call("POST", "/v1/auth/logout", refresh_body(signed_up.refresh));
    CHECK(out.status == 204);
    CHECK(out.body.empty());
    CHECK(code_of(f.call("POST", "/v1/sessions", valid_session, bearer(signed_up.access))) == "session_revoked");
    CHECK(code_of(f.call("POST", "/v1/auth/refresh", refresh_body(signed_up.refresh))) == "session_revoked");
    CHECK(f.call("POST", "/v1/auth/logout", refresh_body(signed_up.refresh)).status == 401);
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(other.access)).status == 201);
    CHECK(f.call("POST", "/v1/auth/logout", refresh_body("not a token")).status == 401);
    // Logging out with a rotated token is a reuse like any other.
    auto rotated = tokens_of(f.call("POST", "/v1/auth/refresh", refresh_body(other.refresh)));
    CHECK(code_of(f.call("POST", "/v1/auth/logout", refresh_body(other.refresh))) == "refresh_token_reused");
    CHECK(code_of(f.call("POST", "/v1/sessions", valid_session, bearer(rotated.access))) == "session_revoked");
}

TEST_CASE("revoke-sessions ends every session of a user so far, for an admin or the user, and a new login works") {
    ApiFixture f;
    auto signed_up = f.call("POST", "/v1/signup", R"({"organization":"Acme","name":"Ada","email":"ada@example.com","password":"correct horse battery"})");
    auto admin = tokens_of(signed_up);
    const auto admin_id = std::string(json::parse(signed_up.body).at("user_id").as_string());
    auto invited = f.call("POST", "/v1/users", R"({"name":"Cole","email":"cole@example.com","role":"coach","password":"another fine passphrase"})",
                          bearer(admin.access));
    REQUIRE(invited.status == 201);
    const auto coach_id = std::string(json::parse(invited.body).at("id").as_string());
    auto coach = tokens_of(f.call("POST", "/v1/auth/login", R"({"email":"cole@example.com","password":"another fine passphrase"})"));
    // A coach may not end another user's sessions.
    CHECK(f.call("POST", "/v1/users/" + admin_id + "/revoke-sessions", "", bearer(coach.access)).status == 403);

    f.now_ms += 1000;
    CHECK(f.call("POST", "/v1/users/" + coach_id + "/revoke-sessions", "", bearer(admin.access)).status == 204);
    CHECK(code_of(f.call("POST", "/v1/sessions", valid_session, bearer(coach.access))) == "session_revoked");
    CHECK(code_of(f.call("POST", "/v1/auth/refresh", refresh_body(coach.refresh))) == "session_revoked");
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(admin.access)).status == 201);  // the admin's own go on

    f.now_ms += 1000;
    auto back = tokens_of(f.call("POST", "/v1/auth/login", R"({"email":"cole@example.com","password":"another fine passphrase"})"));
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(back.access)).status == 201);
    CHECK(f.call("POST", "/v1/users/me/revoke-sessions", "", bearer(back.access)).status == 204);
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(back.access)).status == 401);
}

TEST_CASE("login sessions survive a restart: the write model rebuilt from the private records knows them") {
    ApiFixture f;
    auto first = tokens_of(f.call("POST", "/v1/signup", R"({"organization":"Acme","name":"Ada","email":"ada@example.com","password":"correct horse battery"})"));
    auto second = tokens_of(f.call("POST", "/v1/auth/refresh", refresh_body(first.refresh)));
    commands::WriteModel rebuilt;
    for (const auto& record : f.log.private_records()) rebuilt.apply(record);
    const auto& sessions = rebuilt.login_sessions();
    REQUIRE(sessions.size() == 1);
    auto claims = f.tokens.verify(second.refresh, api::TokenKind::refresh, f.now_ms / 1000);
    REQUIRE(claims.ok());
    auto stored = sessions.find(claims->session_id);
    REQUIRE(stored.has_value());
    CHECK(stored->generation == 2);
    CHECK(claims->generation == 2);
    CHECK(sessions.allows(claims->actor.user_id, claims->session_id, claims->issued_at));
}

TEST_CASE("wrong passwords are free a few times, then each attempt waits longer: 429 with Retry-After") {
    ApiFixture f;
    f.sign_up_token();
    const char* wrong = R"({"email":"ada@example.com","password":"not the password"})";
    const char* right = R"({"email":"ada@example.com","password":"correct horse battery"})";
    for (int i = 0; i < 5; ++i) CHECK(f.call("POST", "/v1/auth/login", wrong).status == 401);
    auto held = f.call("POST", "/v1/auth/login", right);  // even the right password waits: a guess must not learn it
    CHECK(held.status == 429);
    CHECK(code_of(held) == "too_many_login_attempts");
    CHECK(held.headers.at("Retry-After") == "1");
    f.now_ms += 1000;
    CHECK(f.call("POST", "/v1/auth/login", wrong).status == 401);
    auto longer = f.call("POST", "/v1/auth/login", right);
    CHECK(longer.status == 429);
    CHECK(longer.headers.at("Retry-After") == "2");
    f.now_ms += 2000;
    CHECK(f.call("POST", "/v1/auth/login", right).status == 200);  // a success forgives the account
    CHECK(f.call("POST", "/v1/auth/login", wrong).status == 401);
}

TEST_CASE("every bad input gets a 4xx problem with a stable code and appends nothing") {
    ApiFixture f;
    auto token = f.sign_up_token();
    const auto events_before = f.log.events().size();
    api::HeaderMap auth{{"Authorization", "Bearer " + token}};
    struct Case {
        const char* what;
        std::string body;
        int status;
        const char* code;
    };
    std::vector<Case> cases{
        {"malformed JSON", R"({"session_date": )", 400, "malformed_json"},
        {"not an object", R"([1,2])", 400, "malformed_json"},
        {"missing transcript", R"({"session_date":"2026-11-20"})", 422, "missing_field"},
        {"missing date", R"({"transcript":{"format":"plain","text":"A: b"}})", 422, "missing_field"},
        {"wrong type", R"({"session_date":20261120,"transcript":{"format":"plain","text":"A: b"}})", 422, "invalid_field"},
        {"unknown format", R"({"session_date":"2026-11-20","transcript":{"format":"docx","text":"A: b"}})", 422, "unknown_transcript_format"},
        {"empty transcript", R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":""}})", 422, "transcript_empty"},
        {"oversized transcript",
         R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":"A: )" + std::string(600 * 1024, 'x') + R"("}})", 413,
         "transcript_too_large"},
        {"bad date", R"({"session_date":"2026-02-31","transcript":{"format":"plain","text":"A: b"}})", 422, "invalid_session_date"},
        {"bad session type", R"({"session_date":"2026-11-20","session_type":"x","transcript":{"format":"plain","text":"A: b"}})", 422,
         "invalid_session_type"},
        {"bad client id", R"({"id":"not-a-uuid","session_date":"2026-11-20","transcript":{"format":"plain","text":"A: b"}})", 422, "invalid_field"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        auto response = f.call("POST", "/v1/sessions", c.body, auth);
        CHECK(response.status == c.status);
        CHECK(code_of(response) == c.code);
    }
    auto text_plain = auth;
    text_plain["Content-Type"] = "text/plain";
    CHECK(code_of(f.call("POST", "/v1/sessions", valid_session, text_plain)) == "unsupported_media_type");
    CHECK(f.log.events().size() == events_before);
}

TEST_CASE("routes other than sign-up and login need a valid, unexpired bearer token") {
    ApiFixture f;
    auto token = f.sign_up_token();
    const auto events_before = f.log.events().size();
    CHECK(code_of(f.call("POST", "/v1/sessions", valid_session)) == "missing_token");
    CHECK(code_of(f.call("POST", "/v1/sessions", valid_session, {{"Authorization", "Basic abc"}})) == "invalid_token");
    CHECK(code_of(f.call("POST", "/v1/sessions", valid_session, {{"Authorization", "Bearer " + token + "x"}})) == "invalid_token");
    f.now_ms += 16 * 60 * 1000;
    auto expired = f.call("POST", "/v1/sessions", valid_session, {{"Authorization", "Bearer " + token}});
    CHECK(expired.status == 401);
    CHECK(code_of(expired) == "token_expired");
    CHECK(f.log.events().size() == events_before);
}

TEST_CASE("the organization comes from the token, never from the body") {
    ApiFixture f;
    auto token = f.sign_up_token();
    std::string body = R"({"organization_id":"someone-else","session_date":"2026-11-20","transcript":{"format":"plain","text":"A: b"}})";
    auto response = f.call("POST", "/v1/sessions", body, {{"Authorization", "Bearer " + token}});
    REQUIRE(response.status == 201);
    auto events = f.log.events();
    CHECK(events.back().metadata.organization_id.value != "someone-else");
    CHECK(events.back().metadata.organization_id == events.front().metadata.organization_id);
}

TEST_CASE("an Idempotency-Key makes a retried POST return the first answer") {
    ApiFixture f;
    auto token = f.sign_up_token();
    api::HeaderMap headers{{"Authorization", "Bearer " + token}, {"Idempotency-Key", "abc-123"}};
    auto first = f.call("POST", "/v1/sessions", valid_session, headers);
    auto second = f.call("POST", "/v1/sessions", valid_session, headers);
    REQUIRE(first.status == 201);
    REQUIRE(second.status == 201);
    CHECK(json::parse(first.body) == json::parse(second.body));
    CHECK(second.headers.count("Idempotent-Replayed") == 1);
    CHECK(f.log.events().size() == 8);  // sign-up 2, session 2, parse with a new client, a draft and analysed 4
}

TEST_CASE("unknown routes, wrong methods, bad positions and unknown ids are clear problems") {
    ApiFixture f;
    auto token = f.sign_up_token();
    api::HeaderMap auth{{"Authorization", "Bearer " + token}};
    CHECK(code_of(f.call("GET", "/v1/nothing-here", "", auth)) == "route_not_found");
    CHECK(code_of(f.call("GET", "/v1/auth/login", "", auth)) == "method_not_allowed");
    CHECK(code_of(f.call("GET", "/v1/sessions/abc?position=banana", "", auth)) == "invalid_position");
    CHECK(code_of(f.call("GET", "/v1/sessions/abc/transcript", "", auth)) == "session_not_found");
    auto lagging = f.call("GET", "/v1/sessions/00000000-0000-4000-8000-000000000001?position=0:99", "", auth);
    CHECK(lagging.status == 504);
    CHECK(code_of(lagging) == "position_not_reached");
    CHECK(f.call("GET", "/healthz").status == 200);
}

TEST_CASE("an Idempotency-Key with another body is refused; a replayed sign-up needs the same password") {
    ApiFixture f;
    auto token = f.sign_up_token();
    api::HeaderMap headers{{"Authorization", "Bearer " + token}, {"Idempotency-Key", "k-1"}};
    REQUIRE(f.call("POST", "/v1/sessions", valid_session, headers).status == 201);
    const auto appended = f.log.events().size();
    std::string other = R"({"session_date":"2026-11-21","transcript":{"format":"plain","text":"Coach: Hi.\nMaria: Hello."}})";
    auto reused = f.call("POST", "/v1/sessions", other, headers);
    CHECK(reused.status == 422);
    CHECK(code_of(reused) == "idempotency_key_reused");

    const std::string sign_up = R"({"organization":"Beta","name":"Bo","email":"bo@example.com","password":"bo's long password"})";
    api::HeaderMap key{{"Idempotency-Key", "signup-1"}};
    auto first = f.call("POST", "/v1/signup", sign_up, key);
    REQUIRE(first.status == 201);
    auto replay = f.call("POST", "/v1/signup", sign_up, key);
    CHECK(replay.status == 201);
    CHECK(json::parse(replay.body).at("user_id") == json::parse(first.body).at("user_id"));
    // Someone who only knows the key (and even the e-mail) gets no tokens.
    auto guessed = f.call("POST", "/v1/signup", R"({"organization":"Beta","name":"Bo","email":"bo@example.com","password":"a guessed password"})", key);
    CHECK(guessed.status == 422);
    CHECK(code_of(guessed) == "idempotency_key_reused");
    auto other_body = f.call("POST", "/v1/signup", R"({"organization":"Evil","name":"Eve","email":"eve@example.com","password":"eve's long password"})", key);
    CHECK(code_of(other_body) == "idempotency_key_reused");
    CHECK(f.log.events().size() == appended + 2);
}

TEST_CASE("bad input on the people routes gets a problem with a stable code and appends nothing") {
    ApiFixture f;
    auto token = f.sign_up_token();
    const auto events_before = f.log.events().size();
    const auto credentials_before = f.log.credentials().size();
    api::HeaderMap auth{{"Authorization", "Bearer " + token}};
    struct Case {
        const char* what;
        std::string target;
        std::string body;
        int status;
        const char* code;
    };
    std::vector<Case> cases{
        {"user without role", "/v1/users", R"({"name":"Sam","email":"sam@example.com","password":"long enough pw"})", 422, "missing_field"},
        {"user with unknown role", "/v1/users", R"({"name":"Sam","email":"sam@example.com","role":"root","password":"long enough pw"})", 422,
         "invalid_role"},
        {"lead id not a UUID", "/v1/users", R"({"name":"Sam","email":"sam@example.com","role":"coach","password":"long enough pw","lead_id":"x"})",
         422, "invalid_field"},
        {"unknown lead", "/v1/users",
         R"({"name":"Sam","email":"sam@example.com","role":"coach","password":"long enough pw","lead_id":"00000000-0000-4000-8000-0000000000ff"})",
         404, "lead_not_found"},
        {"taken e-mail", "/v1/users", R"({"name":"Sam","email":"ADA@example.com","role":"coach","password":"long enough pw"})", 409, "email_taken"},
        {"client without name", "/v1/clients", R"({"email":"m@example.com"})", 422, "missing_field"},
        {"tags not a list", "/v1/clients", R"({"name":"Maria","tags":"vip"})", 422, "invalid_field"},
        {"tags not strings", "/v1/clients", R"({"name":"Maria","tags":[1,2]})", 422, "invalid_field"},
        {"coach id not a UUID", "/v1/clients", R"({"name":"Maria","coach_id":"coach-1"})", 422, "invalid_field"},
        {"unknown coach", "/v1/clients", R"({"name":"Maria","coach_id":"00000000-0000-4000-8000-0000000000ff"})", 404, "coach_not_found"},
        {"bad client e-mail", "/v1/clients", R"({"name":"Maria","email":"maria at example"})", 422, "invalid_email"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        auto response = f.call("POST", c.target, c.body, auth);
        CHECK(response.status == c.status);
        CHECK(code_of(response) == c.code);
    }
    CHECK(code_of(f.call("GET", "/v1/clients/not-a-uuid", "", auth)) == "client_not_found");
    CHECK(code_of(f.call("PUT", "/v1/clients", "", auth)) == "method_not_allowed");
    CHECK(f.log.events().size() == events_before);
    CHECK(f.log.credentials().size() == credentials_before);
}

TEST_CASE("no route takes a control character, a NUL or a look-alike name in: 422 invalid_characters naming the field") {
    ApiFixture f;
    auto token = f.sign_up_token();
    const auto events_before = f.log.events().size();
    api::HeaderMap auth{{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    struct Case {
        const char* what;
        std::string target;
        std::string body;
        const char* field;
    };
    std::vector<Case> cases{
        {"NUL in a client name", "/v1/clients", R"({"name":"Ma\u0000ria"})", "name"},
        {"right-to-left override in a client name", "/v1/clients", R"({"name":"\u202EecarG\u202C"})", "name"},
        {"zero-width space in a client name", "/v1/clients", R"({"name":"Gr\u200Bace"})", "name"},
        {"control character in a tag", "/v1/clients", R"({"name":"Maria","tags":["vip\u0007"]})", "tags[0]"},
        {"look-alike tag", "/v1/clients", R"({"name":"Maria","tags":["v\u200Dip"]})", "tags[0]"},
        {"newline in a team", "/v1/clients", R"({"name":"Maria","team":"north\nsouth"})", "team"},
        {"C1 control in an e-mail", "/v1/clients", R"({"name":"Maria","email":"m\u0085@example.com"})", "email"},
        {"NUL deep in a transcript", "/v1/sessions",
         R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":"Coach: a\u0000b"}})", "transcript.text"},
        {"override in a speaker mapping", "/v1/sessions",
         R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":"Coach: hi"},"clients":{"\u202EMaria":"00000000-0000-4000-8000-000000000001"}})",
         "clients (a speaker name)"},
        {"NUL in a user name", "/v1/users", R"({"name":"S\u0000am","email":"sam@example.com","role":"coach","password":"long enough pw"})", "name"},
        {"override in an invited user's name", "/v1/users", R"({"name":"\u202Emas","email":"sam@example.com","role":"coach","password":"long enough pw"})",
         "name"},
        {"NUL in a key", "/v1/clients", R"({"name":"Maria","x\u0000":1})", "a field name"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        auto response = f.call("POST", c.target, c.body, auth);
        CHECK(response.status == 422);
        CHECK(code_of(response) == "invalid_characters");
        CHECK(json::parse(response.body).at("field").as_string() == c.field);
    }
    CHECK(f.log.events().size() == events_before);
    // The same characters are refused at sign-up, where no token is needed yet.
    auto signup = f.call("POST", "/v1/signup", R"({"organization":"\u202Eemca","name":"Eve","email":"eve@example.com","password":"correct horse battery"})",
                         {{"Content-Type", "application/json"}});
    CHECK(code_of(signup) == "invalid_characters");
    // Multi-line text keeps its line breaks (CRLF stored as LF), tabs and any script.
    auto client = f.call("POST", "/v1/clients", R"({"name":"محمد"})", auth);
    REQUIRE(client.status == 201);
    auto client_id = std::string(json::parse(client.body).at("id").as_string());
    auto note = f.call("POST", "/v1/notes", R"({"client_id":")" + client_id + R"(","text":"line one\r\n\tline two – مرحبا"})", auth);
    CHECK(note.status == 201);
    const auto appended = f.log.events();
    const auto* added = std::get_if<events::NoteAdded>(&appended.back().payload);
    REQUIRE(added);
    CHECK(added->text == "line one\n\tline two – مرحبا");
    auto bad_note = f.call("POST", "/v1/notes", R"({"client_id":")" + client_id + R"(","text":"a\u0000b"})", auth);
    CHECK(code_of(bad_note) == "invalid_characters");
}

TEST_CASE("a body without a Content-Type is 415 like a wrong one; the media type is matched in any case, with parameters") {
    ApiFixture f;
    auto token = f.sign_up_token();
    const auto events_before = f.log.events().size();
    api::HttpRequest untyped{"POST", "/v1/sessions", {{"Authorization", "Bearer " + token}}, valid_session, "127.0.0.1"};
    auto refused = f.api.handle(untyped);
    CHECK(refused.status == 415);
    CHECK(code_of(refused) == "unsupported_media_type");
    api::HttpRequest untyped_signup{"POST", "/v1/signup", {}, R"({"organization":"B","name":"Bo","email":"bo@example.com","password":"a long password"})",
                                    "127.0.0.1"};
    CHECK(f.api.handle(untyped_signup).status == 415);
    CHECK(f.log.events().size() == events_before);
    // No body and no type: the route says what is missing, not the media type.
    api::HttpRequest empty{"POST", "/v1/notes", {{"Authorization", "Bearer " + token}}, "", "127.0.0.1"};
    CHECK(code_of(f.api.handle(empty)) == "malformed_json");
    auto typed = f.call("POST", "/v1/sessions", valid_session, {{"Authorization", "Bearer " + token}, {"Content-Type", "Application/JSON; charset=utf-8"}});
    CHECK(typed.status == 201);
    auto csv_as_json = f.call("POST", "/v1/metrics/imports", "client,date\n", {{"Authorization", "Bearer " + token}});
    CHECK(csv_as_json.status == 415);
    CHECK(code_of(csv_as_json) == "unsupported_media_type");
}

TEST_CASE("If-Match holds decimal digits only, quoted or not: a sign, a blank or an overflow is 422 invalid_expected_version") {
    CHECK(api::parse_expected_version("\"3\"") == 3u);
    CHECK(api::parse_expected_version("3") == 3u);
    CHECK(api::parse_expected_version("\"18446744073709551615\"") == 18446744073709551615u);
    for (std::string bad : {"\"-1\"", "-1", "\"+3\"", "\" 3\"", "\"3 \"", "\"18446744073709551616\"", "\"99999999999999999999999\"", "\"\"", "",
                            "\"3", "3\"", "\"\"3\"\"", "W/\"3\"", "0x3", "3.0", "soon"}) {
        CAPTURE(bad);
        CHECK_FALSE(api::parse_expected_version(bad).has_value());
    }
    ApiFixture f;
    auto token = f.sign_up_token();
    const auto events_before = f.log.events().size();
    for (std::string bad : {"\"-1\"", "\"+3\"", "\" 3\"", "\"99999999999999999999999\""}) {
        CAPTURE(bad);
        auto response = f.call("POST", "/v1/sessions", valid_session, {{"Authorization", "Bearer " + token}, {"If-Match", bad}});
        CHECK(response.status == 422);
        CHECK(code_of(response) == "invalid_expected_version");
    }
    CHECK(f.log.events().size() == events_before);
}

TEST_CASE("a position beyond the end of the log is 422 at once; a malformed one or a bad wait_ms stays 400") {
    ApiFixture f;
    auto token = f.sign_up_token();
    api::HeaderMap auth{{"Authorization", "Bearer " + token}};
    auto beyond = f.call("GET", "/v1/clients?position=0:999999999&wait_ms=10000", "", auth);
    CHECK(beyond.status == 422);
    CHECK(code_of(beyond) == "invalid_position");
    CHECK(f.call("GET", "/v1/clients?position=7:1000", "", auth).status == 422);
    auto malformed = f.call("GET", "/v1/clients?position=0:-1", "", auth);
    CHECK(malformed.status == 400);
    CHECK(code_of(malformed) == "invalid_position");
    for (std::string wait : {"-5", "10abc", "%2B10", "%2010", "99999999999999999999999"}) {
        CAPTURE(wait);
        CHECK(code_of(f.call("GET", "/v1/clients?position=0:1&wait_ms=" + wait, "", auth)) == "invalid_wait");
    }
}

TEST_CASE("waits beyond the limit of concurrent waits are refused at once with 503 too_many_waits and Retry-After") {
    ApiFixture f(0);  // no wait may start: every query that would wait is refused
    auto token = f.sign_up_token();
    auto refused = f.call("GET", "/v1/clients?position=0:99&wait_ms=10000", "", {{"Authorization", "Bearer " + token}});
    CHECK(refused.status == 503);
    CHECK(code_of(refused) == "too_many_waits");
    CHECK(refused.headers["Retry-After"] == "1");
    // A position already applied needs no wait and no slot.
    f.postgres_progress.advance(0, 100);
    auto reached = f.call("GET", "/v1/sessions/00000000-0000-4000-8000-000000000001?position=0:99", "", {{"Authorization", "Bearer " + token}});
    CHECK(code_of(reached) != "too_many_waits");  // it gets as far as the (absent) database
}

TEST_CASE("/healthz and /readyz are answered by probe() from cached readiness; /readyz names what is not ready") {
    ApiFixture f;
    api::HttpRequest health{"GET", "/healthz", {}, "", "127.0.0.1"};
    api::HttpRequest ready{"GET", "/readyz", {}, "", "127.0.0.1"};
    REQUIRE(f.api.probe(health).has_value());
    CHECK(f.api.probe(health)->status == 200);
    REQUIRE(f.api.probe(ready).has_value());
    CHECK(f.api.probe(ready)->status == 200);
    CHECK(json::parse(f.api.probe(ready)->body).at("status").as_string() == "ready");
    f.readiness.postgres = false;
    f.readiness.projectors = false;
    f.readiness.read_models = {{"postgres", "stuck", 42, 1, "ERROR:  boom"}, {"rocksdb", "running", 0, 0, ""}};
    auto not_ready = f.api.probe(ready);
    REQUIRE(not_ready.has_value());
    CHECK(not_ready->status == 503);
    auto body = json::parse(not_ready->body).as_object();
    CHECK(body.at("status").as_string() == "not_ready");
    CHECK(body.at("code").as_string() == "not_ready");
    auto detail = std::string(body.at("detail").as_string());
    CHECK(detail.find("postgres") != std::string::npos);
    CHECK(detail.find("projectors") != std::string::npos);
    const auto& models = body.at("read_models").as_array();
    REQUIRE(models.size() == 2);
    CHECK(models[0].at("name").as_string() == "postgres");
    CHECK(models[0].at("state").as_string() == "stuck");
    CHECK(models[0].at("lag_events").as_int64() == 42);
    CHECK(models[1].at("state").as_string() == "running");
    CHECK(f.api.handle(ready).status == 503);  // the worker path answers the same
    api::HttpRequest other{"GET", "/v1/clients", {}, "", "127.0.0.1"};
    CHECK_FALSE(f.api.probe(other).has_value());
}

TEST_CASE("header values that reach the events are visible ASCII: X-Correlation-Id and Idempotency-Key") {
    ApiFixture f;
    auto token = f.sign_up_token();
    const auto events_before = f.log.events().size();
    for (auto [header, value, code] : {std::tuple{"X-Correlation-Id", std::string("\xFF\xFE"), "invalid_correlation_id"},
                                       {"X-Correlation-Id", std::string(201, 'c'), "invalid_correlation_id"},
                                       {"X-Correlation-Id", std::string("tab\there"), "invalid_correlation_id"},
                                       {"Idempotency-Key", std::string("key\x01"), "invalid_idempotency_key"},
                                       {"Idempotency-Key", std::string("cl\xC3\xA9"), "invalid_idempotency_key"}}) {
        CAPTURE(value);
        api::HeaderMap headers{{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}, {header, value}};
        auto response = f.call("POST", "/v1/clients", R"({"name":"Maria"})", headers);
        CHECK(response.status == 422);
        CHECK(code_of(response) == code);
    }
    CHECK(f.log.events().size() == events_before);
    api::HeaderMap fine{{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}, {"X-Correlation-Id", "req 42/a-b"}};
    CHECK(f.call("POST", "/v1/clients", R"({"name":"Maria"})", fine).status == 201);
}

TEST_CASE("query parameters follow the text rules: NUL, control characters and invalid UTF-8 are 422 naming the parameter") {
    ApiFixture f;
    auto token = f.sign_up_token();
    api::HeaderMap auth{{"Authorization", "Bearer " + token}};
    for (std::string target : {"/v1/action-items?status=%00", "/v1/templates?kind=%FF", "/v1/clients?x=a%0Ab", "/v1/follow-ups?%07=1",
                               "/v1/metrics/imports?file_name=%C3"}) {
        CAPTURE(target);
        auto response = f.call(target.find("imports") != std::string::npos ? "POST" : "GET", target, "", auth);
        CHECK(response.status == 422);
        CHECK(code_of(response) == "invalid_characters");
        CHECK(json::parse(response.body).at("field").as_string().starts_with("query."));
    }
    CHECK(f.call("GET", "/v1/action-items?status=open", "", auth).status != 422);
}
