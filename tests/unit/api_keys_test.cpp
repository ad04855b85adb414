// API keys: the decider's rules, the key's text, when a use is recorded, and the keys through the /v1 routes
// in-process: created by an admin and shown once, stored as a hash on the private topic, scopes enforced per route,
// revoked at once, one organization's key invisible to another's admins.
#include <doctest/doctest.h>

#include <algorithm>

#include "api/auth/api_key_token.hpp"
#include "api/auth/api_key_uses.hpp"
#include "commands/api_key.hpp"
#include "tests/unit/api_fixture.hpp"

using namespace debrief;
namespace json = boost::json;
using testing::ApiFixture;
using testing::code_of;

namespace {

const OrganizationId acme{"org-acme"};
const commands::Actor admin{UserId{"admin-1"}, acme, "admin"};
const ApiKeyId key_id{"a91c0005-5c6d-4e7f-8a9b-0c1d2e3f4a15"};

api::HeaderMap bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
json::object body_of(const api::HttpResponse& response) { return json::parse(response.body).as_object(); }

std::string create_key(ApiFixture& f, const std::string& admin_token, const char* scopes, const char* name = "CRM sync") {
    auto created = f.call("POST", "/v1/api-keys", std::string(R"({"name":")") + name + R"(","scopes":)" + scopes + "}", bearer(admin_token));
    REQUIRE_MESSAGE(created.status == 201, created.body);
    return std::string(body_of(created).at("key").as_string());
}

std::size_t count_of(const ApiFixture& f, std::string_view type) {
    auto all = f.log.events();
    return std::count_if(all.begin(), all.end(), [&](const events::Event& e) { return events::type_name(e.payload) == type; });
}

}  // namespace

TEST_CASE("creating an API key: admins only, a name, known scopes kept once each in a fixed order, at most 100 live keys") {
    commands::CreateApiKey create{key_id, admin, "  CRM sync  ", {"write", "read", "write"}};
    auto decided = commands::decide(commands::ApiKeyState{}, create, 0);
    REQUIRE(decided.ok());
    const auto& created = std::get<events::ApiKeyCreated>(decided->at(0));
    CHECK(created.name == "CRM sync");
    CHECK(created.scopes == std::vector<std::string>{"read", "write"});
    CHECK(created.prefix == "dbk_a91c0005");

    auto coach = create;
    coach.actor.role = "coach";
    CHECK(commands::decide(commands::ApiKeyState{}, coach, 0).error().code == "forbidden");
    for (std::vector<std::string> scopes : {std::vector<std::string>{}, {"read", "admin"}, {"READ"}}) {
        auto bad = create;
        bad.scopes = scopes;
        CHECK(commands::decide(commands::ApiKeyState{}, bad, 0).error().code == "invalid_scopes");
    }
    auto unnamed = create;
    unnamed.name = "   ";
    CHECK_FALSE(commands::decide(commands::ApiKeyState{}, unnamed, 0).ok());
    CHECK(commands::decide(commands::ApiKeyState{}, create, commands::max_api_keys_per_organization).error().code == "too_many_api_keys");
}

TEST_CASE("revoking an API key: once, by an admin of its organization") {
    commands::ApiKeyState key;
    events::Metadata metadata;
    metadata.organization_id = acme;
    metadata.cause.actor_id = admin.user_id;
    metadata.occurred_at_ms = 1000;
    commands::fold(key, events::ApiKeyCreated{key_id, acme, "CRM", {"read"}, "dbk_a91c0005"}, metadata);
    CHECK(key.created_by == admin.user_id);
    CHECK(commands::decide(key, commands::RevokeApiKey{key_id, admin}).ok());
    commands::Actor stranger{UserId{"admin-2"}, OrganizationId{"org-other"}, "admin"};
    CHECK(commands::decide(key, commands::RevokeApiKey{key_id, stranger}).error().code == "api_key_not_found");
    metadata.occurred_at_ms = 2000;
    commands::fold(key, events::ApiKeyRevoked{key_id}, metadata);
    CHECK(key.revoked_at_ms == 2000);
    CHECK(commands::decide(key, commands::RevokeApiKey{key_id, admin}).error().code == "api_key_revoked");
}

TEST_CASE("an API key's text: dbk_, the id and the secret; anything else is not a key") {
    auto minted = api::mint_api_key(key_id);
    auto parsed = api::parse_api_key(minted.token);
    REQUIRE(parsed);
    CHECK(parsed->id == key_id);
    CHECK(api::api_key_secret_matches(parsed->secret, minted.secret_hash));
    CHECK(minted.token.find(minted.secret_hash) == std::string::npos);
    CHECK(api::mint_api_key(key_id).token != minted.token);  // a fresh secret each time
    auto wrong = parsed->secret;
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    CHECK_FALSE(api::api_key_secret_matches(wrong, minted.secret_hash));
    for (std::string bad : {std::string("dbk_"), minted.token + "0", minted.token.substr(0, minted.token.size() - 1), "DBK_" + minted.token.substr(4),
                            "dbk_" + std::string(32, 'g') + "_" + std::string(64, 'a'), "dbk_" + std::string(33, 'a') + std::string(64, 'a')})
        CHECK_FALSE(api::parse_api_key(bad));
}

TEST_CASE("a key's use is recorded at its first request, then once an hour, by one request of several") {
    api::ApiKeyUses uses;
    CHECK(uses.claim("k", 0, 1'000));
    CHECK_FALSE(uses.claim("k", 0, 1'001));  // a request at the same time: the first one records it
    CHECK_FALSE(uses.claim("k", 1'000, 1'000 + api::ApiKeyUses::interval_ms - 1));
    CHECK(uses.claim("k", 1'000, 1'000 + api::ApiKeyUses::interval_ms));
    CHECK(uses.claim("other", 0, 1'001));
}

TEST_CASE("API keys through the routes: shown once, stored hashed, scopes per route, revoked at once, per organization") {
    ApiFixture f;
    const auto admin_token = f.sign_up_token();
    const auto read_key = create_key(f, admin_token, R"(["read"])");
    const auto write_key = create_key(f, admin_token, R"(["read","write"])", "Warehouse");
    CHECK(read_key.starts_with("dbk_"));

    SUBCASE("the secret is shown once and only its hash is kept, on the private topic") {
        auto listed = f.call("GET", "/v1/api-keys", "", bearer(admin_token));
        REQUIRE(listed.status == 200);
        CHECK(listed.body.find(read_key.substr(41)) == std::string::npos);
        const auto listed_body = body_of(listed);
        const auto& keys = listed_body.at("api_keys").as_array();
        REQUIRE(keys.size() == 2);
        CHECK(read_key.starts_with(std::string(keys[0].at("prefix").as_string())));
        CHECK(keys[0].at("status") == "active");
        CHECK(keys[0].at("scopes").as_array().size() == 1);
        CHECK(keys[0].at("last_used_at").is_null());
        auto parsed = api::parse_api_key(read_key);
        REQUIRE(parsed);
        bool hash_kept = false;
        for (const auto& record : f.log.private_records())
            if (const auto* secret = std::get_if<events::ApiKeySecret>(&record); secret && secret->api_key_id == parsed->id)
                hash_kept = secret->secret_hash == api::api_key_secret_hash(parsed->secret);
        CHECK(hash_kept);
        for (const auto& event : f.log.events()) CHECK(events::encode(event).find(parsed->secret) == std::string::npos);
    }
    SUBCASE("a read key reads, a write key writes too, and no key manages keys or second factors") {
        CHECK(f.call("GET", "/v1/search?q=hello", "", bearer(read_key)).status == 200);
        CHECK(f.call("POST", "/v1/search", R"({"query":"hello"})", bearer(read_key)).status == 200);
        auto refused = f.call("POST", "/v1/clients", R"({"name":"Maria"})", bearer(read_key));
        CHECK(refused.status == 403);
        CHECK(code_of(refused) == "insufficient_scope");
        auto written = f.call("POST", "/v1/clients", R"({"name":"Maria"})", bearer(write_key));
        CHECK(written.status == 201);
        CHECK(f.log.events().back().metadata.cause.actor_id.value == body_of(f.call("GET", "/v1/api-keys", "", bearer(admin_token)))
                                                                           .at("api_keys").as_array()[1].at("created_by").as_string());
        for (auto [method, target] : {std::pair{"GET", "/v1/api-keys"}, {"POST", "/v1/api-keys"}, {"GET", "/v1/users/me/mfa"}}) {
            auto never = f.call(method, target, method == std::string("POST") ? R"({"name":"x","scopes":["read"]})" : "", bearer(write_key));
            CHECK(never.status == 403);
            CHECK(code_of(never) == "api_key_not_allowed");
        }
    }
    SUBCASE("a wrong secret, an unknown key and a malformed one are all just invalid; a revoked key is refused at once") {
        auto wrong = read_key;
        wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
        for (const auto& bad : {wrong, read_key.substr(0, 20), std::string("dbk_") + std::string(32, 'a') + "_" + std::string(64, 'a')}) {
            auto refused = f.call("GET", "/v1/search?q=hello", "", bearer(bad));
            CHECK(refused.status == 401);
            CHECK(code_of(refused) == "invalid_api_key");
        }
        const auto id = std::string(body_of(f.call("GET", "/v1/api-keys", "", bearer(admin_token))).at("api_keys").as_array()[0].at("id").as_string());
        auto revoked = f.call("DELETE", "/v1/api-keys/" + id, "", bearer(admin_token));
        REQUIRE(revoked.status == 200);
        CHECK(body_of(revoked).at("status") == "revoked");
        auto after = f.call("GET", "/v1/search?q=hello", "", bearer(read_key));
        CHECK(after.status == 401);
        CHECK(code_of(after) == "api_key_revoked");
        CHECK(code_of(f.call("DELETE", "/v1/api-keys/" + id, "", bearer(admin_token))) == "api_key_revoked");
        CHECK(count_of(f, "debrief.api_key.revoked") == 1);
    }
    SUBCASE("another organization's admin neither sees nor revokes the key; a coach manages no keys") {
        auto other = f.call("POST", "/v1/signup", R"({"organization":"Globex","name":"Gus","email":"gus@example.com","password":"correct horse battery"})");
        REQUIRE(other.status == 201);
        const auto other_token = std::string(body_of(other).at("access_token").as_string());
        auto listed = f.call("GET", "/v1/api-keys", "", bearer(other_token));
        CHECK(body_of(listed).at("api_keys").as_array().empty());
        const auto id = api::parse_api_key(read_key)->id.value;
        auto refused = f.call("DELETE", "/v1/api-keys/" + id, "", bearer(other_token));
        CHECK(refused.status == 404);
        CHECK(code_of(refused) == "api_key_not_found");
        auto invited = f.call("POST", "/v1/users", R"({"name":"Cole","email":"cole@example.com","role":"coach","password":"another fine passphrase"})",
                              bearer(admin_token));
        REQUIRE(invited.status == 201);
        auto login = f.call("POST", "/v1/auth/login", R"({"email":"cole@example.com","password":"another fine passphrase"})");
        const auto coach_token = std::string(body_of(login).at("access_token").as_string());
        CHECK(code_of(f.call("POST", "/v1/api-keys", R"({"name":"x","scopes":["read"]})", bearer(coach_token))) == "forbidden");
        CHECK(code_of(f.call("GET", "/v1/api-keys", "", bearer(coach_token))) == "forbidden");
    }
    SUBCASE("a key's first request in an hour is an event") {
        CHECK(count_of(f, "debrief.api_key.used") == 0);
        f.call("GET", "/v1/search?q=hello", "", bearer(read_key));
        f.call("GET", "/v1/search?q=hello", "", bearer(read_key));
        CHECK(count_of(f, "debrief.api_key.used") == 1);
        auto listed = body_of(f.call("GET", "/v1/api-keys", "", bearer(admin_token)));
        CHECK_FALSE(listed.at("api_keys").as_array()[0].at("last_used_at").is_null());
        f.now_ms += api::ApiKeyUses::interval_ms;  // the admin's access token has expired by then; the key has not
        f.call("GET", "/v1/search?q=hello", "", bearer(read_key));
        CHECK(count_of(f, "debrief.api_key.used") == 2);
    }
    SUBCASE("bad bodies are refused before anything is stored") {
        const auto before = f.log.private_records().size();
        for (const char* body : {R"({"name":"x"})", R"({"scopes":["read"]})", R"({"name":"x","scopes":"read"})", R"({"name":"x","scopes":["root"]})"}) {
            auto refused = f.call("POST", "/v1/api-keys", body, bearer(admin_token));
            CHECK_MESSAGE(refused.status == 422, body);
        }
        CHECK(f.log.private_records().size() == before);
    }
}
