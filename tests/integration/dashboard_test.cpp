// The dashboards on the real services, from a history built through the API: a coach's priority queue with its
// reasons, pending reviews, overdue and due items and quick stats; a lead's weeks; a client's own view; the positions
// each answer reflects; and who may see which.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <set>

#include "events/cloudevents.hpp"
#include "events/event.hpp"

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string text(const json::value& value) { return std::string(value.as_string()); }

std::chrono::sys_days today() { return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()); }

std::string date_text(std::chrono::sys_days day) {
    const std::chrono::year_month_day d{day};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buffer;
}

std::string days_ago(int n) { return date_text(today() - std::chrono::days{n}); }

// The Monday of the ISO week of a day.
std::chrono::sys_days monday_of(std::chrono::sys_days day) { return day - std::chrono::days{std::chrono::weekday{day}.iso_encoding() - 1}; }

bool has_reason(const json::value& entry, const std::string& reason) {
    for (const auto& r : entry.at("reasons").as_array())
        if (text(r) == reason) return true;
    return false;
}

const json::value* entry_of(const json::array& queue, const std::string& client_id) {
    for (const auto& e : queue)
        if (text(e.at("client_id")) == client_id) return &e;
    return nullptr;
}

}  // namespace

TEST_CASE("dashboards: a coach's priority queue and lists, a lead's weeks, a client's view, within each role") {
    Deployment deployment("dashboards");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto admin = sign_up(client, "Dashboard Coaching");
    const auto& as_admin = admin.access_token;
    auto invite = [&](const std::string& name, const std::string& email, const std::string& role, json::object extra = {}) {
        return it::invite(client, as_admin, name, email, role, extra);
    };
    const auto [lena, as_lena] = invite("Lena Ortiz", "lena@example.com", "coach_lead");
    const auto [cora, as_cora] = invite("Cora Vance", "cora@example.com", "coach", json::object{{"lead_id", lena}});
    const auto [carl, as_carl] = invite("Carl Moss", "carl@example.com", "coach");
    auto register_client = [&](const std::string& name) {
        auto r = client.post_json("/v1/clients", json::object{{"name", name}}, as_cora);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return text(r.json().at("id"));
    };
    const auto marcus = register_client("Marcus Lee");
    const auto priya = register_client("Priya Shah");
    const auto tom = register_client("Tom Berg");
    const auto [priya_user, as_priya] = invite("Priya Shah", "priya@example.com", "client", json::object{{"client_id", priya}});
    std::string position;
    auto remember = [&](const HttpResult& r) {
        REQUIRE_MESSAGE((r.status == 200 || r.status == 201), r.body);
        position = text(r.json().at("position"));
        return r.json();
    };
    std::vector<int> cora_days;  // how many days ago each of Cora's sessions was
    auto session = [&](const std::string& speaker, int ago) {
        auto body = remember(client.post_json("/v1/sessions", session_body("plain", "Coach: Hello.\n" + speaker + ": The week went fine.", days_ago(ago)),
                                              as_cora));
        cora_days.push_back(ago);
        return text(body.at("id"));
    };
    // Priya: every week until three weeks ago. Marcus: two days ago.
    session("Priya Shah", 35);
    session("Priya Shah", 28);
    const auto priya_last = session("Priya Shah", 21);
    session("Marcus Lee", 2);
    remember(client.post_json("/v1/sessions", session_body("plain", "Coach: Hi.\nDana Fox: Fine.", days_ago(1)), as_carl));
    const auto wait = "position=" + position + "&wait_ms=20000";

    // Priya's latest summary approved; her CSAT fell 12% between two imports; a note and two items for Marcus.
    auto summaries = client.get("/v1/sessions/" + priya_last + "/summaries?" + wait, as_cora);
    REQUIRE_MESSAGE(summaries.status == 200, summaries.body);
    REQUIRE(summaries.json().as_array().size() == 1);
    const auto approved_summary = text(summaries.json().as_array()[0].at("id"));
    // The middle of the history: every session and Priya's drafts are in, nothing after.
    const auto middle_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    remember(client.post_json("/v1/summaries/" + approved_summary + "/approve", json::object{}, as_cora));
    auto metrics = client.request("POST", "/v1/metrics/imports",
                                  "client_id,date,csat\n" + priya + "," + days_ago(14) + ",4.5\n" + priya + "," + days_ago(7) + ",3.96\n",
                                  {{"Authorization", "Bearer " + as_admin}, {"Content-Type", "text/csv"}});
    REQUIRE_MESSAGE(metrics.status == 201, metrics.body);
    remember(client.request("POST", "/v1/metrics/imports/" + text(metrics.json().at("id")) + "/commit", "", {{"Authorization", "Bearer " + as_admin}}));
    remember(client.post_json("/v1/notes", json::object{{"client_id", marcus}, {"text", "Ask about the new team"}}, as_cora));
    const auto overdue_id = text(remember(client.post_json(
        "/v1/action-items", json::object{{"client_id", marcus}, {"title", "Send the QA form"}, {"due_date", days_ago(3)}}, as_cora)).at("id"));
    const auto due_id = text(remember(client.post_json(
        "/v1/action-items", json::object{{"client_id", marcus}, {"title", "Book the shadowing"}, {"due_date", days_ago(0)}}, as_cora)).at("id"));
    const auto done_id = text(remember(client.post_json(
        "/v1/action-items", json::object{{"client_id", priya}, {"title", "Listen to two calls"}, {"due_date", days_ago(-9)}}, as_cora)).at("id"));
    remember(client.post_json("/v1/action-items/" + done_id + "/complete", json::object{}, as_cora));
    const auto now_wait = "position=" + position + "&wait_ms=20000";

    // The coach's own dashboard, at the last write.
    auto coach = client.get("/v1/dashboards/coach?" + now_wait, as_cora);
    REQUIRE_MESSAGE(coach.status == 200, coach.body);
    const auto d = coach.json().as_object();
    INFO("dashboard: " << json::serialize(d));
    CHECK(text(d.at("coach").at("id")) == cora);
    const auto queue = d.at("priority_queue").as_array();
    REQUIRE(queue.size() == 3);
    for (std::size_t i = 1; i < queue.size(); ++i) CHECK(queue[i - 1].at("score").as_double() >= queue[i].at("score").as_double());
    const auto* priya_entry = entry_of(queue, priya);
    const auto* marcus_entry = entry_of(queue, marcus);
    const auto* tom_entry = entry_of(queue, tom);
    REQUIRE((priya_entry && marcus_entry && tom_entry));
    CHECK(has_reason(*priya_entry, "no session for 21 days, usually every 7"));
    CHECK(has_reason(*priya_entry, "CSAT fell 12%"));
    CHECK(has_reason(*marcus_entry, "1 overdue action"));
    CHECK(has_reason(*marcus_entry, "1 unaddressed note"));
    CHECK(has_reason(*marcus_entry, "1 summary waiting for review"));
    CHECK(tom_entry->at("reasons").as_array() == json::array{"no session yet"});
    CHECK(text(queue.back().at("client_id")) == tom);

    // Drafts: Priya's two older ones and Marcus's, oldest first, none approved.
    const auto reviews = d.at("pending_reviews").as_array();
    REQUIRE(reviews.size() == 3);
    for (std::size_t i = 1; i < reviews.size(); ++i) CHECK(text(reviews[i - 1].at("drafted_at")) <= text(reviews[i].at("drafted_at")));
    for (const auto& r : reviews) {
        CHECK(text(r.at("summary_id")) != approved_summary);
        CHECK(r.at("age_hours").as_double() >= 0);
        CHECK(r.at("age_hours").as_double() < 1);
    }
    // Overdue: due before today; due this week: from today to Sunday (the approval may have added items of its own).
    auto ids_of = [](const json::array& list) {
        std::set<std::string> ids;
        for (const auto& item : list) ids.insert(text(item.at("id")));
        return ids;
    };
    const auto overdue = d.at("overdue_action_items").as_array();
    CHECK(ids_of(overdue).contains(overdue_id));
    for (const auto& item : overdue) {
        CHECK(item.at("overdue").as_bool());
        CHECK(text(item.at("due_date")) < days_ago(0));
    }
    const auto due = d.at("due_this_week").as_array();
    CHECK(ids_of(due).contains(due_id));
    CHECK_FALSE(ids_of(due).contains(done_id));
    for (const auto& item : due) {
        CHECK(text(item.at("due_date")) >= days_ago(0));
        CHECK(text(item.at("due_date")) < date_text(monday_of(today()) + std::chrono::days{7}));
    }

    // Quick stats, against what the test itself wrote.
    const auto& stats = d.at("stats").as_object();
    int this_week = 0, last_week = 0;
    for (const auto ago : cora_days) {
        const auto week = monday_of(today() - std::chrono::days{ago});
        this_week += week == monday_of(today()) ? 1 : 0;
        last_week += week == monday_of(today()) - std::chrono::days{7} ? 1 : 0;
    }
    CHECK(stats.at("sessions_this_week").as_int64() == this_week);
    CHECK(stats.at("sessions_last_week").as_int64() == last_week);
    REQUIRE(stats.at("median_hours_to_approval").is_number());
    CHECK(stats.at("median_hours_to_approval").to_number<double>() < 1);
    auto items = client.get("/v1/action-items?" + now_wait, as_cora).json().as_array();
    int done = 0, counted = 0;
    for (const auto& item : items) {
        if (text(item.at("status")) == "cancelled") continue;
        ++counted;
        done += text(item.at("status")) == "done" ? 1 : 0;
    }
    REQUIRE(counted > 0);
    CHECK(stats.at("action_completion_rate_30d").to_number<double>() == doctest::Approx(static_cast<double>(done) / counted));
    const auto talk = stats.at("talk_share").as_array();
    REQUIRE(talk.size() == 2);  // Tom has had no session
    for (const auto& t : talk) {
        CHECK(t.at("share").to_number<double>() > 0);
        CHECK(t.at("share").to_number<double>() < 1);
    }
    CHECK(text(talk[1].at("session_id")) == priya_last);  // by name: Marcus, then Priya's latest session

    // The positions it reflects: asking at any of them answers at once, and the last write is among what it covers.
    const auto positions = d.at("positions").as_array();
    REQUIRE_FALSE(positions.empty());
    const auto written = events::parse_position(position);
    REQUIRE(written);
    bool covered = false;
    for (const auto& p : positions) {
        auto parsed = events::parse_position(text(p));
        REQUIRE(parsed);
        covered = covered || (parsed->partition == written->partition && parsed->offset >= written->offset);
        CHECK(client.get("/v1/dashboards/coach?position=" + text(p) + "&wait_ms=0", as_cora).status == 200);
    }
    CHECK(covered);

    // Who may see it.
    CHECK(client.get("/v1/dashboards/coach?coach_id=" + cora, as_lena).status == 200);
    CHECK(client.get("/v1/dashboards/coach?coach_id=" + cora, as_admin).status == 200);
    auto code_of = [&](const std::string& target, const std::string& token) { return text(client.get(target, token).json().at("code")); };
    CHECK(code_of("/v1/dashboards/coach?coach_id=" + cora, as_carl) == "coach_not_found");
    CHECK(code_of("/v1/dashboards/coach?coach_id=" + carl, as_lena) == "coach_not_found");
    CHECK(code_of("/v1/dashboards/coach", as_admin) == "coach_id_required");
    CHECK(code_of("/v1/dashboards/coach", as_priya) == "forbidden");
    CHECK(code_of("/v1/dashboards/coach?colour=red", as_cora) == "invalid_filter");
    CHECK(code_of("/v1/dashboards/coach?coach_id=nope", as_cora) == "invalid_filter");
    // As of the middle: built from the first event up to the cut (202 with its progress meanwhile), then answered.
    const auto middle = events::rfc3339_utc(middle_ms);
    HttpResult past;
    REQUIRE(eventually(std::chrono::seconds(60), [&] {
        past = client.get("/v1/dashboards/coach?as_of=" + middle, as_cora);
        if (past.status == 202) CHECK(past.json().at("build").at("read_model") == "postgres_as_of");
        return past.status != 202;
    }));
    REQUIRE_MESSAGE(past.status == 200, past.body);
    const auto then = past.json().as_object();
    CHECK(text(then.at("as_of")) == middle);
    CHECK(then.at("overdue_action_items").as_array().empty());  // created after the middle
    CHECK(then.at("due_this_week").as_array().empty());
    bool still_draft = false;
    for (const auto& r : then.at("pending_reviews").as_array()) still_draft = still_draft || text(r.at("summary_id")) == approved_summary;
    CHECK(still_draft);  // approved after the middle
    CHECK(then.at("stats").at("median_hours_to_approval").is_null());
    CHECK_FALSE(has_reason(*entry_of(then.at("priority_queue").as_array(), marcus), "1 unaddressed note"));
    // The same cut is reused; the session list answers as of it too; before the first event there is nothing.
    CHECK(client.get("/v1/dashboards/coach?as_of=" + middle, as_cora).status == 200);
    auto listed = client.get("/v1/sessions?as_of=" + middle, as_cora);
    REQUIRE_MESSAGE(listed.status == 200, listed.body);
    CHECK(listed.json().at("sessions").as_array().size() == cora_days.size());
    HttpResult before;
    REQUIRE(eventually(std::chrono::seconds(60), [&] {
        before = client.get("/v1/sessions?as_of=2020-01-01T00:00:00Z", as_admin);
        return before.status != 202;
    }));
    REQUIRE_MESSAGE(before.status == 200, before.body);
    CHECK(before.json().at("sessions").as_array().empty());
    CHECK(code_of("/v1/dashboards/coach?as_of=yesterday", as_cora) == "invalid_as_of");
    CHECK(code_of("/v1/dashboards/coach?as_of=2999-01-01T00:00:00Z", as_cora) == "invalid_as_of");
    CHECK(client.get("/v1/dashboards/coach").status == 401);

    // The lead's weeks: Cora (Lena coaches no one herself), twelve weeks by default, every session in them.
    auto lead = client.get("/v1/dashboards/lead?" + now_wait, as_lena);
    REQUIRE_MESSAGE(lead.status == 200, lead.body);
    const auto l = lead.json().as_object();
    const auto coaches = l.at("coaches").as_array();
    REQUIRE(coaches.size() == 1);
    CHECK(text(coaches[0].at("coach_id")) == cora);
    const auto weeks = coaches[0].at("weeks").as_array();
    REQUIRE(weeks.size() == 12);
    CHECK(text(weeks.back().at("week")) == date_text(monday_of(today())));
    std::int64_t sessions = 0;
    for (const auto& w : weeks) sessions += w.at("sessions").as_int64();
    CHECK(sessions == static_cast<std::int64_t>(cora_days.size()));
    CHECK(weeks.back().at("pending_reviews").as_int64() == static_cast<std::int64_t>(reviews.size()));
    CHECK(coaches[0].at("clients").as_int64() == 3);
    std::int64_t attention = 0;
    for (const auto& e : queue) attention += e.at("score").as_double() >= l.at("attention_score").as_double() ? 1 : 0;
    CHECK(coaches[0].at("clients_needing_attention").as_int64() == attention);
    CHECK(l.at("totals").at("sessions").as_int64() == sessions);
    CHECK(l.at("totals").at("weeks").as_array().back().at("pending_reviews").as_int64() == static_cast<std::int64_t>(reviews.size()));
    CHECK(client.get("/v1/dashboards/lead?weeks=4", as_lena).json().at("coaches").as_array()[0].at("weeks").as_array().size() == 4);
    // An admin: the whole organization, every coaching role; or one lead's, named.
    auto organization = client.get("/v1/dashboards/lead?" + now_wait, as_admin);
    REQUIRE_MESSAGE(organization.status == 200, organization.body);
    CHECK(organization.json().at("coaches").as_array().size() == 3);
    CHECK(organization.json().at("totals").at("sessions").as_int64() == sessions + 1);
    CHECK(client.get("/v1/dashboards/lead?lead_id=" + lena, as_admin).json().at("coaches").as_array().size() == 1);
    CHECK(code_of("/v1/dashboards/lead", as_cora) == "forbidden");
    CHECK(code_of("/v1/dashboards/lead?weeks=0", as_lena) == "invalid_weeks");
    CHECK(code_of("/v1/dashboards/lead?lead_id=" + cora, as_admin) == "lead_not_found");

    // The client's own view: open items, the ones they own as next steps, approved summaries only.
    auto own = client.get("/v1/dashboards/client?" + now_wait, as_priya);
    REQUIRE_MESSAGE(own.status == 200, own.body);
    const auto c = own.json().as_object();
    const auto approved = c.at("approved_summaries").as_array();
    REQUIRE(approved.size() == 1);
    CHECK(text(approved[0].at("id")) == approved_summary);
    CHECK_FALSE(approved[0].as_object().contains("priority_score"));
    for (const auto& item : c.at("open_action_items").as_array()) CHECK(text(item.at("client_id")) == priya);
    CHECK(code_of("/v1/dashboards/client", as_cora) == "forbidden");
    (void)priya_user;
}
