// Exports on the real broker: every event of the organization once as a CloudEvent JSON line (and none of another
// organization's), sealed fields opened, filters by type and time, CSV of one type, an erased client's fields empty,
// the command line's export equal to the route's, refusals, and the audit record.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "events/cloudevents.hpp"
#include "events/codec.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string text(const json::value& value) { return std::string(value.as_string()); }

std::vector<json::object> lines_of(const std::string& body) {
    std::vector<json::object> out;
    std::istringstream in(body);
    std::string line;
    while (std::getline(in, line)) {
        REQUIRE_FALSE(line.empty());
        out.push_back(json::parse(line).as_object());
    }
    return out;
}

std::vector<std::string> csv_lines(const std::string& body) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < body.size();) {
        auto end = body.find("\r\n", start);
        REQUIRE(end != std::string::npos);  // every row ends with CRLF
        out.push_back(body.substr(start, end - start));
        start = end + 2;
    }
    return out;
}

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("exports: CloudEvents JSON lines and CSV of the organization's events, opened, filtered, audited") {
    Deployment deployment("export");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto admin = sign_up(client, "Export Coaching");
    auto other = sign_up(client, "Other Coaching");
    const auto& token = admin.access_token;
    auto priya = client.post_json("/v1/clients", json::object{{"name", "Priya Shah"}, {"email", "priya@example.com"}}, token);
    REQUIRE_MESSAGE(priya.status == 201, priya.body);
    const auto priya_id = text(priya.json().at("id"));
    auto omar = client.post_json("/v1/clients", json::object{{"name", "Omar Haddad"}}, token);
    REQUIRE(omar.status == 201);
    const auto omar_id = text(omar.json().at("id"));
    REQUIRE(client.post_json("/v1/clients", json::object{{"name", "Someone Else"}}, other.access_token).status == 201);
    auto session = client.post_json("/v1/sessions", session_body("plain", "Coach: Hello.\nPriya Shah: The week went fine.", "2026-11-18"), token);
    REQUIRE_MESSAGE(session.status == 201, session.body);
    auto note = client.post_json("/v1/notes", json::object{{"client_id", omar_id}, {"text", "Moving teams, \"soon\", ask"}}, token);
    REQUIRE(note.status == 201);
    const auto written_ms = wall_ms();

    // Everything of this organization, once each, in the log's order per partition.
    std::set<std::string> on_topic;
    for (const auto& record : read_topic(deployment.events_topic))
        if (record.key == admin.organization_id) {
            auto decoded = events::decode(record.value, nullptr);
            REQUIRE(decoded);
            on_topic.insert(decoded->metadata.event_id);
        }
    auto all = client.get("/v1/admin/export", token);
    REQUIRE_MESSAGE(all.status == 200, all.body);
    CHECK(all.header("content-type") == "application/x-ndjson");
    CHECK(all.header("transfer-encoding") == "chunked");
    const auto events = lines_of(all.body);
    std::set<std::string> exported;
    for (const auto& e : events) {
        CHECK(text(e.at("specversion")) == "1.0");
        CHECK(text(e.at("organizationid")) == admin.organization_id);
        CHECK(text(e.at("source")) == "/debrief/organizations/" + admin.organization_id);
        CHECK(text(e.at("datacontenttype")) == "application/json");
        CHECK(e.at("data").is_object());
        CHECK(events::parse_position(text(e.at("logposition"))).has_value());
        CHECK(exported.insert(text(e.at("id"))).second);
    }
    CHECK(exported == on_topic);
    // Sealed fields come out opened for the admin.
    auto find = [&](const std::vector<json::object>& list, const std::string& type, const std::string& field, const std::string& value) {
        for (const auto& e : list)
            if (text(e.at("type")) == type && text(e.at("data").at(field)) == value) return &e;
        return static_cast<const json::object*>(nullptr);
    };
    const auto* registered = find(events, "debrief.client.registered", "client_id", priya_id);
    REQUIRE(registered != nullptr);
    CHECK(text(registered->at("data").at("name")) == "Priya Shah");
    CHECK(text(registered->at("data").at("email")) == "priya@example.com");
    CHECK_FALSE(registered->contains("unopenedseals"));

    // By type, and by time.
    auto sessions = client.get("/v1/admin/export?type=debrief.session.*", token);
    REQUIRE(sessions.status == 200);
    const auto session_events = lines_of(sessions.body);
    REQUIRE_FALSE(session_events.empty());
    for (const auto& e : session_events) CHECK(text(e.at("type")).starts_with("debrief.session."));
    CHECK(lines_of(client.get("/v1/admin/export?from=" + events::rfc3339_utc(written_ms + 60'000), token).body).empty());
    CHECK(lines_of(client.get("/v1/admin/export?to=2020-01-01", token).body).empty());
    CHECK(lines_of(client.get("/v1/admin/export?from=2020-01-01&to=" + events::rfc3339_utc(written_ms + 60'000), token).body).size() == events.size());

    // CSV of one type: the header, then one row per note, quoted where it must be.
    auto csv = client.get("/v1/admin/export?type=debrief.note.added&format=csv", token);
    REQUIRE_MESSAGE(csv.status == 200, csv.body);
    CHECK(csv.header("content-type") == "text/csv; charset=utf-8");
    const auto rows = csv_lines(csv.body);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == "id,time,type,subject,organizationid,aggregateversion,actorid,correlationid,logposition,note_id,client_id,coach_id,text");
    CHECK(rows[1].find(",debrief.note.added,") != std::string::npos);
    CHECK(rows[1].ends_with(",\"Moving teams, \"\"soon\"\", ask\""));

    // The command line's export is the route's.
    const auto path = std::filesystem::temp_directory_path() / ("debrief-export-" + deployment.name + ".jsonl");
    const auto command = TestServices::get().debrief_binary + " export --url http://127.0.0.1:" + std::to_string(debrief.port()) +
                         " --organization " + admin.organization_id + " --token '" + token + "' --output " + path.string() + " 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    std::ifstream file(path);
    std::stringstream from_file;
    from_file << file.rdbuf();
    CHECK(from_file.str() == all.body);
    std::filesystem::remove(path);
    const auto refused_command = TestServices::get().debrief_binary + " export --url http://127.0.0.1:" + std::to_string(debrief.port()) +
                                 " --organization " + admin.organization_id + " --token '" + token + "' --format csv > /dev/null 2>&1";
    const int refused_status = std::system(refused_command.c_str());
    CHECK((WIFEXITED(refused_status) && WEXITSTATUS(refused_status) == 1));

    // Refusals.
    auto code_of = [&](const std::string& query, const std::string& as) { return text(client.get("/v1/admin/export" + query, as).json().at("code")); };
    CHECK(code_of("?format=csv", token) == "csv_needs_one_type");
    CHECK(code_of("?type=debrief.session.*&format=csv", token) == "csv_needs_one_type");
    CHECK(code_of("?type=nothing.like.this", token) == "invalid_type");
    CHECK(code_of("?format=xml", token) == "invalid_format");
    CHECK(code_of("?from=yesterday", token) == "invalid_date");
    CHECK(code_of("?from=2026-12-01&to=2026-11-01", token) == "invalid_date_range");
    CHECK(code_of("?colour=red", token) == "invalid_filter");
    CHECK(code_of("?organization_id=" + other.organization_id, token) == "forbidden");
    const auto [coach_id, as_coach] = invite(client, token, "Cora Vance", "cora@example.com", "coach");
    CHECK(code_of("", as_coach) == "forbidden");
    (void)coach_id;

    // An erased client's fields come out empty, the subject named.
    auto erased = client.post_json("/v1/clients/" + priya_id + "/erase", json::object{}, token);
    REQUIRE_MESSAGE(erased.status == 200, erased.body);
    const auto after = lines_of(client.get("/v1/admin/export?type=debrief.client.*", token).body);
    const auto* gone = find(after, "debrief.client.registered", "client_id", priya_id);
    REQUIRE(gone != nullptr);
    CHECK(text(gone->at("data").at("name")).empty());
    CHECK(text(gone->at("data").at("email")).empty());
    CHECK(text(gone->at("unopenedseals")).find("client:" + priya_id) != std::string::npos);
    CHECK(text(find(after, "debrief.client.registered", "client_id", omar_id)->at("data").at("name")) == "Omar Haddad");

    // Every export is in the audit trail.
    CHECK(eventually(std::chrono::seconds(20), [&] {
        auto trail = client.get("/v1/admin/audit?actor_id=" + admin.user_id, token);
        if (trail.status != 200) return false;
        const auto records = trail.json();  // kept: a range-for over a temporary's member would dangle
        for (const auto& r : records.as_array())
            if (text(r.at("action")) == "events.export") return true;
        return false;
    }));
}
