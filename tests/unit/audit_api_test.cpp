// The audit hook of the routes, in-process: which routes are audited, what one answer records (who, what, whose,
// when, from where, allowed or denied), and that an answer showing nothing records nothing.
#include <doctest/doctest.h>

#include <set>

#include "api/routes/areas.hpp"
#include "tests/unit/api_fixture.hpp"

using namespace debrief;
using namespace debrief::testing;

TEST_CASE("every GET route is audited unless what it answers holds no one's private material") {
    // Reads of the organization's own configuration and of the operators' views: templates, MFA status and policy
    // (no secret), API keys (names and scopes, never a secret), dead letters (ids and errors, no payload).
    const std::set<std::string> not_private{"/v1/templates", "/v1/api-keys", "/v1/users/{id}/mfa", "/v1/organization/mfa-policy", "/v1/admin/dead-letters", "/v1/admin/rebuilds/{id}"};
    std::size_t audited = 0;
    for (auto area : api::areas)
        for (const auto& route : area()) {
            if (route.method != "GET") continue;
            const std::string pattern(route.pattern);
            if (not_private.contains(pattern)) {
                CHECK_MESSAGE(route.audit_action.empty(), pattern);
                continue;
            }
            CHECK_MESSAGE(!route.audit_action.empty(), (pattern + " reads private material and is not audited"));
            audited += route.audit_action.empty() ? 0 : 1;
        }
    CHECK(audited >= 14);
}

TEST_CASE("a read of a summary records who read whose summary, when and from where; a read of nothing records nothing") {
    ApiFixture fixture;
    auto token = fixture.sign_up_token();
    api::HeaderMap auth{{"Authorization", "Bearer " + token}};
    auto client = fixture.call("POST", "/v1/clients", R"({"name":"Priya Shah"})", auth);
    REQUIRE(client.status == 201);
    const auto client_id = std::string(json::parse(client.body).at("id").as_string());
    auto created = fixture.call("POST", "/v1/sessions",
                                R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":"Coach: How was the week?\nPriya Shah: Better, handle time is down."}})",
                                auth);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    std::string summary_id;
    for (const auto& event : fixture.log.events())
        if (const auto* drafted = std::get_if<events::SummaryDrafted>(&event.payload)) summary_id = drafted->summary_id.value;
    REQUIRE_FALSE(summary_id.empty());
    fixture.audit.clear();  // writes are not reads: nothing so far is in the trail

    fixture.now_ms += 1234;
    auto headers = auth;
    headers["X-Correlation-Id"] = "corr-42";
    auto document = fixture.call("GET", "/v1/summaries/" + summary_id + "/document?template_id=system:summary", {}, headers);
    REQUIRE_MESSAGE(document.status == 200, document.body);
    auto records = fixture.audit.records();
    REQUIRE(records.size() == 1);
    const auto& record = records.front();
    CHECK(record.action == "summary.read");
    CHECK(record.actor_role == "admin");
    CHECK(record.resource == "/v1/summaries/" + summary_id + "/document");  // the path: ids only, never the query
    CHECK(record.subject_id == client_id);
    CHECK(record.outcome == "allowed");
    CHECK(record.at_ms == fixture.now_ms);
    CHECK(record.address == "127.0.0.1");
    CHECK(record.correlation_id == "corr-42");
    CHECK_FALSE(record.id.empty());
    CHECK_FALSE(record.organization_id.value.empty());
    CHECK_FALSE(record.actor_id.value.empty());

    // Nothing shown: an unknown summary (404) and a request without a token (401) are not reads.
    fixture.audit.clear();
    CHECK(fixture.call("GET", "/v1/summaries/00000000-0000-4000-8000-999999999999/document", {}, auth).status == 404);
    CHECK(fixture.call("GET", "/v1/summaries/" + summary_id + "/document").status == 401);
    CHECK(fixture.audit.records().empty());
}
