// Second factors over real HTTP, Kafka and a restart: enrol and confirm TOTP, log in without and with a code, a code
// and a recovery code refused the second time, the record on the credentials topic only, and all of it read back
// by a restarted process; the organization's policy gives a coach enrolment-only tokens until they enrol. Codes are
// computed here from the secret the enrolment answered, at this machine's clock (the server's).
#include <doctest/doctest.h>

#include <chrono>

#include "commands/mfa/totp.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
// The code of the step `steps` from now's: the server accepts one step either side, so the next step's code is one
// that no earlier login can have used, without waiting for the clock.
std::string code_at_step(const std::string& key, int steps = 0) { return commands::totp::code_at(key, now_seconds() + 30 * steps); }

std::string code_of(const HttpResult& answer) {
    if (answer.header("content-type") != "application/problem+json") return "status " + std::to_string(answer.status);
    return std::string(answer.json().at("code").as_string());
}
std::string reason_of(const HttpResult& answer) {
    const auto value = answer.json();
    const auto& body = value.as_object();
    return body.contains("reason") ? std::string(body.at("reason").as_string()) : std::string{};
}

HttpResult log_in(const HttpClient& client, const std::string& email, const std::string& password, const std::string& otp = {}) {
    json::object body{{"email", email}, {"password", password}};
    if (!otp.empty()) body["otp"] = otp;
    return client.post_json("/v1/auth/login", body);
}

std::string access_of(const HttpResult& answer) {
    REQUIRE_MESSAGE(answer.status == 200, answer.status << " " << answer.body);
    return std::string(answer.json().at("access_token").as_string());
}

// Enrols and confirms a second factor for the token's user: its TOTP key and recovery codes.
std::pair<std::string, std::vector<std::string>> enable_mfa(const HttpClient& client, const std::string& token, const std::string& email) {
    auto enrolled = client.post_json("/v1/users/me/mfa", json::object{}, token);
    REQUIRE_MESSAGE(enrolled.status == 201, enrolled.body);
    const auto secret = std::string(enrolled.json().at("secret").as_string());
    const auto uri = std::string(enrolled.json().at("otpauth_uri").as_string());
    CHECK(uri.starts_with("otpauth://totp/Debrief:"));
    CHECK(uri.find("?secret=" + secret + "&issuer=Debrief&algorithm=SHA1&digits=6&period=30") != std::string::npos);
    auto key = commands::totp::base32_decode(secret);
    REQUIRE(key);
    auto confirmed = client.post_json("/v1/users/me/mfa/confirm", json::object{{"code", code_at_step(*key)}}, token);
    REQUIRE_MESSAGE(confirmed.status == 200, confirmed.body);
    std::vector<std::string> codes;
    const auto body = confirmed.json();
    for (const auto& code : body.at("recovery_codes").as_array()) codes.emplace_back(code.as_string());
    return {*key, codes};
}

}  // namespace

TEST_CASE("log in without and with a second factor; a code and a recovery code work once; all of it holds after a restart") {
    Deployment deployment("mfa");
    Account account;
    std::string key;
    std::vector<std::string> codes;
    std::string used_code;
    std::int64_t used_step = 0;
    {
        DebriefProcess first(deployment);
        auto client = first.client();
        account = sign_up(client, "Second Factor Coaching");
        std::tie(key, codes) = enable_mfa(client, account.access_token, account.email);
        REQUIRE(codes.size() == 10);

        auto without = log_in(client, account.email, account.password);
        CHECK(without.status == 401);
        CHECK(code_of(without) == "mfa_required");
        CHECK(reason_of(without) == "otp_missing");
        auto wrong = log_in(client, account.email, account.password, code_at_step(key, -10));
        CHECK(code_of(wrong) == "mfa_required");
        CHECK(reason_of(wrong) == "otp_invalid");

        // This step's code, as an app shows it right after the confirmation (confirming logged nobody in).
        used_step = commands::totp::step_of(now_seconds());
        used_code = commands::totp::code_at(key, used_step * 30);
        auto with = log_in(client, account.email, account.password, used_code);
        CHECK(client.get("/v1/clients", access_of(with)).status == 200);
        auto replayed = log_in(client, account.email, account.password, used_code);
        CHECK(code_of(replayed) == "mfa_required");
        CHECK(reason_of(replayed) == "otp_reused");

        auto recovered = log_in(client, account.email, account.password, codes[0]);
        CHECK(client.get("/v1/clients", access_of(recovered)).status == 200);
        CHECK(recovered.json().at("recovery_codes_left").as_int64() == 9);
        auto spent = log_in(client, account.email, account.password, codes[0]);
        CHECK(code_of(spent) == "mfa_required");
        CHECK(reason_of(spent) == "otp_invalid");
    }

    // The second factor lives on the credentials topic, keyed by its user; the public topic has no trace of it.
    const auto mfa_key = "mfa:" + account.user_id;
    int records = 0;
    for (const auto& record : read_topic(deployment.credentials_topic))
        if (record.key == mfa_key) {
            ++records;
            CHECK(record.headers.at("content-type") == "application/x-flatbuffers;schema=debrief.schema.MfaEnrolment");
        }
    CHECK(records >= 4);  // enrolled, confirmed, the TOTP login, the recovery code
    for (const auto& record : read_topic(deployment.events_topic)) {
        CHECK(record.value.find(key) == std::string::npos);
        CHECK(record.headers.at("content-type").find("MfaEnrolment") == std::string::npos);
    }

    DebriefProcess second(deployment);
    auto client = second.client();
    CHECK(reason_of(log_in(client, account.email, account.password)) == "otp_missing");
    CHECK(reason_of(log_in(client, account.email, account.password, codes[0])) == "otp_invalid");  // spent before the restart
    // The code used before the restart: its step is recorded as used (otp_reused), or the clock has moved past its
    // window by now (otp_invalid); either way it does not log in again.
    auto replayed = log_in(client, account.email, account.password, used_code);
    CHECK(code_of(replayed) == "mfa_required");
    CHECK((reason_of(replayed) == "otp_reused" || reason_of(replayed) == "otp_invalid"));
    auto recovered = log_in(client, account.email, account.password, codes[1]);
    CHECK(client.get("/v1/clients", access_of(recovered)).status == 200);
    CHECK(recovered.json().at("recovery_codes_left").as_int64() == 8);
    auto status = client.get("/v1/users/me/mfa", access_of(recovered));
    REQUIRE(status.status == 200);
    CHECK(status.json().at("status").as_string() == "enabled");
    CHECK(status.json().at("recovery_codes_left").as_int64() == 8);
    // A code of a step after the one used logs in: the next step's, once the clock is past the step used before it.
    REQUIRE(eventually(std::chrono::seconds(40), [&] { return commands::totp::step_of(now_seconds()) + 1 > used_step; }));
    auto fresh = log_in(client, account.email, account.password, code_at_step(key, 1));
    CHECK(client.get("/v1/clients", access_of(fresh)).status == 200);
}

TEST_CASE("the organization's policy: a coach without a second factor can only enrol, then logs in with one, also after a restart") {
    Deployment deployment("mfa_policy");
    Account admin;
    std::string coach_email = "coach-" + deployment.name + "@example.com";
    const std::string coach_password = "a coach's long passphrase";
    std::string key;
    {
        DebriefProcess first(deployment);
        auto client = first.client();
        admin = sign_up(client, "Policy Coaching");
        auto invited = client.post_json("/v1/users", json::object{{"name", "Cole Coach"}, {"email", coach_email}, {"role", "coach"}, {"password", coach_password}},
                                        admin.access_token);
        REQUIRE_MESSAGE(invited.status == 201, invited.body);
        auto set = client.request("PUT", "/v1/organization/mfa-policy", R"({"required_for":["coach","coach_lead"]})",
                                  {{"Authorization", "Bearer " + admin.access_token}});
        REQUIRE_MESSAGE(set.status == 200, set.body);
        CHECK(json::serialize(set.json().at("required_for")) == R"(["coach_lead","coach"])");

        auto restricted = log_in(client, coach_email, coach_password);
        REQUIRE(restricted.status == 200);
        CHECK(restricted.json().at("mfa_enrolment_required").as_bool());
        const auto token = access_of(restricted);
        auto refused = client.get("/v1/clients", token);
        CHECK(refused.status == 403);
        CHECK(code_of(refused) == "mfa_enrolment_required");
        CHECK(client.get("/v1/organization/mfa-policy", token).status == 200);
        key = enable_mfa(client, token, coach_email).first;
        CHECK(client.get("/v1/clients", token).status == 200);  // the same token, now that the second factor is on
        CHECK(client.get("/v1/clients", admin.access_token).status == 200);  // admins are not named
    }
    DebriefProcess second(deployment);
    auto client = second.client();
    auto policy = client.get("/v1/organization/mfa-policy", admin.access_token);
    REQUIRE(policy.status == 200);
    CHECK(json::serialize(policy.json()) == R"({"required_for":["coach_lead","coach"]})");  // from the event log
    CHECK(reason_of(log_in(client, coach_email, coach_password)) == "otp_missing");
    auto full = log_in(client, coach_email, coach_password, code_at_step(key, 1));  // after the step the confirmation used
    REQUIRE(full.status == 200);
    CHECK_FALSE(full.json().as_object().contains("mfa_enrolment_required"));
    CHECK(client.get("/v1/clients", access_of(full)).status == 200);
}
