// Rebuilding the PostgreSQL read model inside a running Debrief (POST /v1/admin/rebuilds {"read_model":"postgres"}
// and `debrief rebuild postgres`): from the first event into a fresh schema while the live tables serve and take
// writes, equal to them table by table at the switch, readers and the projector on the fresh tables afterwards, the
// old copy gone, and the copies a crash leaves dropped at the next start.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <atomic>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string text(const json::value& value) { return std::string(value.as_string()); }

struct TableState {
    std::string oid, rows, digest;
};

// Every table the rebuild replaces: which table it is (its oid), how many rows, and a digest of all of them.
std::map<std::string, TableState> read_model_tables(const Deployment& deployment) {
    std::map<std::string, TableState> tables;
    for (const auto& row : query(deployment, "select tablename from pg_tables where schemaname = 'public' and tablename not in "
                                             "('audit_records', 'projection_offsets', 'projection_dead_letters', 'schema_migrations')")) {
        const auto& name = row[0];
        auto state = query(deployment, "select 'public." + name + "'::regclass::oid::text, count(*)::text, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from public." +
                                               name + " t")[0];
        tables[name] = {state[0], state[1], state[2]};
    }
    return tables;
}

json::object finished(const HttpClient& client, const std::string& token, const std::string& id) {
    json::object status;
    INFO("the rebuild's last status: " << json::serialize(status));
    REQUIRE(eventually(std::chrono::seconds(120), [&] {
        auto r = client.get("/v1/admin/rebuilds/" + id, token);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        status = r.json().as_object();
        return status.at("state") == "done" || status.at("state") == "failed";
    }));
    return status;
}

// /readyz asked again and again while it lives: a switch to the rebuilt copy is no outage, so every answer is 200.
class ReadinessWatch {
public:
    explicit ReadinessWatch(HttpClient client)
        : thread_([this, client = std::move(client)] {
              while (!done_) {
                  auto r = client.get("/readyz");
                  ++answers_;
                  if (r.status != 200) {
                      std::lock_guard lock(mutex_);
                      refusals_.push_back(std::to_string(r.status) + " " + r.body);
                  }
              }
          }) {}
    ~ReadinessWatch() { stop(); }
    void stop() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
    }
    int answers() const { return answers_; }
    std::vector<std::string> refusals() {
        std::lock_guard lock(mutex_);
        return refusals_;
    }

private:
    std::atomic<bool> done_{false};
    std::atomic<int> answers_{0};
    std::mutex mutex_;
    std::vector<std::string> refusals_;
    std::thread thread_;
};

}  // namespace

TEST_CASE("a rebuild of the PostgreSQL read model runs beside the live tables, equals them table by table, and replaces them") {
    Deployment deployment("pgrebuild");
    auto debrief = std::make_unique<DebriefProcess>(deployment);
    auto client = debrief->client();
    auto admin = sign_up(client, "Rebuild Tables Coaching");
    const auto& token = admin.access_token;
    const auto [coach, as_coach] = it::invite(client, token, "Rhea Stone", "rhea@example.com", "coach");
    std::string position;
    auto remember = [&](const HttpResult& r) {
        REQUIRE_MESSAGE((r.status == 200 || r.status == 201), r.body);
        position = text(r.json().at("position"));
        return r.json();
    };
    const auto client_id = text(remember(client.post_json("/v1/clients", json::object{{"name", "Ola Berg"}}, as_coach)).at("id"));
    std::vector<std::string> sessions;
    for (int i = 0; i < 6; ++i)
        sessions.push_back(text(remember(client.post_json(
                "/v1/sessions", session_body("plain", "Coach: How did week " + std::to_string(i) + " go?\nOla Berg: The renewals went well.", "2026-11-1" + std::to_string(i)),
                as_coach)).at("id")));
    remember(client.post_json("/v1/notes", json::object{{"client_id", client_id}, {"text", "Ask about the team lead role"}}, as_coach));
    const auto item = text(remember(client.post_json("/v1/action-items", json::object{{"client_id", client_id}, {"title", "Shadow two calls"}, {"due_date", "2026-12-20"}},
                                                     as_coach)).at("id"));
    remember(client.post_json("/v1/action-items/" + item + "/complete", json::object{}, as_coach));
    auto summaries = client.get("/v1/sessions/" + sessions[0] + "/summaries?position=" + position + "&wait_ms=20000", as_coach);
    REQUIRE_MESSAGE(summaries.status == 200, summaries.body);
    REQUIRE(summaries.json().as_array().size() == 1);
    remember(client.post_json("/v1/summaries/" + text(summaries.json().as_array()[0].at("id")) + "/approve", json::object{}, as_coach));
    auto dashboard = [&](const std::string& at) {
        auto r = client.get("/v1/dashboards/coach?position=" + at + "&wait_ms=20000", as_coach);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.json().as_object();
    };
    const auto dashboard_before = dashboard(position);
    const auto before = read_model_tables(deployment);
    REQUIRE(before.contains("sessions"));
    REQUIRE(before.at("sessions").rows == "6");
    const auto statistics_before = query_number(deployment, "select count(*) from pg_statistic_ext where stxnamespace = 'public'::regnamespace");
    REQUIRE(statistics_before > 0);

    // Only a read model there is.
    auto unknown = client.post_json("/v1/admin/rebuilds", json::object{{"read_model", "spreadsheets"}}, token);
    CHECK(unknown.status == 422);
    CHECK(text(unknown.json().at("code")) == "invalid_read_model");
    CHECK(client.post_json("/v1/admin/rebuilds", json::object{{"read_model", "postgres"}}, as_coach).status == 403);

    SUBCASE("with no write while it runs, every table comes out the same, as new tables, and the instance stays ready") {
        REQUIRE(eventually(std::chrono::seconds(30), [&] { return client.get("/readyz").status == 200; }));
        ReadinessWatch readiness(debrief->client());
        auto started = client.post_json("/v1/admin/rebuilds", json::object{{"read_model", "postgres"}}, token);
        REQUIRE_MESSAGE(started.status == 202, started.body);
        const auto id = text(started.json().at("id"));
        CHECK(started.header("location") == "/v1/admin/rebuilds/" + id);
        const auto status = finished(client, token, id);
        INFO(json::serialize(status));
        // Past the switch: the successor has joined and runs.
        REQUIRE(eventually(std::chrono::seconds(30), [&] {
            auto ready = client.get("/readyz");
            return ready.status == 200 && ready.body.find(R"("state":"switching")") == std::string::npos;
        }));
        readiness.stop();
        CHECK(readiness.answers() > 0);
        const auto refusals = readiness.refusals();
        CHECK_MESSAGE(refusals.empty(), refusals.size() << " answers were not 200, the first: " << (refusals.empty() ? "" : refusals.front()));
        REQUIRE(status.at("state") == "done");
        CHECK(status.at("read_model") == "postgres");
        CHECK(status.at("matches_live") == true);
        CHECK(status.at("first_difference").is_null());
        CHECK(status.at("applied") == status.at("target"));
        CHECK(status.at("events_applied").as_int64() >= 10);

        const auto after = read_model_tables(deployment);
        CHECK(after.size() == before.size());
        for (const auto& [table, state] : before) {
            INFO(table);
            REQUIRE(after.contains(table));
            CHECK(after.at(table).rows == state.rows);
            CHECK(after.at(table).digest == state.digest);
            CHECK(after.at(table).oid != state.oid);  // a fresh copy, not the old one left in place
        }
        CHECK(query_number(deployment, "select count(*) from pg_namespace where nspname like 'rebuild\\_%'") == 0);  // the old copy is gone
        CHECK(query_number(deployment, "select count(*) from pg_statistic_ext where stxnamespace = 'public'::regnamespace") == statistics_before);
        auto same = dashboard(position);
        CHECK(json::serialize(same.at("priority_queue")) == json::serialize(dashboard_before.at("priority_queue")));
        CHECK(json::serialize(same.at("stats")) == json::serialize(dashboard_before.at("stats")));
    }

    SUBCASE("with reads and writes while it runs, none is refused, the copy equals the live tables at the switch, and later writes land in it") {
        auto started = client.post_json("/v1/admin/rebuilds", json::object{{"read_model", "postgres"}}, token);
        REQUIRE_MESSAGE(started.status == 202, started.body);
        const auto id = text(started.json().at("id"));
        std::vector<std::string> notes;
        for (int i = 0; i < 5; ++i) {
            notes.push_back(text(remember(client.post_json("/v1/notes", json::object{{"client_id", client_id}, {"text", "During the rebuild " + std::to_string(i)}},
                                                           as_coach)).at("id")));
            dashboard(position);
            auto list = client.get("/v1/sessions?position=" + position + "&wait_ms=20000", as_coach);
            CHECK_MESSAGE(list.status == 200, list.body);
        }
        const auto status = finished(client, token, id);
        INFO(json::serialize(status));
        REQUIRE(status.at("state") == "done");
        CHECK(status.at("matches_live") == true);
        CHECK(query_number(deployment, "select count(*) from notes where id = any($1::text[])", {"{" + notes[0] + "," + notes[4] + "}"}) == 2);
        const auto after_note = text(remember(client.post_json("/v1/notes", json::object{{"client_id", client_id}, {"text", "After the switch"}}, as_coach)).at("id"));
        dashboard(position);  // the projector applies on the fresh tables
        CHECK(query_number(deployment, "select count(*) from notes where id = $1", {after_note}) == 1);
        const auto after = read_model_tables(deployment);
        CHECK(after.at("sessions").digest == before.at("sessions").digest);
        CHECK(after.at("notes").rows == std::to_string(std::stoi(before.at("notes").rows) + 6));
    }

    SUBCASE("`debrief rebuild postgres` drives it to the end; a copy a crash left is dropped at the next start, one "
            "another instance is building is not") {
        const auto run = run_rebuild_command("postgres", debrief->port(), token);
        INFO(run.output);
        CHECK(run.exit_status == 0);
        REQUIRE_FALSE(run.last_status.empty());
        CHECK(run.last_status.at("state") == "done");
        CHECK(run.last_status.at("matches_live") == true);

        debrief.reset();
        execute(deployment, "create schema rebuild_leftover; create table rebuild_leftover.sessions (id text)");
        pqxx::connection other_instance{deployment.postgres_url};  // holds its replay's lock, as SchemaReplay does
        pqxx::nontransaction{other_instance}.exec("select pg_advisory_lock(hashtext('rebuild_building')); create schema rebuild_building");
        debrief = std::make_unique<DebriefProcess>(deployment);
        CHECK(query_number(deployment, "select count(*) from pg_namespace where nspname like 'rebuild\\_%'") == 1);
        CHECK(query_number(deployment, "select count(*) from pg_namespace where nspname = 'rebuild_building'") == 1);
        pqxx::nontransaction{other_instance}.exec("drop schema rebuild_building");
        auto restarted = debrief->client();
        auto r = restarted.get("/v1/dashboards/coach?position=" + position + "&wait_ms=20000", as_coach);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        CHECK(read_model_tables(deployment).at("sessions").digest == before.at("sessions").digest);
    }
}
