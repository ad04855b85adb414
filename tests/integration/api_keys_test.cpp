// API keys on the real server, Kafka and a restart: an admin's keys read and write within their scopes, with a
// rate bucket of their own; creation, use and revocation are events on the public topic, the secret's hash only
// on the credentials topic; a restarted process still knows every key and every revocation.
#include <doctest/doctest.h>

#include "api/auth/api_key_token.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string code_of(const HttpResult& answer) {
    if (answer.header("content-type") != "application/problem+json") return "status " + std::to_string(answer.status);
    return std::string(answer.json().at("code").as_string());
}

std::string create_key(const HttpClient& client, const std::string& admin_token, const std::string& name, json::array scopes) {
    auto created = client.post_json("/v1/api-keys", json::object{{"name", name}, {"scopes", std::move(scopes)}}, admin_token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    CHECK(created.header("cache-control") == "no-store");
    return std::string(created.json().at("key").as_string());
}

HttpResult with_key(const HttpClient& client, const std::string& method, const std::string& target, const std::string& key, const std::string& body = {}) {
    Headers headers{{"Authorization", "Bearer " + key}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return client.request(method, target, body, headers);
}

}  // namespace

TEST_CASE("API keys: scopes, a bucket per key, events and a private hash, all of it after a restart") {
    Deployment deployment("api_keys");
    const std::map<std::string, std::string> limits{{"DEBRIEF_RATE_LIMITS", "on"}, {"DEBRIEF_API_KEY_RATE_LIMIT_PER_MINUTE", "4"},
                                                    {"DEBRIEF_RATE_LIMIT_PER_MINUTE", "1000"}};
    Account admin;
    std::string read_key, write_key;
    {
        DebriefProcess first(deployment, limits);
        auto client = first.client();
        admin = sign_up(client, "Integrated Coaching");
        read_key = create_key(client, admin.access_token, "Warehouse export", json::array{"read"});
        write_key = create_key(client, admin.access_token, "CRM sync", json::array{"read", "write"});
        const auto busy_key = create_key(client, admin.access_token, "Busy", json::array{"read"});

        CHECK(with_key(client, "GET", "/v1/clients", read_key).status == 200);
        auto refused = with_key(client, "POST", "/v1/clients", read_key, R"({"name":"Maria"})");
        CHECK(refused.status == 403);
        CHECK(code_of(refused) == "insufficient_scope");
        auto written = with_key(client, "POST", "/v1/clients", write_key, R"({"name":"Maria"})");
        CHECK_MESSAGE(written.status == 201, written.body);
        CHECK(code_of(with_key(client, "GET", "/v1/api-keys", write_key)) == "api_key_not_allowed");

        // The key's own bucket: four a minute, then 429; its creator's token is another bucket.
        for (int i = 0; i < 4; ++i) CHECK(with_key(client, "GET", "/v1/clients", busy_key).status == 200);
        auto limited = with_key(client, "GET", "/v1/clients", busy_key);
        CHECK(limited.status == 429);
        CHECK(code_of(limited) == "rate_limited");
        CHECK(std::stoi(limited.header("retry-after")) >= 1);
        CHECK(limited.header("ratelimit-policy") == "4;w=60");
        CHECK(client.get("/v1/clients", admin.access_token).status == 200);

        const auto read_id = api::parse_api_key(read_key)->id.value;
        auto revoked = client.request("DELETE", "/v1/api-keys/" + read_id, "", {{"Authorization", "Bearer " + admin.access_token}});
        CHECK_MESSAGE(revoked.status == 200, revoked.body);
        CHECK(code_of(with_key(client, "GET", "/v1/clients", read_key)) == "api_key_revoked");
    }

    // The public topic has the key's life as events, and neither its secret nor the secret's hash.
    const auto write_token = api::parse_api_key(write_key);
    REQUIRE(write_token);
    const auto write_hash = api::api_key_secret_hash(write_token->secret);
    std::map<std::string, int> types;
    for (const auto& record : read_topic(deployment.events_topic)) {
        if (auto type = record.headers.find("ce_type"); type != record.headers.end() && type->second.starts_with("debrief.api_key.")) ++types[type->second];
        CHECK(record.value.find(write_token->secret) == std::string::npos);
        CHECK(record.value.find(write_hash) == std::string::npos);
    }
    CHECK(types["debrief.api_key.created"] == 3);
    CHECK(types["debrief.api_key.used"] == 3);  // each key's first request
    CHECK(types["debrief.api_key.revoked"] == 1);
    bool hash_private = false;
    for (const auto& record : read_topic(deployment.credentials_topic))
        if (record.key == "api-key:" + write_token->id.value) {
            CHECK(record.headers.at("content-type") == "application/x-flatbuffers;schema=debrief.schema.ApiKeySecret");
            hash_private = record.value.find(write_hash) != std::string::npos;
        }
    CHECK(hash_private);

    DebriefProcess second(deployment, limits);
    auto client = second.client();
    CHECK(with_key(client, "GET", "/v1/clients", write_key).status == 200);
    CHECK(code_of(with_key(client, "GET", "/v1/clients", read_key)) == "api_key_revoked");
    auto listed = client.get("/v1/api-keys", admin.access_token);
    REQUIRE(listed.status == 200);
    const auto body = listed.json();
    CHECK(body.at("api_keys").as_array().size() == 3);
    CHECK(listed.body.find(write_token->secret) == std::string::npos);
}
