// GET /v1/sessions against the real PostgreSQL read model: newest first, every filter, keyset pages that neither
// repeat nor skip a session, and each role's share (a coach their own, a client only the sessions they spoke in).
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <set>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string text(const json::value& value) { return std::string(value.as_string()); }

json::array sessions_of(const HttpClient& client, const std::string& token, const std::string& query) {
    auto r = client.get("/v1/sessions?" + query, token);
    REQUIRE_MESSAGE(r.status == 200, (query + ": " + r.body));
    return r.json().at("sessions").as_array();
}

}  // namespace

TEST_CASE("the session list: newest first, filtered, paged by cursor, within each role") {
    Deployment deployment("session-list");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto admin = sign_up(client, "Listing Coaching");
    const auto& token = admin.access_token;
    auto invite = [&](const std::string& name, const std::string& email, const std::string& role, json::object extra = {}) {
        return it::invite(client, token, name, email, role, extra);
    };
    const auto [cora, as_cora] = invite("Cora Vance", "cora@example.com", "coach");
    const auto [carl, as_carl] = invite("Carl Moss", "carl@example.com", "coach");
    auto register_client = [&](const std::string& name, const std::string& as) {
        auto r = client.post_json("/v1/clients", json::object{{"name", name}}, as);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return text(r.json().at("id"));
    };
    const auto marcus = register_client("Marcus Lee", as_cora);
    const auto priya = register_client("Priya Shah", as_cora);
    const auto [marcus_user, as_marcus] = invite("Marcus Lee", "marcus@example.com", "client", json::object{{"client_id", marcus}});
    std::string position;
    std::vector<std::string> cora_sessions;  // in the order created
    auto session = [&](const std::string& as, const std::string& speaker, const std::string& date, const std::string& type) {
        auto r = client.post_json("/v1/sessions", session_body("plain", "Coach: Hello.\n" + speaker + ": The week went fine.", date, type), as);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        position = text(r.json().at("position"));
        return text(r.json().at("id"));
    };
    cora_sessions.push_back(session(as_cora, "Marcus Lee", "2026-10-05", "individual"));
    cora_sessions.push_back(session(as_cora, "Priya Shah", "2026-10-12", "call_review"));
    cora_sessions.push_back(session(as_cora, "Marcus Lee", "2026-11-02", "call_review"));
    cora_sessions.push_back(session(as_cora, "Priya Shah", "2026-11-09", "individual"));
    cora_sessions.push_back(session(as_cora, "Marcus Lee", "2026-11-16", "individual"));
    const auto carl_session = session(as_carl, "Dana Fox", "2026-11-20", "individual");
    const auto wait = "position=" + position + "&wait_ms=20000";

    // An admin: everything, newest first.
    const auto all = sessions_of(client, token, wait);
    REQUIRE(all.size() == 6);
    CHECK(text(all[0].at("id")) == carl_session);
    for (std::size_t i = 1; i < all.size(); ++i) CHECK(text(all[i - 1].at("session_date")) >= text(all[i].at("session_date")));
    // Pages of two follow the cursor to the end, each session once.
    std::set<std::string> seen;
    std::string cursor;
    int pages = 0;
    while (true) {
        auto r = client.get("/v1/sessions?limit=2" + (cursor.empty() ? std::string{} : "&cursor=" + cursor), token);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        const auto body = r.json();
        for (const auto& s : body.at("sessions").as_array()) CHECK(seen.insert(text(s.at("id"))).second);
        ++pages;
        if (body.at("next_cursor").is_null()) break;
        cursor = text(body.at("next_cursor"));
        REQUIRE(pages < 10);
    }
    CHECK(pages == 3);
    CHECK(seen.size() == 6);

    // Filters.
    CHECK(sessions_of(client, token, "coach_id=" + carl).size() == 1);
    const auto marcus_only = sessions_of(client, token, "client_id=" + marcus);
    REQUIRE(marcus_only.size() == 3);
    for (const auto& s : marcus_only) CHECK(s.at("client_ids") == json::array{json::value(marcus)});
    CHECK(sessions_of(client, token, "date_from=2026-11-01&date_to=2026-11-16").size() == 3);
    CHECK(sessions_of(client, token, "session_type=call_review").size() == 2);
    CHECK(sessions_of(client, token, "session_type=call_review&client_id=" + priya).size() == 1);
    CHECK(sessions_of(client, token, "status=analysed").size() == 6);
    CHECK(sessions_of(client, token, "status=failed").empty());

    // Roles: a coach their own; a client the sessions they spoke in, naming only themselves.
    CHECK(sessions_of(client, as_cora, "").size() == 5);
    CHECK(sessions_of(client, as_carl, "").size() == 1);
    const auto own = sessions_of(client, as_marcus, "");
    REQUIRE(own.size() == 3);
    for (const auto& s : own) CHECK(s.at("client_ids") == json::array{json::value(marcus)});

    // Refusals.
    auto code_of = [&](const std::string& query) { return text(client.get("/v1/sessions?" + query, token).json().at("code")); };
    CHECK(code_of("date_from=2026-13-01") == "invalid_date");
    CHECK(code_of("date_from=2026-11-02&date_to=2026-11-01") == "invalid_date_range");
    CHECK(code_of("cursor=zz") == "invalid_cursor");
    CHECK(code_of("limit=0") == "invalid_limit");
    CHECK(code_of("colour=red") == "invalid_filter");
    CHECK(code_of("client_id=nope") == "invalid_filter");
    CHECK(code_of("session_type=party") == "invalid_session_type");
    (void)cora;
    (void)marcus_user;
}
