// Metrics imports over HTTP on the real services: a file with errors is refused whole with every row number and
// appends nothing; a valid one is staged with a preview, discarded or committed; session prep shows the recent
// metrics; a KPI drop raises the next drafted summary's priority; clients and other organizations are refused.
#include <doctest/doctest.h>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

const std::string call_review =
    "[00:00:00] Coach Ada: Thanks for joining, Priya. Let's look at your calls from this week.\n"
    "[00:00:06] Priya Shah: Sure. Billing calls went fine, but I struggle with angry customers.\n"
    "[00:00:15] Coach Ada: Try the acknowledgement script on five calls by Friday.\n"
    "[00:00:21] Priya Shah: Yes, I will.\n";

std::string text(const json::value& value) { return std::string(value.as_string()); }

HttpResult post_csv(const HttpClient& client, const std::string& target, const std::string& csv, const std::string& token,
                    const std::string& type = "text/csv; charset=utf-8") {
    return client.request("POST", target, csv, {{"Authorization", "Bearer " + token}, {"Content-Type", type}});
}

std::string wait(const HttpResult& accepted) { return "?position=" + text(accepted.json().at("position")) + "&wait_ms=20000"; }

json::object draft_for(const HttpClient& client, const std::string& token, const std::string& date) {
    auto created = client.post_json("/v1/sessions", session_body("plain", call_review, date, "call_review"), token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto summaries = client.get("/v1/sessions/" + text(created.json().at("id")) + "/summaries" + wait(created), token);
    REQUIRE_MESSAGE(summaries.status == 200, summaries.body);
    auto drafts = summaries.json().as_array();
    REQUIRE(drafts.size() == 1);
    return drafts[0].as_object();
}

}  // namespace

TEST_CASE("metrics import: validate every row, preview, discard or commit; prep shows metrics; a drop raises priority") {
    Deployment deployment("metrics");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto admin = sign_up(client, "Call Centre South");
    const auto& token = admin.access_token;
    auto priya = client.post_json("/v1/clients", json::object{{"name", "Priya Shah"}, {"email", "priya@example.com"}}, token);
    auto tom = client.post_json("/v1/clients", json::object{{"name", "Tom Berg"}}, token);
    REQUIRE(priya.status == 201);
    REQUIRE(tom.status == 201);
    auto priya_id = text(priya.json().at("id"));
    auto tom_id = text(tom.json().at("id"));

    // A file with errors: all of them come back with their row numbers, and nothing is appended.
    const auto before = total_records(deployment.events_topic);
    auto refused = post_csv(client, "/v1/metrics/imports",
                            "name,date,CSAT,AHT (seconds)\r\n"
                            "Priya Shah,2026-11-13,4.6,300\r\n"
                            "Nobody Known,2026-11-13,4.1,280\r\n"
                            "Tom Berg,2026-02-30,4.2,290\r\n"
                            "Tom Berg,2026-11-13,high,290\r\n"
                            "priya shah,2026-11-13,4.5,310\r\n",
                            token);
    REQUIRE_MESSAGE(refused.status == 422, refused.body);
    CHECK(refused.header("content-type") == "application/problem+json");
    auto problem = refused.json().as_object();
    CHECK(text(problem.at("code")) == "metrics_invalid");
    std::vector<std::int64_t> rows;
    for (const auto& e : problem.at("errors").as_array()) rows.push_back(e.at("row").as_int64());
    CHECK(rows == std::vector<std::int64_t>{3, 4, 5, 6});
    CHECK(text(problem.at("errors").as_array()[2].at("column")) == "CSAT");
    CHECK(problem.at("truncated").as_bool() == false);
    CHECK(post_csv(client, "/v1/metrics/imports", "name,date,csat\nPriya Shah,2026-11-13,4\n", token, "application/json").status == 415);
    CHECK(total_records(deployment.events_topic) == before);

    // A valid file, staged and discarded.
    auto discarded = post_csv(client, "/v1/metrics/imports", "email,date,csat\npriya@example.com,2026-11-06,1.0\n", token);
    REQUIRE_MESSAGE(discarded.status == 201, discarded.body);
    auto discarded_id = text(discarded.json().at("id"));
    auto discard = client.request("POST", "/v1/metrics/imports/" + discarded_id + "/discard", "", {{"Authorization", "Bearer " + token}});
    REQUIRE_MESSAGE(discard.status == 200, discard.body);
    CHECK(text(discard.json().at("status")) == "discarded");
    auto again = client.request("POST", "/v1/metrics/imports/" + discarded_id + "/commit", "", {{"Authorization", "Bearer " + token}});
    CHECK(again.status == 409);
    CHECK(text(again.json().at("code")) == "import_discarded");

    // The first week: staged with a preview, committed once.
    auto week46 = post_csv(client, "/v1/metrics/imports?file_name=week46.csv",
                           "\xEF\xBB\xBF" "Agent,Date,CSAT,AHT (seconds),FCR Rate\n"
                           "Priya Shah,2026-11-13,4.6,300,82%\n"
                           "Tom Berg,2026-11-13,4.2,,\n",
                           token);
    REQUIRE_MESSAGE(week46.status == 201, week46.body);
    auto staged = week46.json().as_object();
    auto week46_id = text(staged.at("id"));
    CHECK(text(staged.at("status")) == "staged");
    CHECK(staged.at("rows").as_int64() == 2);
    CHECK(staged.at("clients").as_int64() == 2);
    CHECK(staged.at("metrics").as_array() == json::array{"csat", "aht_seconds", "fcr_rate"});
    auto preview = staged.at("preview").as_array();
    REQUIRE(preview.size() == 2);
    CHECK(preview[0].at("row").as_int64() == 2);
    CHECK(text(preview[0].at("client_name")) == "Priya Shah");
    CHECK(preview[0].at("values").at("fcr_rate").as_double() == 82);
    CHECK(preview[1].at("values").as_object().size() == 1);
    auto read = client.get("/v1/metrics/imports/" + week46_id + wait(week46), token);
    REQUIRE_MESSAGE(read.status == 200, read.body);
    CHECK(text(read.json().at("status")) == "staged");
    CHECK(text(read.json().at("file_name")) == "week46.csv");
    CHECK(read.json().at("preview").as_array().size() == 2);
    auto commit = client.request("POST", "/v1/metrics/imports/" + week46_id + "/commit", "", {{"Authorization", "Bearer " + token}});
    REQUIRE_MESSAGE(commit.status == 200, commit.body);
    CHECK(text(commit.json().at("status")) == "committed");
    auto twice = client.request("POST", "/v1/metrics/imports/" + week46_id + "/commit", "", {{"Authorization", "Bearer " + token}});
    CHECK(twice.status == 409);
    CHECK(text(twice.json().at("code")) == "import_committed");
    CHECK(text(client.get("/v1/metrics/imports/" + week46_id + wait(commit), token).json().at("status")) == "committed");

    auto prep = client.get("/v1/clients/" + priya_id + "/prep" + wait(commit), token);
    REQUIRE_MESSAGE(prep.status == 200, prep.body);
    auto recent = prep.json().at("recent_metrics").as_array();
    REQUIRE(recent.size() == 3);
    CHECK(text(recent[1].at("metric")) == "csat");  // by metric name
    CHECK(recent[1].at("latest").at("value").as_double() == 4.6);
    CHECK(recent[1].at("previous").is_null());
    auto baseline = draft_for(client, token, "2026-11-14");
    INFO("baseline draft: " << json::serialize(baseline));

    // The next week: CSAT fell by 15%, handle time rose by 20%.
    auto week47 = post_csv(client, "/v1/metrics/imports", "client_id,date,csat,aht_seconds\n" + priya_id + ",2026-11-20,3.9,360\n", token);
    REQUIRE_MESSAGE(week47.status == 201, week47.body);
    auto committed = client.request("POST", "/v1/metrics/imports/" + text(week47.json().at("id")) + "/commit", "",
                                    {{"Authorization", "Bearer " + token}});
    REQUIRE_MESSAGE(committed.status == 200, committed.body);
    prep = client.get("/v1/clients/" + priya_id + "/prep" + wait(committed), token);
    REQUIRE_MESSAGE(prep.status == 200, prep.body);
    auto prep_body = prep.json().as_object();
    recent = prep_body.at("recent_metrics").as_array();
    REQUIRE(recent.size() == 3);
    auto csat = recent[1].as_object();
    CHECK(csat.at("latest").at("date").as_string() == "2026-11-20");
    CHECK(csat.at("previous").at("value").as_double() == 4.6);
    CHECK(text(csat.at("trend")) == "down");
    CHECK(csat.at("worse").as_bool());
    CHECK(recent[0].at("worse").as_bool());  // aht_seconds went up
    CHECK(prep_body.at("metric_alerts").as_array().size() == 2);
    auto series = client.get("/v1/clients/" + priya_id + "/metrics" + wait(committed), token);
    REQUIRE_MESSAGE(series.status == 200, series.body);
    auto series_body = series.json().as_object();
    CHECK(series_body.at("metrics").as_array()[1].at("values").as_array().size() == 2);

    auto raised = draft_for(client, token, "2026-11-21");
    INFO("raised draft: " << json::serialize(raised));
    CHECK(raised.at("priority_score").as_double() ==
          doctest::Approx(std::min(1.0, baseline.at("priority_score").as_double() + 0.2)));
    auto recommendations = raised.at("coach_recommendations").as_array();
    REQUIRE_FALSE(recommendations.empty());
    bool named = false;
    for (const auto& r : recommendations) named = named || text(r).starts_with("CSAT fell from 4.6 to 3.9 in the 2026-11-20 import");
    CHECK(named);

    // A client's login may not import; another organization sees none of it.
    auto login = client.post_json("/v1/users", json::object{{"role", "client"}, {"name", "Tom Berg"}, {"email", "tom@metrics.example.com"},
                                                            {"password", "a long enough password"}, {"client_id", tom_id}},
                                  token);
    REQUIRE_MESSAGE(login.status == 201, login.body);
    auto tom_token = text(client.post_json("/v1/auth/login", json::object{{"email", "tom@metrics.example.com"}, {"password", "a long enough password"}})
                              .json()
                              .at("access_token"));
    auto other = sign_up(client, "Elsewhere Ltd");
    const auto before_refusals = total_records(deployment.events_topic);
    CHECK(post_csv(client, "/v1/metrics/imports", "name,date,csat\nTom Berg,2026-11-27,5\n", tom_token).status == 403);
    CHECK(client.request("POST", "/v1/metrics/imports/" + week46_id + "/discard", "", {{"Authorization", "Bearer " + tom_token}}).status == 403);
    CHECK(client.get("/v1/metrics/imports/" + week46_id, other.access_token).status == 404);
    CHECK(client.get("/v1/clients/" + priya_id + "/metrics", other.access_token).status == 404);
    auto foreign = client.request("POST", "/v1/metrics/imports/" + week46_id + "/commit", "", {{"Authorization", "Bearer " + other.access_token}});
    CHECK(foreign.status == 404);
    CHECK(text(foreign.json().at("code")) == "import_not_found");
    // Their file naming our client by id finds no such client among theirs.
    auto smuggled = post_csv(client, "/v1/metrics/imports", "client_id,date,csat\n" + priya_id + ",2026-11-27,1\n", other.access_token);
    CHECK(smuggled.status == 422);
    CHECK(total_records(deployment.events_topic) == before_refusals);
}
