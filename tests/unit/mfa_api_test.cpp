// Second factors through the /v1 routes in-process: enrol, confirm, log in with and without a code, replays and
// recovery codes refused a second time, the throttle, the organization's policy with its enrolment-only tokens,
// disabling and an admin's reset, and the state read back from the private records. Codes come from the secret the
// enrolment answered, at the fixture's clock.
#include <doctest/doctest.h>

#include "commands/mfa/totp.hpp"
#include "tests/unit/api_fixture.hpp"

using namespace debrief;
namespace json = boost::json;
using testing::ApiFixture;
using testing::code_of;

namespace {

const char* valid_session = R"({"session_date":"2026-11-20","session_type":"individual","transcript":{"format":"plain","text":"Coach: Hi.\nMaria: Hello."}})";
const std::string ada_password = "correct horse battery";
const std::string cole_password = "another fine passphrase";

api::HeaderMap bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
json::object body_of(const api::HttpResponse& response) { return json::parse(response.body).as_object(); }
std::string text(const json::object& body, const char* field) { return std::string(body.at(field).as_string()); }

struct Login {
    std::string access, refresh, user_id;
};
Login login_of(const api::HttpResponse& response) {
    REQUIRE_MESSAGE(response.status / 100 == 2, response.status << " " << response.body);
    auto body = body_of(response);
    return {text(body, "access_token"), text(body, "refresh_token"), text(body, "user_id")};
}

api::HttpResponse log_in(ApiFixture& f, const std::string& email, const std::string& password, std::optional<std::string> otp = std::nullopt) {
    json::object body{{"email", email}, {"password", password}};
    if (otp) body["otp"] = *otp;
    return f.call("POST", "/v1/auth/login", json::serialize(body));
}

Login sign_up(ApiFixture& f, const std::string& organization = "Acme", const std::string& email = "ada@example.com") {
    return login_of(f.call("POST", "/v1/signup",
                           json::serialize(json::object{{"organization", organization}, {"name", "Ada"}, {"email", email}, {"password", ada_password}})));
}

Login invite_coach(ApiFixture& f, const Login& admin) {
    auto invited = f.call("POST", "/v1/users",
                          json::serialize(json::object{{"name", "Cole"}, {"email", "cole@example.com"}, {"role", "coach"}, {"password", cole_password}}),
                          bearer(admin.access));
    REQUIRE(invited.status == 201);
    return login_of(log_in(f, "cole@example.com", cole_password));
}

// The TOTP key an enrolment answered, from its base32 secret.
std::string enrol(ApiFixture& f, const std::string& access) {
    auto enrolled = f.call("POST", "/v1/users/me/mfa", "", bearer(access));
    REQUIRE_MESSAGE(enrolled.status == 201, enrolled.body);
    auto key = commands::totp::base32_decode(text(body_of(enrolled), "secret"));
    REQUIRE(key);
    return *key;
}

std::string code_now(const ApiFixture& f, const std::string& key) { return commands::totp::code_at(key, f.now_ms / 1000); }

std::vector<std::string> confirm(ApiFixture& f, const std::string& access, const std::string& key) {
    auto confirmed = f.call("POST", "/v1/users/me/mfa/confirm", json::serialize(json::object{{"code", code_now(f, key)}}), bearer(access));
    REQUIRE_MESSAGE(confirmed.status == 200, confirmed.body);
    const auto body = body_of(confirmed);
    std::vector<std::string> codes;
    for (const auto& code : body.at("recovery_codes").as_array()) codes.emplace_back(code.as_string());
    return codes;
}

std::string reason_of(const api::HttpResponse& response) {
    auto body = body_of(response);
    return body.contains("reason") ? text(body, "reason") : std::string{};
}

void next_step(ApiFixture& f) { f.now_ms += 30'000; }

}  // namespace

TEST_CASE("enrol, confirm, then log in without and with a second factor; a code or a recovery code is refused the second time") {
    ApiFixture f;
    auto ada = sign_up(f);
    auto enrolled = f.call("POST", "/v1/users/me/mfa", "", bearer(ada.access));
    REQUIRE(enrolled.status == 201);
    const auto secret = text(body_of(enrolled), "secret");
    CHECK(secret.size() == 32);
    CHECK(text(body_of(enrolled), "otpauth_uri") ==
          "otpauth://totp/Debrief:ada%40example.com?secret=" + secret + "&issuer=Debrief&algorithm=SHA1&digits=6&period=30");
    const auto key = *commands::totp::base32_decode(secret);
    CHECK(text(body_of(f.call("GET", "/v1/users/me/mfa", "", bearer(ada.access))), "status") == "pending");
    CHECK(log_in(f, "ada@example.com", ada_password).status == 200);  // pending asks for nothing yet

    auto wrong = f.call("POST", "/v1/users/me/mfa/confirm", R"({"code":"000000"})", bearer(ada.access));
    if (!commands::totp::matching_step(key, "000000", f.now_ms / 1000)) CHECK(code_of(wrong) == "invalid_mfa_code");
    CHECK(code_of(f.call("POST", "/v1/users/me/mfa/confirm", "{}", bearer(ada.access))) == "missing_field");
    auto codes = confirm(f, ada.access, key);
    CHECK(codes.size() == 10);
    CHECK(code_of(f.call("POST", "/v1/users/me/mfa", "", bearer(ada.access))) == "mfa_already_enabled");
    auto status = body_of(f.call("GET", "/v1/users/me/mfa", "", bearer(ada.access)));
    CHECK(text(status, "status") == "enabled");
    CHECK(status.at("recovery_codes_left").as_int64() == 10);

    auto without = log_in(f, "ada@example.com", ada_password);
    CHECK(without.status == 401);
    CHECK(code_of(without) == "mfa_required");
    CHECK(reason_of(without) == "otp_missing");
    CHECK(text(body_of(without), "field") == "otp");
    CHECK(code_of(log_in(f, "ada@example.com", "not the password", code_now(f, key))) == "invalid_credentials");

    // The code that confirmed logs in (confirming logged nobody in), once.
    auto with = log_in(f, "ada@example.com", ada_password, code_now(f, key));
    auto session = login_of(with);
    CHECK_FALSE(body_of(with).contains("recovery_codes_left"));
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(session.access)).status == 201);
    auto again = log_in(f, "ada@example.com", ada_password, code_now(f, key));
    CHECK(code_of(again) == "mfa_required");
    CHECK(reason_of(again) == "otp_reused");
    next_step(f);
    CHECK(log_in(f, "ada@example.com", ada_password, code_now(f, key)).status == 200);  // the next step's code
    CHECK(reason_of(log_in(f, "ada@example.com", ada_password, "123")) == "otp_invalid");

    auto recovered = log_in(f, "ada@example.com", ada_password, codes[4]);
    REQUIRE(recovered.status == 200);
    CHECK(body_of(recovered).at("recovery_codes_left").as_int64() == 9);
    auto spent = log_in(f, "ada@example.com", ada_password, codes[4]);
    CHECK(code_of(spent) == "mfa_required");
    CHECK(reason_of(spent) == "otp_invalid");

    // A restart reads it all back from the private records: enabled, the step used, the recovery code spent.
    commands::WriteModel rebuilt;
    for (const auto& record : f.log.private_records()) rebuilt.apply(record);
    auto stored = rebuilt.mfa().find(UserId{ada.user_id});
    REQUIRE(stored);
    CHECK(rebuilt.mfa().status(UserId{ada.user_id}) == commands::MfaStatus::enabled);
    CHECK(stored->last_used_step == f.now_ms / 1000 / 30);
    CHECK(stored->recovery_code_hashes.size() == 9);
    CHECK(*stored == *f.model.mfa().find(UserId{ada.user_id}));
}

TEST_CASE("wrong second factors count toward the login throttle; a login that only lacks the code does not") {
    ApiFixture f;
    auto ada = sign_up(f);
    auto key = enrol(f, ada.access);
    confirm(f, ada.access, key);
    next_step(f);
    for (int i = 0; i < 8; ++i) CHECK(reason_of(log_in(f, "ada@example.com", ada_password)) == "otp_missing");
    CHECK(log_in(f, "ada@example.com", ada_password, code_now(f, key)).status == 200);
    next_step(f);
    for (int i = 0; i < 5; ++i) CHECK(reason_of(log_in(f, "ada@example.com", ada_password, "999999x")) == "otp_invalid");
    auto held = log_in(f, "ada@example.com", ada_password, code_now(f, key));
    CHECK(held.status == 429);
    CHECK(code_of(held) == "too_many_login_attempts");
    f.now_ms += 1000;
    CHECK(log_in(f, "ada@example.com", ada_password, code_now(f, key)).status == 200);
}

TEST_CASE("the organization's policy: a role it names gets enrolment-only tokens until it has a second factor, and can enrol") {
    ApiFixture f;
    auto admin = sign_up(f);
    auto cole = invite_coach(f, admin);
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(cole.access)).status == 201);

    auto own_role = f.call("PUT", "/v1/organization/mfa-policy", R"({"required_for":["coach","admin"]})", bearer(admin.access));
    CHECK(own_role.status == 409);
    CHECK(code_of(own_role) == "mfa_not_enabled");
    CHECK(code_of(f.call("PUT", "/v1/organization/mfa-policy", R"({"required_for":["coach","owner"]})", bearer(admin.access))) == "invalid_role");
    CHECK(code_of(f.call("PUT", "/v1/organization/mfa-policy", "{}", bearer(admin.access))) == "missing_field");
    auto set = f.call("PUT", "/v1/organization/mfa-policy", R"({"required_for":["coach","coach_lead"]})", bearer(admin.access));
    REQUIRE(set.status == 200);
    CHECK(json::serialize(body_of(set).at("required_for")) == R"(["coach_lead","coach"])");
    CHECK(body_of(set).contains("position"));
    CHECK(json::serialize(body_of(f.call("GET", "/v1/organization/mfa-policy", "", bearer(admin.access)))) == R"({"required_for":["coach_lead","coach"]})");

    // The coach's token from before the policy, and a new login: enrolment only, and the login says so.
    CHECK(code_of(f.call("POST", "/v1/sessions", valid_session, bearer(cole.access))) == "mfa_enrolment_required");
    auto restricted = log_in(f, "cole@example.com", cole_password);
    REQUIRE(restricted.status == 200);
    CHECK(body_of(restricted).at("mfa_enrolment_required").as_bool());
    auto limited = login_of(restricted);
    for (auto [method, target, body] : {std::tuple{"POST", "/v1/sessions", valid_session}, {"GET", "/v1/clients", ""}, {"GET", "/v1/users/me", ""},
                                        {"PUT", "/v1/organization/mfa-policy", R"({"required_for":[]})"}}) {
        CAPTURE(target);
        auto refused = f.call(method, target, body, bearer(limited.access));
        CHECK(refused.status == 403);
        CHECK(code_of(refused) == "mfa_enrolment_required");
    }
    auto own = body_of(f.call("GET", "/v1/users/me/mfa", "", bearer(limited.access)));
    CHECK(text(own, "status") == "none");
    CHECK(own.at("required").as_bool());
    CHECK(f.call("GET", "/v1/organization/mfa-policy", "", bearer(limited.access)).status == 200);
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(admin.access)).status == 201);  // the admin's role is not named

    // Another user's second factor is out of reach until their own is on (a lead or an admin held by the policy).
    CHECK(code_of(f.call("GET", "/v1/users/" + admin.user_id + "/mfa", "", bearer(limited.access))) == "mfa_enrolment_required");
    CHECK(code_of(f.call("DELETE", "/v1/users/" + admin.user_id + "/mfa", "", bearer(limited.access))) == "mfa_enrolment_required");
    auto key = enrol(f, limited.access);
    CHECK(code_of(f.call("POST", "/v1/sessions", valid_session, bearer(limited.access))) == "mfa_enrolment_required");  // pending is not enough
    confirm(f, limited.access, key);
    CHECK(f.call("POST", "/v1/sessions", valid_session, bearer(limited.access)).status == 201);
    CHECK(code_of(f.call("PUT", "/v1/organization/mfa-policy", R"({"required_for":[]})", bearer(limited.access))) == "forbidden");
    CHECK(reason_of(log_in(f, "cole@example.com", cole_password)) == "otp_missing");
    next_step(f);
    auto full = log_in(f, "cole@example.com", cole_password, code_now(f, key));
    REQUIRE(full.status == 200);
    CHECK_FALSE(body_of(full).contains("mfa_enrolment_required"));
}

TEST_CASE("disabling a second factor needs a code; an admin resets a user who lost their device; nobody else may") {
    ApiFixture f;
    auto admin = sign_up(f);
    auto cole = invite_coach(f, admin);
    auto key = enrol(f, cole.access);
    auto codes = confirm(f, cole.access, key);
    next_step(f);

    CHECK(code_of(f.call("DELETE", "/v1/users/me/mfa", "", bearer(cole.access))) == "missing_field");
    CHECK(code_of(f.call("DELETE", "/v1/users/me/mfa", R"({"code":"12345x"})", bearer(cole.access))) == "invalid_mfa_code");
    CHECK(code_of(f.call("DELETE", "/v1/users/" + admin.user_id + "/mfa", "", bearer(cole.access))) == "forbidden");
    CHECK(code_of(f.call("GET", "/v1/users/" + admin.user_id + "/mfa", "", bearer(cole.access))) == "forbidden");
    CHECK(code_of(f.call("POST", "/v1/users/" + admin.user_id + "/mfa", "", bearer(cole.access))) == "forbidden");
    auto stranger = sign_up(f, "Elsewhere", "eve@example.com");
    CHECK(code_of(f.call("DELETE", "/v1/users/" + cole.user_id + "/mfa", "", bearer(stranger.access))) == "user_not_found");
    CHECK(code_of(f.call("GET", "/v1/users/" + cole.user_id + "/mfa", "", bearer(stranger.access))) == "user_not_found");

    // Cole lost the phone: an admin resets it, and Cole logs in with the password alone, then enrols again.
    CHECK(text(body_of(f.call("GET", "/v1/users/" + cole.user_id + "/mfa", "", bearer(admin.access))), "status") == "enabled");
    CHECK(f.call("DELETE", "/v1/users/" + cole.user_id + "/mfa", "", bearer(admin.access)).status == 204);
    CHECK(text(body_of(f.call("GET", "/v1/users/" + cole.user_id + "/mfa", "", bearer(admin.access))), "status") == "none");
    CHECK(log_in(f, "cole@example.com", cole_password).status == 200);
    CHECK(log_in(f, "cole@example.com", cole_password, codes[0]).status == 200);  // no second factor: an otp sent is not looked at
    CHECK(code_of(f.call("DELETE", "/v1/users/me/mfa", "", bearer(cole.access))) == "mfa_not_enrolled");
    key = enrol(f, cole.access);
    confirm(f, cole.access, key);
    next_step(f);
    CHECK(f.call("DELETE", "/v1/users/me/mfa", json::serialize(json::object{{"code", code_now(f, key)}}), bearer(cole.access)).status == 204);
    CHECK(log_in(f, "cole@example.com", cole_password).status == 200);
}
