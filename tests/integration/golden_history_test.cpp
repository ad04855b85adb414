// Golden organization history: every Kafka record one organization's whole history left on Debrief's topics, written
// by an earlier build (tests/fixtures/history/), is produced into fresh topics; a Debrief started on them must answer
// every recorded GET, as every role, exactly as the build that wrote them did. Format, regeneration and when that is
// allowed: docs/event-schemas.md, "Golden organization history".
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <variant>

#include "events/cloudevents.hpp"
#include "events/codec.hpp"
#include "events/keyring.hpp"
#include "tests/integration/harness.hpp"
#include "tests/support/stub_smtp_server.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------------------------
// Fixture files

fs::path history_dir() { return fs::path(DEBRIEF_SOURCE_DIR) / "tests/fixtures/history"; }
const char* const manifest_file = "manifest.json";
const char* const records_file = "records.jsonl";
const char* const answers_file = "answers.jsonl";
const char* const follow_on_file = "follow_on.jsonl";

// The roles whose view of the organization is recorded: every GET is asked as each of them.
const std::vector<std::string> reader_roles{"admin", "coach_lead", "coach", "client"};

bool writing_allowed() {
    const char* flag = std::getenv("DEBRIEF_WRITE_GOLDEN");
    return flag && std::string(flag) == "1";
}

const std::string base64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(const std::string& bytes) {
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += base64_alphabet[(n >> shift) & 63];
    }
    if (i < bytes.size()) {
        unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += base64_alphabet[(n >> 18) & 63];
        out += base64_alphabet[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? base64_alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64_decode(const std::string& text) {
    std::string out;
    unsigned n = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break;
        auto at = base64_alphabet.find(c);
        if (at == std::string::npos) throw std::runtime_error("not base64: " + text.substr(0, 40));
        n = (n << 6) | static_cast<unsigned>(at);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((n >> bits) & 0xff);
        }
    }
    return out;
}

std::string text(const json::value& value) { return std::string(value.as_string()); }

std::optional<std::string> read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<json::object> read_lines(const fs::path& path) {
    std::vector<json::object> lines;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) lines.push_back(json::parse(line).as_object());
    return lines;
}

void write_text(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

struct Fixture {
    json::object manifest;
    std::vector<json::object> records;
    std::vector<json::object> answers;
    std::vector<json::object> follow_on;  // commands after the history, with the answers the recording build gave
};

std::optional<Fixture> load_fixture() {
    auto manifest = read_text(history_dir() / manifest_file);
    for (const auto* file : {records_file, answers_file, follow_on_file})
        if (!fs::exists(history_dir() / file)) return std::nullopt;
    if (!manifest) return std::nullopt;
    return Fixture{json::parse(*manifest).as_object(), read_lines(history_dir() / records_file), read_lines(history_dir() / answers_file),
                   read_lines(history_dir() / follow_on_file)};
}

json::object record_json(const std::string& topic_role, const TopicRecord& record) {
    json::array headers;
    for (const auto& [name, value] : record.header_list) headers.push_back(json::array{json::string(name), json::string(value)});
    return json::object{{"topic", topic_role}, {"partition", record.partition}, {"offset", record.offset}, {"key", record.key},
                        {"headers", std::move(headers)}, {"value", base64_encode(record.value)}};
}

TopicRecord record_from(const json::object& line) {
    TopicRecord record;
    record.partition = static_cast<int>(line.at("partition").as_int64());
    record.offset = line.at("offset").as_int64();
    record.key = text(line.at("key"));
    record.value = base64_decode(text(line.at("value")));
    for (const auto& header : line.at("headers").as_array()) {
        auto name = text(header.as_array().at(0)), value = text(header.as_array().at(1));
        record.headers[name] = value;
        record.header_list.emplace_back(name, value);
    }
    return record;
}

// What a new recording must hold: every event type Debrief has, but those named here (all are reachable over HTTP today).
// A history recorded earlier is held to the types its manifest lists, so event types added later do not fail it.
template <std::size_t... I>
std::set<std::string> all_event_types(std::index_sequence<I...>) {
    return {std::string(std::variant_alternative_t<I, events::Payload>::type)...};
}
const std::set<std::string> not_reachable_over_http{};  // none today; an event type only a background job writes goes here, with why

// Route patterns whose admin answer must be in the recording with 200: the read side as an integrator sees it.
const std::vector<std::string> read_routes{
    "/v1/users",           "/v1/users/{id}",         "/v1/clients",          "/v1/clients/{id}",           "/v1/clients/{id}/metrics",
    "/v1/clients/{id}/prep", "/v1/sessions/{id}",    "/v1/sessions/{id}/summaries", "/v1/sessions/{id}/transcript", "/v1/summaries/{id}/document",
    "/v1/action-items",    "/v1/templates",          "/v1/follow-ups",       "/v1/follow-ups/{id}",        "/v1/metrics/imports/{id}",
    "/v1/admin/dead-letters"};

// "/v1/clients/5e1c.../metrics?limit=3" -> "/v1/clients/{id}/metrics"
std::string route_of(const std::string& target) {
    auto path = target.substr(0, target.find('?'));
    std::string route;
    std::size_t at = 0;
    while (at < path.size()) {
        auto next = path.find('/', at + 1);
        auto segment = path.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
        const bool id = segment.size() == 36 && std::count(segment.begin(), segment.end(), '-') == 4;
        route += "/" + (id || segment == "me" ? std::string("{id}") : segment);
        if (next == std::string::npos) break;
        at = next;
    }
    return route;
}

// ---------------------------------------------------------------------------------------------------------------
// Recording (DEBRIEF_WRITE_GOLDEN=1 only): one organization's history driven over HTTP, every area

struct Account {
    std::string key;   // how the fixture names this login: admin, coach_lead, coach, client, ...
    std::string role;  // the user's role when recorded
    std::string email;
    std::string password;
    std::string user_id;
};

json::value accepted(const HttpResult& result, int status = 201) {
    REQUIRE_MESSAGE(result.status == status, result.status << " " << result.body);
    return result.body.empty() ? json::value{} : result.json();
}

std::string id_of(const HttpResult& result, int status = 201) { return text(accepted(result, status).at("id")); }

// Dates: every session is in the past, so every due date the analyser derives from one is in the past (overdue
// forever, or done); every due date set by hand is after 2090. So `overdue` cannot change as the calendar moves.
const std::string s1_plain =
    "[00:00:02] Cora: Hola Tomás, how did the night shifts go this week?\n"
    "[00:00:08] Tomás: Much better. I finally closed the backlog of escalations and the team lead noticed.\n"
    "[00:00:17] Cora: That is great progress. What is still hard?\n"
    "[00:00:21] Tomás: Angry callers. I freeze when they shout and then the call drags on.\n"
    "[00:00:30] Cora: I would suggest you acknowledge the frustration first. Could you try the de-escalation script on five calls by Friday?\n"
    "[00:00:39] Tomás: Yes, I will try the script on five calls by Friday.\n";

const std::string s2_webvtt =
    "WEBVTT\n\n"
    "00:00.000 --> 00:05.000\n<v Cora Núñez>Welcome everyone. Today we practise handovers between shifts.\n\n"
    "00:05.000 --> 00:12.000\n<v Zoë Fischer>I wrote the handover checklist and the morning team already uses it.\n\n"
    "00:12.000 --> 00:20.000\n<v Tomás Ruiz>I struggle with long handovers, they take me twenty minutes.\n\n"
    "00:20.000 --> 00:28.000\n<v Ngozi Adeyemi>I am new here. I find the ticket system confusing.\n\n"
    "00:28.000 --> 00:36.000\n<v Cora Núñez>Ngozi, could you shadow Zoë for two shifts by next Wednesday?\n";

const std::string s3_srt =
    "1\n00:00:01,000 --> 00:00:06,000\nDan Okafor: Thanks for joining, Priya. Let us review the billing call from Monday.\n\n"
    "2\n00:00:06,500 --> 00:00:14,000\nPriya Shah: I solved the refund in one call and the customer thanked me.\n\n"
    "3\n00:00:14,500 --> 00:00:22,000\nPriya Shah: But I put the customer on hold three times, I could not find the policy.\n\n"
    "4\n00:00:22,500 --> 00:00:30,000\nDan Okafor: I recommend you bookmark the refund policy. Can you build a bookmark list by Thursday?\n";

const std::string s4_json =
    R"({"segments":[{"speaker":"Cora Núñez","start":0,"end":4.5,"text":"Zoë, how is the checklist rollout going?"},)"
    R"({"speaker":"Zoë Fischer","start":null,"end":null,"text":"Well, two teams use it now. I am proud of that."},)"
    R"({"speaker":"Zoë Fischer","text":"I still work late to update it every evening."},)"
    R"({"speaker":"Cora Núñez","text":"Try to delegate the updates. Could you find a co-owner by next Friday?"}]})";

const std::string s5_plain_untimed =
    "Li Wei 李伟: Kenji, wie war die Woche?\n"
    "Kenji Watanabe 渡辺: Good. I passed the QA review with 92 points.\n"
    "Kenji Watanabe 渡辺: I still find the new CRM slow and I lose time.\n"
    "Li Wei 李伟: I suggest you learn the keyboard shortcuts. Could you list ten shortcuts by Monday?\n";

std::string date_after(int days) {
    using namespace std::chrono;
    year_month_day day{sys_days{year{2022} / January / 1} + std::chrono::days{days}};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return out;
}

struct Recording {
    std::vector<Account> accounts;
    std::map<std::string, std::string> ids;  // fixture names of the ids, for readers of the fixture
    std::vector<std::string> targets;        // every GET to record, asked as every reader role
};

class HistoryDriver {
public:
    explicit HistoryDriver(const HttpClient& client) : client_(client) {}

    Recording run() {
        people();
        metrics();
        sessions_and_summaries();
        action_items_and_notes();
        templates_and_follow_ups();
        recording_.targets = targets();
        return recording_;
    }

private:
    const HttpClient& client_;
    Recording recording_;
    std::map<std::string, std::string> tokens_;
    std::string last_position_;

    std::string& id(const std::string& name) { return recording_.ids[name]; }
    const std::string& token(const std::string& key) { return tokens_.at(key); }

    HttpResult post(const std::string& as, const std::string& target, const json::value& body, Headers headers = {}) {
        auto result = client_.post_json(target, body, token(as), std::move(headers));
        if (result.status / 100 == 2 && !result.body.empty()) {
            auto answer = result.json();
            if (answer.is_object() && answer.as_object().contains("position")) last_position_ = text(answer.at("position"));
        }
        return result;
    }
    HttpResult post_without_body(const std::string& as, const std::string& target) {
        return client_.request("POST", target, "", {{"Authorization", "Bearer " + token(as)}});
    }
    HttpResult put(const std::string& as, const std::string& target, const json::value& body) {
        return client_.request("PUT", target, json::serialize(body), {{"Authorization", "Bearer " + token(as)}});
    }
    HttpResult post_csv(const std::string& as, const std::string& target, const std::string& csv) {
        return client_.request("POST", target, csv, {{"Authorization", "Bearer " + token(as)}, {"Content-Type", "text/csv"}});
    }
    void log_in(const std::string& key) {
        for (const auto& account : recording_.accounts)
            if (account.key == key) {
                auto login = client_.post_json("/v1/auth/login", json::object{{"email", account.email}, {"password", account.password}});
                tokens_[key] = text(accepted(login, 200).at("access_token"));
                return;
            }
        FAIL("no account " << key);
    }
    std::string invite(const std::string& as, const std::string& key, json::object body) {
        recording_.accounts.push_back({key, text(body.at("role")), text(body.at("email")), text(body.at("password")), ""});
        auto user = id_of(post(as, "/v1/users", body));
        recording_.accounts.back().user_id = user;
        id("user." + key) = user;
        return user;
    }
    json::array summaries_of(const std::string& session, const std::string& as = "coach") {
        auto listed = client_.get("/v1/sessions/" + session + "/summaries?position=" + last_position_ + "&wait_ms=30000", token(as));
        return accepted(listed, 200).as_array();
    }
    std::string summary_for(const json::array& summaries, const std::string& client) {
        for (const auto& summary : summaries)
            if (text(summary.at("client_id")) == client) return text(summary.at("id"));
        FAIL("no summary for client " << client);
        return {};
    }

    void people() {
        auto signup = client_.post_json("/v1/signup", json::object{{"organization", "Golden Coaching — Öresund"}, {"name", "Ada Ångström"},
                                                                  {"email", "ada@golden.example"}, {"password", "golden admin password"}});
        auto body = accepted(signup).as_object();
        id("organization") = text(body.at("organization_id"));
        id("user.admin") = text(body.at("user_id"));
        recording_.accounts.push_back({"admin", "admin", "ada@golden.example", "golden admin password", id("user.admin")});
        tokens_["admin"] = text(body.at("access_token"));

        accepted(put("admin", "/v1/users/me/notification-preferences", json::object{{"email_digest", "daily"}, {"notify_on", json::array{"summary_drafted"}},
                                                                                   {"time_zone", "Europe/Stockholm"}}),
                 200);
        invite("admin", "coach_lead", {{"name", "Li Wei 李伟"}, {"email", "li.wei@golden.example"}, {"role", "coach_lead"}, {"password", "golden lead password"}});
        log_in("coach_lead");
        // A coach invited by a lead is led by that lead.
        invite("coach_lead", "coach", {{"name", "Cora Núñez"}, {"email", "cora@golden.example"}, {"role", "coach"}, {"password", "golden coach password"}});
        log_in("coach");
        invite("admin", "coach_dan", {{"name", "Dan Okafor"}, {"email", "dan@golden.example"}, {"role", "coach"}, {"password", "golden dan password"}});
        invite("admin", "admin_eve", {{"name", "Eve Lindqvist"}, {"email", "eve@golden.example"}, {"role", "admin"}, {"password", "golden eve password"}});
        invite("admin", "coach_finn", {{"name", "Finn Ó Briain"}, {"email", "finn@golden.example"}, {"role", "coach"}, {"password", "golden finn password"},
                                       {"lead_id", id("user.coach_lead")}});

        // Role changes, deactivation and reactivation.
        accepted(post("admin", "/v1/users/" + id("user.coach_dan") + "/role", json::object{{"role", "coach_lead"}}), 200);
        for (auto& account : recording_.accounts)
            if (account.key == "coach_dan") account.role = "coach_lead";
        log_in("coach_dan");
        accepted(post("admin", "/v1/users/" + id("user.coach_finn") + "/role", json::object{{"role", "coach"}, {"lead_id", id("user.coach_dan")}}), 200);
        accepted(post("admin", "/v1/users/" + id("user.admin_eve") + "/deactivate", json::object{{"reason", "left the company — au revoir"}}), 200);
        accepted(post_without_body("admin", "/v1/users/" + id("user.coach_finn") + "/deactivate"), 200);
        accepted(post_without_body("admin", "/v1/users/" + id("user.coach_finn") + "/reactivate"), 200);

        // Voice profiles and notification preferences.
        accepted(put("coach", "/v1/users/me/voice-profile", json::object{{"tone", "warm"}, {"sign_off", "Herzlich,\nCora 🌱"},
                                                                        {"phrases_to_avoid", json::array{"synergy", "circle back"}}}),
                 200);
        accepted(put("admin", "/v1/users/" + id("user.coach_dan") + "/voice-profile", json::object{{"tone", "direct"}}), 200);
        accepted(put("coach", "/v1/users/me/notification-preferences",
                     json::object{{"email_digest", "weekly"}, {"notify_on", json::array{"follow_up_failed", "action_item_overdue"}},
                                  {"quiet_hours_start", "20:00"}, {"quiet_hours_end", "07:00"}, {"time_zone", "Europe/Berlin"}}),
                 200);

        // Clients: full and minimal, for coaches, a lead, and by an admin for a coach.
        id("client.tomas") = id_of(post("coach", "/v1/clients", json::object{{"name", "Tomás Ruiz"}, {"email", "Tomas@Golden.example"},
                                                                             {"tags", json::array{"night shift", "новичок"}}, {"team", "Équipe Nord"}},
                                        {{"Idempotency-Key", "golden-client-tomas"}}));
        id("client.zoe") = id_of(post("coach", "/v1/clients", json::object{{"name", "Zoë Fischer"}}));
        id("client.priya") = id_of(post("coach_dan", "/v1/clients", json::object{{"name", "Priya Shah"}, {"email", "priya@golden.example"}, {"team", "South"}}));
        id("client.grace") = id_of(post("admin", "/v1/clients", json::object{{"name", "Grace Hopper"}, {"coach_id", id("user.coach_finn")},
                                                                             {"tags", json::array{"cobol"}}}));
        id("client.kenji") = id_of(post("coach_lead", "/v1/clients", json::object{{"name", "Kenji Watanabe 渡辺"}, {"email", "kenji@golden.example"}}));

        // Client logins: one invited by the admin, one by the client's coach's lead.
        invite("admin", "client", {{"name", "Tomás Ruiz"}, {"email", "tomas.login@golden.example"}, {"role", "client"}, {"password", "golden client password"},
                                   {"client_id", id("client.tomas")}});
        log_in("client");
        invite("coach_lead", "client_zoe", {{"name", "Zoë Fischer"}, {"email", "zoe.login@golden.example"}, {"role", "client"},
                                            {"password", "golden zoe password"}, {"client_id", id("client.zoe")}});
    }

    void metrics() {
        // 1001 rows: the first 1000 travel in metrics_import.staged, the last one in metrics_import.rows_staged.
        std::string big = "Agent,Date,CSAT\n";
        for (int day = 0; day < 1000; ++day) big += "Tomás Ruiz," + date_after(day) + "," + std::to_string(40 + day % 10).insert(1, ".") + "\n";
        big += "Zoë Fischer,2022-06-01,4.4\n";
        auto staged = accepted(post_csv("coach", "/v1/metrics/imports?file_name=kpis-2022-2024.csv", big));
        id("import.committed_large") = text(staged.at("id"));
        last_position_ = text(staged.at("position"));
        accepted(post("coach", "/v1/metrics/imports/" + id("import.committed_large") + "/commit", json::object{}), 200);

        // A later import in which Tomás's CSAT dropped by more than 10%: his next drafted summary gets a higher priority.
        auto drop = accepted(post_csv("coach", "/v1/metrics/imports?file_name=m%C3%A4rz.csv",
                                      "Agent,Date,CSAT,AHT (seconds)\nTomás Ruiz,2025-03-01,3.1,420\nZoë Fischer,2025-03-01,4.8,\n"));
        id("import.committed_drop") = text(drop.at("id"));
        accepted(post_without_body("coach", "/v1/metrics/imports/" + id("import.committed_drop") + "/commit"), 200);

        auto discarded = accepted(post_csv("coach_lead", "/v1/metrics/imports", "name,date,QA score\nKenji Watanabe 渡辺,2025-02-01,88%\n"));
        id("import.discarded") = text(discarded.at("id"));
        accepted(post("admin", "/v1/metrics/imports/" + id("import.discarded") + "/discard", json::object{}), 200);

        auto pending = accepted(post_csv("coach_dan", "/v1/metrics/imports?file_name=south.csv", "email,date,csat\npriya@golden.example,2025-02-02,4.2\n"));
        id("import.staged") = text(pending.at("id"));
    }

public:
    json::object session_one() {
        return json::object{{"session_date", "2025-03-04"}, {"session_type", "individual"}, {"clients", json::object{{"Tomás", id("client.tomas")}}},
                            {"coach_speaker", "Cora"}, {"transcript", json::object{{"format", "plain"}, {"text", s1_plain}}}};
    }

private:
    void sessions_and_summaries() {
        auto s1 = accepted(post("coach", "/v1/sessions", session_one(), {{"Idempotency-Key", "golden-session-1"}}));
        id("session.plain") = text(s1.at("id"));
        auto s2 = accepted(post("coach", "/v1/sessions", session_body("webvtt", s2_webvtt, "2025-03-05", "group_workshop")));
        id("session.webvtt") = text(s2.at("id"));
        auto s3 = accepted(post("coach_dan", "/v1/sessions", session_body("srt", s3_srt, "2025-02-10", "call_review")));
        id("session.srt") = text(s3.at("id"));
        auto s4 = accepted(post("coach", "/v1/sessions", session_body("json", s4_json, "2025-03-06", "individual")));
        id("session.json") = text(s4.at("id"));
        auto s5 = accepted(post("coach_lead", "/v1/sessions", session_body("plain", s5_plain_untimed, "2025-01-20", "individual")));
        id("session.plain_untimed") = text(s5.at("id"));

        auto s1_summaries = summaries_of(id("session.plain"));
        id("summary.tomas_plain") = summary_for(s1_summaries, id("client.tomas"));
        auto s2_summaries = summaries_of(id("session.webvtt"));
        REQUIRE(s2_summaries.size() == 3);
        id("summary.zoe_webvtt") = summary_for(s2_summaries, id("client.zoe"));
        id("summary.tomas_webvtt") = summary_for(s2_summaries, id("client.tomas"));
        for (const auto& summary : s2_summaries)
            if (text(summary.at("client_id")) != id("client.zoe") && text(summary.at("client_id")) != id("client.tomas")) {
                id("client.ngozi") = text(summary.at("client_id"));  // registered from the transcript's speaker
                id("summary.ngozi_webvtt") = text(summary.at("id"));
            }
        id("summary.priya_srt") = summary_for(summaries_of(id("session.srt"), "coach_dan"), id("client.priya"));
        id("summary.zoe_json") = summary_for(summaries_of(id("session.json")), id("client.zoe"));
        id("summary.kenji_untimed") = summary_for(summaries_of(id("session.plain_untimed"), "coach_lead"), id("client.kenji"));

        // Refine three times, approve, reopen with a reason, refine, approve again.
        const auto tomas = "/v1/summaries/" + id("summary.tomas_plain");
        accepted(post("coach", tomas + "/refine", json::object{{"message", "add action item: call the supplier by next Tuesday"}}), 200);
        accepted(post("coach", tomas + "/refine", json::object{{"message", "move action item 1 to next Monday"}}, {{"If-Match", "\"2\""}}), 200);
        accepted(post("coach", tomas + "/refine", json::object{{"message", "more encouraging"}}), 200);
        accepted(post("coach", tomas + "/approve", json::object{}), 200);
        accepted(post("coach", tomas + "/reopen", json::object{{"reason", "Tomás asked for one more step — gracias"}}), 200);
        accepted(post("coach_lead", tomas + "/refine", json::object{{"message", "add win: Stayed calm on every escalation"}}), 200);
        accepted(post("coach", tomas + "/approve", json::object{}, {{"Idempotency-Key", "golden-approve-again"}}), 200);

        accepted(post("coach", "/v1/summaries/" + id("summary.zoe_webvtt") + "/approve", json::object{}), 200);
        accepted(post("coach", "/v1/summaries/" + id("summary.ngozi_webvtt") + "/refine",
                      json::object{{"message", "add recommendation: Pair with Zoë on the ticket system — merci"}}),
                 200);
        accepted(post("coach_dan", "/v1/summaries/" + id("summary.priya_srt") + "/approve", json::object{}), 200);
        accepted(post("coach_lead", "/v1/summaries/" + id("summary.kenji_untimed") + "/approve", json::object{}), 200);
        accepted(post_without_body("admin", "/v1/summaries/" + id("summary.kenji_untimed") + "/reopen"), 200);
    }

    void action_items_and_notes() {
        auto a1 = accepted(post("coach", "/v1/action-items", json::object{{"client_id", id("client.tomas")}, {"title", "Read the de-escalation handbook 📘"},
                                                                          {"due_date", "2099-06-30"}}));
        id("action_item.rescheduled") = text(a1.at("id"));
        const auto a1_path = "/v1/action-items/" + id("action_item.rescheduled");
        accepted(post("client", a1_path + "/complete", json::object{}), 200);  // a client completes and reopens their own items
        accepted(post("client", a1_path + "/reopen", json::object{}), 200);
        accepted(post("coach", a1_path + "/reschedule", json::object{{"due_date", "2098-01-15"}}), 200);
        accepted(post("coach", a1_path + "/assign", json::object{{"owner_id", id("user.coach")}}), 200);

        id("action_item.cancelled") = id_of(post("coach", "/v1/action-items", json::object{{"client_id", id("client.tomas")}, {"title", "Book a shadowing slot"},
                                                                                           {"owner_id", id("user.coach")}}));
        accepted(post("coach", "/v1/action-items/" + id("action_item.cancelled") + "/cancel", json::object{{"reason", "not needed — erledigt"}}), 200);
        id("action_item.overdue") = id_of(post("admin", "/v1/action-items", json::object{{"client_id", id("client.zoe")}, {"title", "Send the Q1 checklist"},
                                                                                         {"due_date", "2001-02-03"}}));
        id("action_item.cancelled_no_reason") =
            id_of(post("coach", "/v1/action-items", json::object{{"client_id", id("client.zoe")}, {"title", "Shadow a colleague"}}));
        accepted(post_without_body("coach", "/v1/action-items/" + id("action_item.cancelled_no_reason") + "/cancel"), 200);

        // One item of an approved summary done by the coach.
        auto items = accepted(client_.get("/v1/action-items?client_id=" + id("client.tomas") + "&status=open&position=" + last_position_ + "&wait_ms=30000",
                                          token("coach")),
                              200);
        for (const auto& item : items.as_array())
            if (text(item.at("source")) == "summary") {
                id("action_item.from_summary_done") = text(item.at("id"));
                break;
            }
        REQUIRE_FALSE(id("action_item.from_summary_done").empty());
        accepted(post("coach", "/v1/action-items/" + id("action_item.from_summary_done") + "/complete", json::object{}), 200);

        id("note.addressed") =
            id_of(post("coach", "/v1/notes", json::object{{"client_id", id("client.tomas")}, {"text", "Mentioned a move to Zürich in März.\nAsk about it."}}));
        accepted(post("coach", "/v1/notes/" + id("note.addressed") + "/address", json::object{{"session_id", id("session.plain")}}), 200);
        id("note.open") = id_of(post("coach", "/v1/notes", json::object{{"client_id", id("client.zoe")}, {"text", "Wants to lead the checklist rollout"}}));
        id("note.lead") = id_of(post("coach_lead", "/v1/notes", json::object{{"client_id", id("client.kenji")}, {"text", "CRM training requested — 研修"}}));
    }

    void templates_and_follow_ups() {
        id("template.coach_email") = id_of(post("coach", "/v1/templates", json::object{{"kind", "email"}, {"name", "Récap hebdo"},
                                                                                      {"subject", "Our session on {{session_date}}"},
                                                                                      {"body", "Hi {{client_first_name}},\n\n{{action_items}}\n\n{{sign_off}}\n"}}));
        accepted(put("coach", "/v1/templates/" + id("template.coach_email"),
                     json::object{{"name", "Récap de la semaine"}, {"subject", "Notre séance du {{session_date}}"},
                                  {"body", "Hola {{client_first_name}},\n\nNext steps:\n{{action_items}}\n\n{{sign_off}}\n"}}),
                 200);
        id("template.coach_summary") =
            id_of(post("coach", "/v1/templates", json::object{{"kind", "summary"}, {"name", "Kurz"}, {"body", "{{client_name}}: {{wins}}"}}));
        id("template.coach_prompt") = id_of(post("coach", "/v1/templates", json::object{{"kind", "prompt"}, {"name", "Brief"},
                                                                                       {"body", "Be brief with {{client_first_name}}. {{message}}"}}));
        id("template.organization_email") = id_of(post("admin", "/v1/templates",
                                                       json::object{{"kind", "email"}, {"name", "Organisation recap"}, {"scope", "organization"},
                                                                    {"subject", "Your session on {{session_date}}"},
                                                                    {"body", "Dear {{client_name}},\n{{action_items}}\n{{coach_name}}"}}));
        id("template.lead_for_coach") = id_of(post("coach_lead", "/v1/templates",
                                                   json::object{{"kind", "summary"}, {"name", "Lead's format"}, {"coach_id", id("user.coach")},
                                                                {"body", "{{client_name}} — {{session_date}}\nWins:\n{{wins}}\nChallenges:\n{{challenges}}"}}));

        // Sent after one greylisted attempt (the stub's first two connections), then failed for good (the next two).
        id("follow_up.sent") = id_of(post("coach", "/v1/follow-ups", json::object{{"summary_id", id("summary.tomas_plain")}}));
        accepted(post("coach", "/v1/follow-ups/" + id("follow_up.sent") + "/send", json::object{}), 200);
        wait_for_follow_up(id("follow_up.sent"), "sent");
        id("follow_up.failed") = id_of(post("coach_dan", "/v1/follow-ups", json::object{{"summary_id", id("summary.priya_srt")}}));
        accepted(post("coach_dan", "/v1/follow-ups/" + id("follow_up.failed") + "/send", json::object{}), 200);
        wait_for_follow_up(id("follow_up.failed"), "failed");
        id("follow_up.draft") = id_of(post("coach", "/v1/follow-ups", json::object{{"summary_id", id("summary.zoe_webvtt")}, {"template_id", "system:email"},
                                                                                  {"to", "zoe.fischer@example.org"}, {"subject", "Ihre Sitzung — merci"}}));
    }

    void wait_for_follow_up(const std::string& follow_up, const std::string& status) {
        std::string seen;
        bool reached = eventually(std::chrono::seconds(60), [&] {
            auto read = client_.get("/v1/follow-ups/" + follow_up, token("admin"));
            if (read.status != 200) return false;
            seen = text(read.json().at("status"));
            return seen == status;
        });
        REQUIRE_MESSAGE(reached, "follow-up " << follow_up << " is " << seen << ", not " << status);
    }

    std::vector<std::string> targets() {
        std::vector<std::string> out{"/v1/users", "/v1/users/me", "/v1/clients", "/v1/action-items", "/v1/action-items?status=open",
                                     "/v1/action-items?status=done", "/v1/action-items?status=cancelled", "/v1/action-items?status=overdue",
                                     "/v1/action-items?client_id=" + id("client.tomas"), "/v1/action-items?owner_id=" + id("user.coach"),
                                     "/v1/action-items?client_id=" + id("client.zoe") + "&status=open", "/v1/templates", "/v1/templates?kind=email",
                                     "/v1/templates?kind=summary", "/v1/templates?kind=prompt", "/v1/follow-ups", "/v1/follow-ups?status=sent",
                                     "/v1/follow-ups?status=failed", "/v1/follow-ups?status=draft", "/v1/follow-ups?status=scheduled",
                                     "/v1/follow-ups?client_id=" + id("client.tomas"), "/v1/admin/dead-letters",
                                     "/v1/clients/" + id("client.tomas") + "/metrics?limit=3"};
        for (const auto& [name, value] : recording_.ids) {
            if (name.starts_with("user.")) out.push_back("/v1/users/" + value);
            if (name.starts_with("client.")) {
                out.push_back("/v1/clients/" + value);
                out.push_back("/v1/clients/" + value + "/metrics");
                out.push_back("/v1/clients/" + value + "/prep");
            }
            if (name.starts_with("session.")) {
                out.push_back("/v1/sessions/" + value);
                out.push_back("/v1/sessions/" + value + "/summaries");
                out.push_back("/v1/sessions/" + value + "/transcript");
            }
            if (name.starts_with("summary.")) out.push_back("/v1/summaries/" + value + "/document");
            if (name.starts_with("follow_up.")) out.push_back("/v1/follow-ups/" + value);
            if (name.starts_with("import.")) out.push_back("/v1/metrics/imports/" + value);
        }
        out.push_back("/v1/summaries/" + id("summary.tomas_plain") + "/document?template_id=" + id("template.lead_for_coach"));
        out.push_back("/v1/summaries/" + id("summary.tomas_plain") + "/document?template_id=system:email");
        return out;
    }
};

json::object answer_json(const std::string& as, const std::string& target, const HttpResult& result) {
    json::object answer{{"as", as}, {"get", target}, {"status", result.status}, {"content_type", result.header("content-type")},
                        {"etag", result.header("etag")}};
    const bool is_json = result.header("content-type").find("json") != std::string::npos;
    answer["body"] = is_json ? json::parse(result.body) : json::value(json::string(result.body));
    return answer;
}

// Every recorded login, each of which must answer its recorded status; the tokens of those that succeed.
std::map<std::string, std::string> log_in_all(const HttpClient& client, const json::array& accounts) {
    std::map<std::string, std::string> tokens;
    for (const auto& value : accounts) {
        const auto& account = value.as_object();
        auto login = client.post_json("/v1/auth/login", json::object{{"email", account.at("email")}, {"password", account.at("password")}});
        CAPTURE(text(account.at("key")));
        CHECK(login.status == account.at("login_status").as_int64());
        if (login.status == 200) tokens[text(account.at("key"))] = text(login.json().at("access_token"));
    }
    return tokens;
}

// The last record of the organization's partition, as a ?position= a read waits for.
std::string log_end_position(const std::string& events_topic) {
    auto records = read_topic(events_topic);
    REQUIRE_FALSE(records.empty());
    auto last = std::max_element(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
    return std::to_string(last->partition) + ":" + std::to_string(last->offset);
}

// Both read models have applied the whole log: a PostgreSQL read and a RocksDB read that wait for its last record.
void wait_for_read_models(const HttpClient& client, const std::string& events_topic, const std::string& token, const std::string& session) {
    const auto position = log_end_position(events_topic);
    int postgres = 0, rocksdb = 0;
    bool caught_up = eventually(std::chrono::seconds(120), [&] {
        postgres = client.get("/v1/action-items?position=" + position + "&wait_ms=5000", token).status;
        rocksdb = client.get("/v1/sessions/" + session + "/transcript?position=" + position + "&wait_ms=5000", token).status;
        return postgres == 200 && rocksdb == 200;
    });
    REQUIRE_MESSAGE(caught_up, "read models did not reach " << position << " (postgres " << postgres << ", rocksdb " << rocksdb << ")");
}

// Commands on the history's aggregates, asked after it was recorded: the write model rebuilt from an earlier build's
// log must know every aggregate's state and version (If-Match), the idempotency keys, e-mail addresses and client names.
struct Command {
    std::string as;
    std::string method;
    std::string target;
    std::string body;  // empty: no body
    Headers headers;
};

json::object command_json(const Command& command) {
    json::array headers;
    for (const auto& [name, value] : command.headers) headers.push_back(json::array{json::string(name), json::string(value)});
    return json::object{{"as", command.as}, {"method", command.method}, {"target", command.target}, {"body", command.body}, {"headers", std::move(headers)}};
}

Command command_from(const json::object& line) {
    Command command{text(line.at("as")), text(line.at("method")), text(line.at("target")), text(line.at("body")), {}};
    for (const auto& header : line.at("headers").as_array()) command.headers.emplace_back(text(header.as_array().at(0)), text(header.as_array().at(1)));
    return command;
}

// The answer without what depends on where records landed: positions are partition:offset, and a replay's offsets differ.
json::value without_positions(json::value value) {
    if (value.is_object()) {
        value.as_object().erase("position");
        for (auto& [key, field] : value.as_object()) field = without_positions(field);
    } else if (value.is_array()) {
        for (auto& item : value.as_array()) item = without_positions(item);
    }
    return value;
}

json::object run_command(const HttpClient& client, const std::map<std::string, std::string>& tokens, const Command& command) {
    auto headers = command.headers;
    headers.emplace_back("Authorization", "Bearer " + tokens.at(command.as));
    if (!command.body.empty()) headers.emplace_back("Content-Type", "application/json");
    auto result = client.request(command.method, command.target, command.body, headers);
    auto answer = command_json(command);
    answer["status"] = result.status;
    answer["answer"] = result.body.empty() ? json::value{} : without_positions(json::parse(result.body));
    return answer;
}

std::vector<Command> follow_on_commands(const HttpClient& client, const std::map<std::string, std::string>& tokens, const std::map<std::string, std::string>& ids,
                                        const json::object& session_one) {
    auto version = [&](const std::string& target, const std::string& id) {
        auto listed = client.get(target, tokens.at("admin"));
        REQUIRE(listed.status == 200);
        const auto items = listed.json();
        for (const auto& item : items.as_array())
            if (text(item.at("id")) == id) return "\"" + std::to_string(item.at("version").as_int64()) + "\"";
        FAIL("no " << id << " in " << target);
        return std::string{};
    };
    auto body = [](const json::object& object) { return json::serialize(object); };
    const auto& id = [&](const char* name) -> const std::string& { return ids.at(name); };
    return {
        {"coach", "POST", "/v1/summaries/" + id("summary.ngozi_webvtt") + "/refine", body({{"message", "add win: Asked good questions"}}),
         {{"If-Match", version("/v1/sessions/" + id("session.webvtt") + "/summaries", id("summary.ngozi_webvtt"))}}},
        {"coach", "POST", "/v1/summaries/" + id("summary.zoe_json") + "/approve", "", {}},
        {"coach", "POST", "/v1/summaries/" + id("summary.tomas_plain") + "/reopen", body({{"reason", "one more time"}}),
         {{"If-Match", version("/v1/sessions/" + id("session.plain") + "/summaries", id("summary.tomas_plain"))}}},
        {"coach_lead", "POST", "/v1/summaries/" + id("summary.kenji_untimed") + "/approve", "", {}},
        {"coach", "POST", "/v1/action-items/" + id("action_item.rescheduled") + "/reschedule", body({{"due_date", "2097-05-05"}}),
         {{"If-Match", version("/v1/action-items", id("action_item.rescheduled"))}}},
        {"client", "POST", "/v1/action-items/" + id("action_item.from_summary_done") + "/reopen", "", {}},
        {"coach", "POST", "/v1/action-items/" + id("action_item.cancelled") + "/complete", "", {}},
        {"admin", "POST", "/v1/action-items/" + id("action_item.overdue") + "/assign", body({{"owner_id", id("user.coach")}}), {}},
        {"coach", "POST", "/v1/notes/" + id("note.open") + "/address", body({{"session_id", id("session.json")}}), {}},
        {"coach", "POST", "/v1/notes/" + id("note.addressed") + "/address", body({{"session_id", id("session.plain")}}), {}},
        {"coach", "PUT", "/v1/templates/" + id("template.coach_email"), body({{"name", "Récap final"}}),
         {{"If-Match", version("/v1/templates?kind=email", id("template.coach_email"))}}},
        {"coach_dan", "POST", "/v1/metrics/imports/" + id("import.staged") + "/commit", "", {}},
        {"admin", "POST", "/v1/metrics/imports/" + id("import.committed_large") + "/discard", "", {}},
        {"admin", "POST", "/v1/metrics/imports/" + id("import.discarded") + "/commit", "", {}},
        {"admin", "POST", "/v1/users/" + id("user.coach_finn") + "/role", body({{"role", "coach_lead"}}), {}},
        {"admin", "POST", "/v1/users/" + id("user.admin_eve") + "/reactivate", "", {}},
        {"coach", "PUT", "/v1/users/me/voice-profile", body({{"tone", "formal"}, {"sign_off", "Best,\nCora"}}), {}},
        {"coach", "POST", "/v1/clients", body({{"name", "tomás  RUIZ"}}), {}},
        {"admin", "POST", "/v1/users", body({{"name", "Copy"}, {"email", "CORA@golden.example"}, {"role", "coach"}, {"password", "another password 1"}}), {}},
        {"coach", "POST", "/v1/follow-ups/" + id("follow_up.sent") + "/send", "", {}},
        {"coach", "POST", "/v1/sessions", body(session_one), {{"Idempotency-Key", "golden-session-1"}}},
    };
}

void record_fixture() {
    // Sends after one 451 succeed on the second attempt; a follow-up refused twice with 550 gives up (2 attempts at most).
    testing::StubSmtpServer relay(std::vector<testing::StubSmtpServer::Script>{
        {{"RCPT", "451 4.7.1 greylisted, try again later"}}, {}, {{"RCPT", "550 5.1.1 mailbox unavailable"}}, {{"RCPT", "550 5.1.1 mailbox unavailable"}}});
    Deployment deployment("golden_record");
    DebriefProcess debrief(deployment, {{"DEBRIEF_SMTP_HOST", "127.0.0.1"},
                                        {"DEBRIEF_SMTP_PORT", std::to_string(relay.port())},
                                        {"DEBRIEF_MAIL_FROM", "Golden Coaching <coaching@golden.example>"},
                                        {"DEBRIEF_DELIVERY_RETRY_BASE_MS", "200"},
                                        {"DEBRIEF_DELIVERY_MAX_ATTEMPTS", "2"}});
    auto client = debrief.client();
    HistoryDriver driver(client);
    auto recording = driver.run();

    json::array accounts;
    for (const auto& account : recording.accounts) {
        auto login = client.post_json("/v1/auth/login", json::object{{"email", account.email}, {"password", account.password}});
        accounts.push_back(json::object{{"key", account.key},         {"role", account.role},         {"email", account.email},
                                        {"password", account.password}, {"user_id", account.user_id}, {"login_status", login.status}});
    }
    auto tokens = log_in_all(client, accounts);
    wait_for_read_models(client, deployment.events_topic, tokens.at("admin"), recording.ids.at("session.plain"));

    std::string answers;
    for (const auto& role : reader_roles)
        for (const auto& target : recording.targets) answers += json::serialize(answer_json(role, target, client.get(target, tokens.at(role)))) + "\n";

    std::string records;
    std::string recorded_at;
    const std::vector<std::pair<std::string, std::string>> topics{
        {"events", deployment.events_topic}, {"credentials", deployment.credentials_topic}, {"keys", deployment.keys_topic},
        {"dead_letters", deployment.events_topic + ".dlq"}};
    json::object topic_settings;
    for (const auto& [role, topic] : topics) {
        auto read = read_topic(topic);
        std::sort(read.begin(), read.end(), [](const auto& a, const auto& b) { return std::pair{a.partition, a.offset} < std::pair{b.partition, b.offset}; });
        if (role == "dead_letters") REQUIRE_MESSAGE(read.empty(), "the golden history must not leave dead letters");
        for (const auto& record : read) {
            records += json::serialize(record_json(role, record)) + "\n";
            if (role == "events") recorded_at = std::max(recorded_at, record.headers.at("ce_time"));
        }
        // As Debrief creates its topics (events/kafka_event_log.cpp, ensure_topics).
        json::object config{{"retention.ms", "-1"}};
        if (role == "credentials" || role == "keys") config["cleanup.policy"] = "compact";
        topic_settings[role] = json::object{{"partitions", topic_ends(topic).size()}, {"config", std::move(config)}};
    }
    // Every event type this build has must be in the history, except those named (with why) as not reachable.
    std::set<std::string> types;
    for (const auto& record : read_topic(deployment.events_topic))
        if (auto event = events::decode(record.value, nullptr)) types.insert(std::string(events::type_name(event->payload)));
    auto expected = all_event_types(std::make_index_sequence<std::variant_size_v<events::Payload>>{});
    for (const auto& type : not_reachable_over_http) expected.erase(type);
    for (const auto& type : expected) REQUIRE_MESSAGE(types.contains(type), "the recorded history has no " << type << ": drive it in HistoryDriver");
    json::array event_types;
    for (const auto& type : types) event_types.push_back(json::string(type));
    json::object ids;
    for (const auto& [name, value] : recording.ids) ids[name] = value;
    json::object manifest{{"format", 1},
                          {"description", "One organization's whole history as Debrief left it on its topics, and every GET answer as each role saw it"},
                          {"organization_id", recording.ids.at("organization")},
                          {"recorded_at", recorded_at},
                          {"master_key", read_text(deployment.master_key_file).value()},
                          {"topics", std::move(topic_settings)},
                          {"event_types", std::move(event_types)},
                          {"accounts", std::move(accounts)},
                          {"ids", std::move(ids)}};
    // Last, once the topics are dumped: the commands after the history, as the recording build answers them.
    std::string follow_on;
    for (const auto& command : follow_on_commands(client, tokens, recording.ids, driver.session_one()))
        follow_on += json::serialize(run_command(client, tokens, command)) + "\n";
    write_text(history_dir() / follow_on_file, follow_on);
    write_text(history_dir() / records_file, records);
    write_text(history_dir() / answers_file, answers);
    write_text(history_dir() / manifest_file, json::serialize(manifest) + "\n");
    MESSAGE("wrote the golden history to " << history_dir().string());
}

// ---------------------------------------------------------------------------------------------------------------
// Checks that need no services: the recorded records against this build's codec

// The master key of the recording (histories recorded before sealing have none: their events are in clear) and the
// subject keys it left on its keys topic: what opens the recorded events.
std::string recorded_master_key(const Fixture& fixture) {
    if (const auto* key = fixture.manifest.if_contains("master_key")) return text(*key);
    return std::string(64, '0');
}

std::unique_ptr<events::KeyRing> recorded_keys(const Fixture& fixture) {
    auto keys = std::make_unique<events::KeyRing>(events::MasterKey::from_text(recorded_master_key(fixture)).value());
    for (const auto& line : fixture.records)
        if (text(line.at("topic")) == "keys") REQUIRE(keys->load(record_from(line).value).ok());
    return keys;
}

void check_recorded_records(const Fixture& fixture) {
    const auto organization = text(fixture.manifest.at("organization_id"));
    const auto credential_headers = read_text(fs::path(DEBRIEF_SOURCE_DIR) / "tests/fixtures/events/credential.headers");
    REQUIRE_MESSAGE(credential_headers, "tests/fixtures/events/credential.headers is missing (see golden_events_test.cpp)");
    std::set<std::string> types;
    std::set<std::string> event_ids;
    std::set<int> partitions;
    const auto keys = recorded_keys(fixture);
    for (const auto& line : fixture.records) {
        auto record = record_from(line);
        const auto topic = text(line.at("topic"));
        CAPTURE(topic);
        CAPTURE(record.offset);
        if (topic == "events") {
            auto event = events::decode(record.value, keys.get());
            REQUIRE_MESSAGE(event.ok(), "a recorded event does not decode: " << event.error().code << " " << event.error().message);
            CHECK(record.key == organization);
            CHECK(event->metadata.organization_id.value == organization);
            CHECK(record.header_list == events::cloud_event_headers(event.value()));
            CHECK(event_ids.insert(event->metadata.event_id).second);
            types.insert(std::string(events::type_name(event->payload)));
            partitions.insert(record.partition);
        } else if (topic == "credentials") {
            auto credential = events::decode_credential(record.value);
            REQUIRE(credential.ok());
            CHECK(record.key == credential->user_id.value);
            CHECK(credential->organization_id.value == organization);
            std::string lines;
            for (const auto& [name, value] : record.header_list) lines += name + ": " + value + "\n";
            CHECK(lines == *credential_headers);
        } else {
            FAIL_CHECK("a record of topic " << topic << ": the golden history has no dead letters");
        }
    }
    CHECK(partitions.size() == 1);  // the organization id is the key: one tenant, one partition, in order
    // The history holds the event types its manifest lists: every type the recording build had (record_fixture).
    std::set<std::string> listed;
    for (const auto& type : fixture.manifest.at("event_types").as_array()) listed.insert(text(type));
    CHECK(types == listed);

    // Every read route is recorded, with a 200 for the admin.
    std::set<std::string> answered;
    for (const auto& answer : fixture.answers)
        if (text(answer.at("as")) == "admin" && answer.at("status").as_int64() == 200) answered.insert(route_of(text(answer.at("get"))));
    for (const auto& route : read_routes) CHECK_MESSAGE(answered.contains(route), "no recorded admin answer for " << route);
}

// `overdue` compares a due date with today. The recording keeps it stable: every due date is before the day it was
// recorded (overdue or not, forever) or after 2090. This holds the recording to that.
void check_due_dates_are_stable(const json::value& value, const std::string& recorded_day) {
    if (value.is_array()) {
        for (const auto& item : value.as_array()) check_due_dates_are_stable(item, recorded_day);
    } else if (value.is_object()) {
        for (const auto& [key, field] : value.as_object()) {
            if (key == "due_date" && field.is_string()) {
                auto due = text(field);
                CHECK_MESSAGE((due < recorded_day || due >= "2090-01-01"), "due date " << due << " would make `overdue` change with the calendar");
            }
            check_due_dates_are_stable(field, recorded_day);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The replay: the recorded records into fresh topics, a fresh Debrief, every recorded GET

// Fields whose value depends on the moment of the request rather than on the history, with why. Each is replaced by
// a marker in both the recorded and the fresh answer before they are compared. None today: `overdue` is kept stable
// by the choice of dates (check_due_dates_are_stable), and every timestamp an answer shows comes from an event.
const std::set<std::string> clock_fields{};

void normalise(json::value& value) {
    if (value.is_array()) {
        for (auto& item : value.as_array()) normalise(item);
    } else if (value.is_object()) {
        for (auto& [key, field] : value.as_object()) {
            if (clock_fields.contains(std::string(key))) field = "<depends on the clock>";
            normalise(field);
        }
    }
}

// Answers this build gives differently from the build that recorded the history, on purpose, each for a reason
// docs/event-schemas.md lists ("Deliberate answer changes"); never a change of what the log says. Each rewrites
// the recorded answers into the ones this build must give, so the comparison below stays exact.
std::vector<json::object> with_deliberate_changes(std::vector<json::object> answers) {
    // Issue 9, minimum necessary: a client reads a session as it concerns them, and no session prep. Their own
    // client record is the one their GET /v1/clients lists.
    auto is_client_get = [](const json::object& a, auto&& predicate) { return text(a.at("as")) == "client" && predicate(text(a.at("get"))); };
    std::string own;
    for (const auto& a : answers)
        if (is_client_get(a, [](const std::string& g) { return g == "/v1/clients"; }) && a.at("body").is_array() && a.at("body").as_array().size() == 1)
            own = text(a.at("body").as_array()[0].at("id"));
    REQUIRE_MESSAGE(!own.empty(), "the history's client lists no client record of their own");
    auto session_of = [](const std::string& get) { return get.substr(0, get.find('/', std::string("/v1/sessions/").size())); };
    std::map<std::string, std::set<std::string>> own_speakers;  // session path -> what the client's turns are named
    for (auto& a : answers) {
        const auto get = text(a.at("get"));
        if (!is_client_get(a, [&](const std::string& g) { return g.rfind("/v1/sessions/", 0) == 0 && session_of(g) == g; }) || a.at("status") != 200) continue;
        json::array kept;
        for (const auto& p : a.at("body").at("participants").as_array()) {
            const bool mine = p.at("client_id").is_string() && text(p.at("client_id")) == own;
            if (mine) own_speakers[get].insert(text(p.at("name")));
            if (mine || text(p.at("role")) == "coach") kept.push_back(p);
        }
        a["body"].as_object()["participants"] = std::move(kept);
    }
    for (auto& a : answers) {
        const auto get = text(a.at("get"));
        if (is_client_get(a, [](const std::string& g) { return g.size() > 11 && g.ends_with("/transcript"); }) && a.at("status") == 200) {
            const auto& body = a.at("body").as_object();
            json::array segments;
            for (const auto& segment : body.at("segments").as_array())
                if (own_speakers[session_of(get)].contains(text(segment.at("speaker")))) segments.push_back(segment);
            a["body"] = json::object{{"format", body.at("format")}, {"segments", std::move(segments)}, {"scope", "own_segments"}};
        } else if (is_client_get(a, [](const std::string& g) { return g.rfind("/v1/clients/", 0) == 0 && g.ends_with("/prep"); })) {
            a["status"] = 403;
            a["content_type"] = "application/problem+json";
            a["etag"] = "";
            a["body"] = json::object{{"type", "https://debrief.dev/problems/forbidden"},
                                     {"title", "Forbidden"},
                                     {"status", 403},
                                     {"detail", "session prep is for coaches; a client reads their own action items and approved summaries"},
                                     {"code", "forbidden"}};
        }
    }
    return answers;
}

// from_snapshot: the build reads the history once, writes its write model's snapshot, is stopped, and is started
// again from that snapshot (reading no event): every answer must be the same as from the whole log.
void replay_and_compare(const Fixture& fixture, bool from_snapshot) {
    Deployment deployment(from_snapshot ? "golden_snapshot" : "golden_replay");
    const auto& topics = fixture.manifest.at("topics").as_object();
    auto config_of = [&](const char* role) {
        std::map<std::string, std::string> config;
        for (const auto& [name, value] : topics.at(role).at("config").as_object()) config[std::string(name)] = text(value);
        return config;
    };
    auto partitions_of = [&](const char* role) { return static_cast<int>(topics.at(role).at("partitions").as_int64()); };
    create_topic(deployment.events_topic, partitions_of("events"), config_of("events"));
    create_topic(deployment.credentials_topic, partitions_of("credentials"), config_of("credentials"));
    std::vector<TopicRecord> events_records, credential_records, key_records;
    for (const auto& line : fixture.records) {
        const auto topic = text(line.at("topic"));
        if (topic == "events") events_records.push_back(record_from(line));
        if (topic == "credentials") credential_records.push_back(record_from(line));
        if (topic == "keys") key_records.push_back(record_from(line));
    }
    // The recording's keys, under the master key it was made with (histories from before sealing have neither).
    if (topics.contains("keys")) {
        create_topic(deployment.keys_topic, partitions_of("keys"), config_of("keys"));
        produce_records(deployment.keys_topic, key_records);
    }
    write_text(deployment.master_key_file, recorded_master_key(fixture));
    produce_records(deployment.credentials_topic, credential_records);
    produce_records(deployment.events_topic, events_records);
    REQUIRE(total_records(deployment.events_topic) == static_cast<std::int64_t>(events_records.size()));
    const auto ends_before = topic_ends(deployment.events_topic);

    // A build started on an earlier build's topics: it reads the whole history at start.
    std::map<std::string, std::string> settings;
    if (from_snapshot) settings["DEBRIEF_SNAPSHOT_EVERY_EVENTS"] = "1";
    auto started = std::make_unique<DebriefProcess>(deployment, settings);
    if (from_snapshot) {
        const auto written = "\"event\":\"snapshot_written\",\"reason\":\"start\"";
        REQUIRE_MESSAGE(started->log_tail(1'000'000).find(written) != std::string::npos, "no snapshot at start:\n" << started->log_tail());
        REQUIRE(started->stop() == 0);
        started = std::make_unique<DebriefProcess>(deployment, settings);
        const auto log = started->log_tail(1'000'000);
        CHECK_MESSAGE(log.find("\"event\":\"snapshot_restored\"") != std::string::npos, log);
        CHECK_MESSAGE(log.find("\"event\":\"write_model_rebuilt\",\"events\":0,") != std::string::npos, log);
    }
    auto& debrief = *started;
    auto client = debrief.client();
    const auto& accounts = fixture.manifest.at("accounts").as_array();
    auto tokens = log_in_all(client, accounts);
    for (const auto& role : reader_roles) REQUIRE_MESSAGE(tokens.contains(role), "no login for " << role);
    wait_for_read_models(client, deployment.events_topic, tokens.at("admin"), text(fixture.manifest.at("ids").at("session.plain")));

    const auto recorded_day = text(fixture.manifest.at("recorded_at")).substr(0, 10);
    std::size_t differences = 0;
    const auto answers = with_deliberate_changes(fixture.answers);
    for (const auto& recorded : answers) {
        const auto as = text(recorded.at("as"));
        const auto target = text(recorded.at("get"));
        check_due_dates_are_stable(recorded.at("body"), recorded_day);
        auto fresh = answer_json(as, target, client.get(target, tokens.at(as)));
        json::value expected = recorded, actual = fresh;
        normalise(expected);
        normalise(actual);
        if (expected != actual) {
            ++differences;
            if (differences <= 20)
                FAIL_CHECK("GET " << target << " as " << as << " answers differently from the build that wrote the history\n  recorded: "
                                  << json::serialize(expected) << "\n  now:      " << json::serialize(actual));
        }
    }
    CHECK_MESSAGE(differences == 0, differences << " of " << fixture.answers.size() << " recorded answers differ");
    // Reading the history appended nothing (no parse resumed, no follow-up sent again, no dead letter).
    CHECK(topic_ends(deployment.events_topic) == ends_before);
    CHECK(total_records(deployment.events_topic + ".dlq") == 0);

    // Commands on the history's aggregates answer as they did for the recording build: same status, same state and
    // version (a wrong version would be a 409 for the If-Match ones), same refusals.
    for (const auto& recorded : fixture.follow_on) {
        auto command = command_from(recorded);
        auto fresh = run_command(client, tokens, command);
        CHECK_MESSAGE(json::value(fresh) == json::value(recorded), command.method << " " << command.target << " as " << command.as
                                                                                  << " answers differently after the history\n  recorded: "
                                                                                  << json::serialize(recorded) << "\n  now:      " << json::serialize(fresh));
    }
}

}  // namespace

TEST_CASE("golden history: a build started on an earlier build's topics answers every read as that build did") {
    if (!load_fixture()) {
        if (!writing_allowed()) FAIL("no golden history in " << history_dir().string() << ": record one with DEBRIEF_WRITE_GOLDEN=1 (docs/event-schemas.md)");
        record_fixture();
    } else if (writing_allowed()) {
        MESSAGE("the golden history exists and is the contract: it is read, never re-recorded (docs/event-schemas.md)");
    }
    auto fixture = load_fixture();
    REQUIRE(fixture);
    check_recorded_records(*fixture);
    replay_and_compare(*fixture, false);
}

TEST_CASE("golden history: started again from its write model's snapshot, a build answers every read and command as from the whole log") {
    auto fixture = load_fixture();
    REQUIRE_MESSAGE(fixture, "no golden history in " << history_dir().string());
    replay_and_compare(*fixture, true);
}
