// Rebuilding the RocksDB read model inside a running Debrief (POST /v1/admin/rebuilds): from the first event into a
// fresh directory while the live one serves and takes writes, progress while it runs, a copy equal to the live one
// key by key at the switch, readers switched without a refusal, and a restart that opens the rebuilt copy.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string text(const json::value& value) { return std::string(value.as_string()); }

std::int64_t total_of(const HttpClient& client, const std::string& token, const std::string& query, const std::string& position) {
    auto searched = client.get("/v1/search?q=" + query + "&interpret=false&position=" + position + "&wait_ms=20000", token);
    REQUIRE_MESSAGE(searched.status == 200, searched.body);
    return searched.json().at("total").as_int64();
}

}  // namespace

TEST_CASE("a rebuild of the search read model runs beside the live one, equals it at the switch, and is what a restart opens") {
    Deployment deployment("rebuild");
    auto debrief = std::make_unique<DebriefProcess>(deployment);
    auto client = debrief->client();
    auto admin = sign_up(client, "Rebuild Coaching");
    const auto& token = admin.access_token;
    REQUIRE(client.post_json("/v1/clients", json::object{{"name", "Hana Ito"}}, token).status == 201);
    std::string position;
    for (int i = 0; i < 12; ++i) {
        auto session = client.post_json("/v1/sessions",
                                        session_body("plain", "Coach: How did it go?\nHana Ito: The supplier renewal number " + std::to_string(i) +
                                                                      " went well, the invoice dispute is settled."),
                                        token);
        REQUIRE_MESSAGE(session.status == 201, session.body);
        position = text(session.json().at("position"));
    }
    const auto supplier_before = total_of(client, token, "supplier", position);
    REQUIRE(supplier_before >= 12);

    // Only an admin, only a read model that can be rebuilt.
    auto invited = client.post_json("/v1/users", json::object{{"name", "Cleo Coach"}, {"email", "cleo@example.com"}, {"role", "coach"}, {"password", "a long passphrase"}},
                                    token);
    REQUIRE_MESSAGE(invited.status == 201, invited.body);
    auto coach_login = client.post_json("/v1/auth/login", json::object{{"email", "cleo@example.com"}, {"password", "a long passphrase"}});
    REQUIRE(coach_login.status == 200);
    CHECK(client.post_json("/v1/admin/rebuilds", json::object{{"read_model", "search"}}, text(coach_login.json().at("access_token"))).status == 403);
    auto unknown = client.post_json("/v1/admin/rebuilds", json::object{{"read_model", "spreadsheets"}}, token);
    CHECK(unknown.status == 422);
    CHECK(text(unknown.json().at("code")) == "invalid_read_model");
    CHECK(client.get("/v1/admin/rebuilds/00000000-0000-4000-8000-000000000000", token).status == 404);

    auto started = client.post_json("/v1/admin/rebuilds", json::object{{"read_model", "search"}}, token);
    REQUIRE_MESSAGE(started.status == 202, started.body);
    const auto id = text(started.json().at("id"));
    CHECK(started.header("location") == "/v1/admin/rebuilds/" + id);
    // The live read model keeps serving and taking writes while the copy is built.
    auto during = client.post_json("/v1/sessions", session_body("plain", "Coach: Anything new?\nHana Ito: The walrus project started today."), token);
    REQUIRE_MESSAGE(during.status == 201, during.body);
    const auto during_position = text(during.json().at("position"));
    CHECK(total_of(client, token, "supplier", position) == supplier_before);

    json::object status;
    REQUIRE(eventually(std::chrono::seconds(120), [&] {
        auto r = client.get("/v1/admin/rebuilds/" + id, token);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        status = r.json().as_object();
        return status.at("state") == "done" || status.at("state") == "failed";
    }));
    INFO(json::serialize(status));
    REQUIRE(status.at("state") == "done");
    CHECK(status.at("matches_live") == true);
    CHECK(status.at("first_difference").is_null());
    CHECK(status.at("events_applied").as_int64() >= 13);
    CHECK_FALSE(status.at("finished_at").is_null());
    for (const auto& p : status.at("partitions").as_array()) CHECK(p.at("offset") == p.at("end"));
    CHECK(status.at("applied") == status.at("target"));
    CHECK(status.at("status") == "done");

    // After the switch: every document, the one written during the rebuild too, and later writes reach the new copy.
    CHECK(total_of(client, token, "supplier", position) == supplier_before);
    CHECK(total_of(client, token, "walrus", during_position) == 1);
    auto after = client.post_json("/v1/sessions", session_body("plain", "Coach: And now?\nHana Ito: The narwhal launch is next."), token);
    REQUIRE_MESSAGE(after.status == 201, after.body);
    CHECK(total_of(client, token, "narwhal", text(after.json().at("position"))) == 1);
    const auto data = deployment.directory / "data";
    std::ifstream pointer(data / "search.current");
    std::string current;
    std::getline(pointer, current);
    CHECK(current == "search-" + id);
    CHECK(std::filesystem::is_directory(data / current));
    CHECK(eventually(std::chrono::seconds(10), [&] { return !std::filesystem::exists(data / "search"); }));  // the old copy goes

    // A restart opens the rebuilt copy.
    debrief.reset();
    debrief = std::make_unique<DebriefProcess>(deployment);
    auto restarted = debrief->client();
    CHECK(total_of(restarted, token, "narwhal", text(after.json().at("position"))) == 1);
    CHECK(total_of(restarted, token, "supplier", position) == supplier_before);

    // `debrief rebuild search` drives the same rebuild and follows it to the end.
    const auto run = run_rebuild_command("search", debrief->port(), token);
    INFO(run.output);
    CHECK(run.exit_status == 0);
    REQUIRE_FALSE(run.last_status.empty());
    CHECK(run.last_status.at("state") == "done");
    CHECK(run.last_status.at("matches_live") == true);
    const auto refused = run_rebuild_command("search", debrief->port(), "not-a-token");
    CHECK(refused.exit_status == 1);
    CHECK(refused.output.find("invalid_token") != std::string::npos);
}
