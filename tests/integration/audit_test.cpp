// Every read of private material is audited (issue 9, point 3): who read (actor and role), what (the action and the
// path, ids only), whose (one record per client concerned), when, from where, and whether it was answered or refused;
// on the audit topic in batches, never a name or a word of what was read; admins query it with filters.
#include <doctest/doctest.h>

#include <set>

#include "events/audit_record.hpp"
#include "common/rfc3339.hpp"
#include "events/cloudevents.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string text(const json::value& value) { return std::string(value.as_string()); }

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The audit records the admin's query answers, as (actor, action, subject, outcome) plus the whole records.
struct AuditAnswer {
    int status = 0;
    std::string complete;
    json::array records;
    std::set<std::tuple<std::string, std::string, std::string, std::string>> entries() const {
        std::set<std::tuple<std::string, std::string, std::string, std::string>> out;
        for (const auto& r : records)
            out.insert({text(r.at("actor_id")), text(r.at("action")), r.at("subject_id").is_null() ? "" : text(r.at("subject_id")),
                        text(r.at("outcome"))});
        return out;
    }
};

AuditAnswer audit(const HttpClient& client, const std::string& query, const std::string& token) {
    auto answer = client.get("/v1/admin/audit" + query, token);
    AuditAnswer out{answer.status, answer.header("debrief-audit-complete"), {}};
    if (answer.status == 200) out.records = answer.json().as_array();
    return out;
}

}  // namespace

TEST_CASE("every read of private material is audited, ids only, and admins query the trail by subject, actor and time") {
    Deployment deployment("audit");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto admin = sign_up(client, "Audited Coaching");
    const auto started_ms = wall_ms();
    auto priya = client.post_json("/v1/clients", json::object{{"name", "Priya Shah"}, {"email", "priya.shah@example.com"}}, admin.access_token);
    auto omar = client.post_json("/v1/clients", json::object{{"name", "Omar Haddad"}}, admin.access_token);
    REQUIRE(priya.status == 201);
    REQUIRE(omar.status == 201);
    const auto priya_id = text(priya.json().at("id"));
    const auto omar_id = text(omar.json().at("id"));
    REQUIRE(client.post_json("/v1/notes", json::object{{"client_id", priya_id}, {"text", "Seems tired lately, ask about workload"}}, admin.access_token)
                    .status == 201);
    auto body = session_body("plain",
                             "Coach Dana: Welcome both.\nPriya Shah: My handle time came down to six minutes.\n"
                             "Omar Haddad: Mine went up, I had a private health matter this week.\n",
                             "2026-11-19", "group_workshop");
    body["coach_speaker"] = "Coach Dana";
    auto created = client.post_json("/v1/sessions", body, admin.access_token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    const auto session_id = text(created.json().at("id"));
    auto login = client.post_json("/v1/users", json::object{{"name", "Priya Shah"}, {"email", "priya@example.com"}, {"role", "client"},
                                                            {"password", "a long enough password"}, {"client_id", priya_id}},
                                  admin.access_token);
    REQUIRE_MESSAGE(login.status == 201, login.body);
    const auto priya_user = text(login.json().at("id"));
    const auto wait = "?position=" + text(login.json().at("position")) + "&wait_ms=20000";
    auto priya_login = client.post_json("/v1/auth/login", json::object{{"email", "priya@example.com"}, {"password", "a long enough password"}});
    REQUIRE(priya_login.status == 200);
    const auto priya_token = text(priya_login.json().at("access_token"));

    // The admin reads the group transcript (both clients' words), the summaries, Priya's prep; Priya reads her own
    // part of the session and is refused the prep.
    REQUIRE(client.get("/v1/sessions/" + session_id + "/transcript" + wait, admin.access_token).status == 200);
    REQUIRE(client.get("/v1/sessions/" + session_id + "/summaries" + wait, admin.access_token).status == 200);
    REQUIRE(client.get("/v1/clients/" + priya_id + "/prep" + wait, admin.access_token).status == 200);
    REQUIRE(client.get("/v1/sessions/" + session_id + "/transcript" + wait, priya_token).status == 200);
    REQUIRE(client.get("/v1/clients/" + priya_id + "/prep" + wait, priya_token).status == 403);
    // Not private material, or nothing shown: not recorded.
    REQUIRE(client.get("/v1/templates", admin.access_token).status == 200);
    REQUIRE(client.get("/v1/clients/00000000-0000-4000-8000-000000000000", admin.access_token).status == 404);
    const auto read_until_ms = wall_ms();

    // Everything read about Priya: the admin's three reads, hers, and her refusal; the query waits for the trail.
    auto about_priya = audit(client, "?subject_id=" + priya_id, admin.access_token);
    REQUIRE(about_priya.status == 200);
    CHECK(about_priya.complete == "true");
    const std::set<std::tuple<std::string, std::string, std::string, std::string>> expected_priya{
            {admin.user_id, "transcript.read", priya_id, "allowed"},  {admin.user_id, "summary.read", priya_id, "allowed"},
            {admin.user_id, "client.prep.read", priya_id, "allowed"}, {priya_user, "transcript.read", priya_id, "allowed"},
            {priya_user, "client.prep.read", priya_id, "denied"}};
    auto seen = about_priya.entries();
    for (const auto& entry : expected_priya) CHECK_MESSAGE(seen.contains(entry), (std::get<0>(entry) + " " + std::get<1>(entry)));
    for (const auto& entry : seen) CHECK_MESSAGE(std::get<2>(entry) == priya_id, std::get<1>(entry));
    for (const auto& record : about_priya.records) {
        const auto at = parse_rfc3339_ms(text(record.at("at")));
        REQUIRE(at);
        CHECK(*at >= started_ms - 1000);
        CHECK(*at <= read_until_ms + 1000);
        CHECK(text(record.at("address")) == "127.0.0.1");
        CHECK(text(record.at("resource")).find('?') == std::string::npos);  // the path only: ids, never a query's words
        CHECK(text(record.at("resource")).starts_with("/v1/"));
    }
    // Omar's words were in the admin's transcript, not in Priya's part of it.
    auto about_omar = audit(client, "?subject_id=" + omar_id, admin.access_token).entries();
    CHECK(about_omar.contains({admin.user_id, "transcript.read", omar_id, "allowed"}));
    CHECK_FALSE(about_omar.contains({priya_user, "transcript.read", omar_id, "allowed"}));

    // By actor: only Priya's reads; by time: nothing before the reads, all of them in their window.
    for (const auto& entry : audit(client, "?actor_id=" + priya_user, admin.access_token).entries()) CHECK(std::get<0>(entry) == priya_user);
    CHECK(audit(client, "?actor_id=" + priya_user, admin.access_token).entries().size() == 2);
    CHECK(audit(client, "?subject_id=" + priya_id + "&to=" + events::rfc3339_utc(started_ms - 60'000), admin.access_token).records.empty());
    CHECK(audit(client, "?subject_id=" + priya_id + "&from=" + events::rfc3339_utc(started_ms - 1000) + "&to=" +
                        events::rfc3339_utc(read_until_ms + 1000),
                admin.access_token)
                  .entries()
                  .size() == seen.size());

    // Only admins read the trail, and bad filters are refused.
    CHECK(audit(client, "", priya_token).status == 403);
    CHECK(audit(client, "?subject_id=Priya", admin.access_token).status == 422);
    CHECK(audit(client, "?from=yesterday", admin.access_token).status == 422);
    CHECK(audit(client, "?limit=0", admin.access_token).status == 422);
    CHECK(audit(client, "?limit=1", admin.access_token).records.size() == 1);
    // Looking at the trail is itself recorded.
    CHECK(audit(client, "?actor_id=" + admin.user_id, admin.access_token).entries().contains({admin.user_id, "audit.read", "", "allowed"}));

    // The topic: ids only, never a name, an address or a word that was read; keyed by the organization.
    auto records = read_topic(deployment.audit_topic);
    REQUIRE_FALSE(records.empty());
    for (const auto& record : records) {
        CHECK(record.key == admin.organization_id);
        for (const auto* word : {"Priya", "Shah", "Omar", "priya", "handle time", "health", "workload"})
            CHECK_MESSAGE(record.value.find(word) == std::string::npos, word);
        auto decoded = events::decode_audit_record(record.value);
        REQUIRE(decoded);
        CHECK(decoded->organization_id.value == admin.organization_id);
    }
}
