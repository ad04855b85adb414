// GET and POST /v1/search in-process: what a coach finds after the projector has indexed their sessions, the
// answer's shape, pagination, roles, and the 422s of queries that cannot be understood.
#include <doctest/doctest.h>

#include <set>

#include "tests/unit/api_fixture.hpp"

using namespace debrief;
using namespace debrief::testing;

namespace {

api::HeaderMap bearer_of(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::string login_token(ApiFixture& f, const std::string& email, const std::string& password) {
    auto login = f.call("POST", "/v1/auth/login", R"({"email":")" + email + R"(","password":")" + password + R"("})");
    REQUIRE_MESSAGE(login.status == 200, login.body);
    return std::string(json::parse(login.body).at("access_token").as_string());
}

std::string id_of(const api::HttpResponse& r) {
    REQUIRE_MESSAGE(r.status == 201, r.body);
    return std::string(json::parse(r.body).at("id").as_string());
}

json::object search(ApiFixture& f, const api::HeaderMap& auth, const std::string& query) {
    auto r = f.call("GET", "/v1/search?" + query, {}, auth);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return json::parse(r.body).as_object();
}

}  // namespace

TEST_CASE("search: a session's words are found, with snippet, highlights, facets and what was understood") {
    ApiFixture f;
    auto admin = bearer_of(f.sign_up_token());
    const auto client = id_of(f.call("POST", "/v1/clients", R"({"name":"Priya Shah"})", admin));
    id_of(f.call("POST", "/v1/sessions",
                 R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":"Coach: How was the week?\nPriya Shah: Better, handle time is down since the de-escalation training."}})",
                 admin));
    f.project_search();
    f.audit.clear();
    auto body = search(f, admin, "q=De-escalation");
    REQUIRE(body.at("results").as_array().size() >= 1);
    const auto& first = body.at("results").as_array()[0].as_object();
    CHECK(first.at("kind") == "transcript");
    CHECK(first.at("client_id") == json::value(client));
    CHECK(first.at("session_date") == "2026-11-20");
    const auto snippet = std::string(first.at("snippet").as_string());
    const auto& highlight = first.at("highlights").as_array().at(0).as_array();
    const auto start = highlight.at(0).to_number<std::size_t>(), end = highlight.at(1).to_number<std::size_t>();
    REQUIRE(end <= snippet.size());
    CHECK(snippet.substr(start, end - start) == "de");  // "de-escalation" is two words; each is marked
    CHECK(body.at("total").as_int64() >= 1);
    CHECK(body.at("facets").at("kind").at("transcript").as_int64() >= 1);
    CHECK(body.at("facets").at("client").at(client).as_int64() >= 1);
    CHECK(body.at("next_cursor").is_null());
    CHECK(body.at("interpreted_as").at("text") == "De-escalation");
    // The read is audited with whose material it showed.
    auto records = f.audit.records();
    REQUIRE(records.size() == 1);
    CHECK(records[0].action == "search.read");
    CHECK(records[0].subject_id == client);
    // The summary the analyser drafted is found by its section, and the POST form answers the same.
    auto posted = f.call("POST", "/v1/search", R"({"query":"handle time","filters":{"kind":["transcript"]}})", admin);
    REQUIRE_MESSAGE(posted.status == 200, posted.body);
    const auto posted_body = json::parse(posted.body);
    CHECK_FALSE(posted_body.at("results").as_array().empty());
    for (const auto& result : posted_body.at("results").as_array()) CHECK(result.at("kind") == "transcript");
}

TEST_CASE("search: pages follow next_cursor to the end; a cursor of another query is refused") {
    ApiFixture f;
    auto admin = bearer_of(f.sign_up_token());
    id_of(f.call("POST", "/v1/clients", R"({"name":"Priya Shah"})", admin));
    std::string text = "Coach: Welcome.";
    for (int i = 0; i < 25; ++i) text += "\\nPriya Shah: The supplier call number " + std::to_string(i) + " went well.";
    id_of(f.call("POST", "/v1/sessions", R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":")" + text + R"("}})", admin));
    f.project_search();
    std::set<std::string> seen;
    std::string cursor;
    int pages = 0;
    while (true) {
        auto body = search(f, admin, "q=supplier&kind=transcript&limit=10" + (cursor.empty() ? "" : "&cursor=" + cursor));
        for (const auto& r : body.at("results").as_array()) CHECK(seen.insert(json::serialize(r.at("segment"))).second);
        ++pages;
        if (body.at("next_cursor").is_null()) break;
        cursor = std::string(body.at("next_cursor").as_string());
        REQUIRE(pages < 10);
    }
    CHECK(pages == 3);
    CHECK(seen.size() == 25);
    REQUIRE_FALSE(cursor.empty());
    CHECK(code_of(f.call("GET", "/v1/search?q=call&kind=transcript&cursor=" + cursor, {}, admin)) == "invalid_cursor");
    CHECK(code_of(f.call("GET", "/v1/search?q=supplier&cursor=zz", {}, admin)) == "invalid_cursor");
}

TEST_CASE("search: a coach finds their own clients' material only, a client their approved summaries and action items only") {
    ApiFixture f;
    auto admin = bearer_of(f.sign_up_token());
    auto invite = [&](const std::string& name, const std::string& email, const std::string& role, const std::string& extra = {}) {
        return id_of(f.call("POST", "/v1/users",
                            R"({"name":")" + name + R"(","email":")" + email + R"(","role":")" + role + R"(","password":"a long passphrase")" + extra + "}",
                            admin));
    };
    const auto cora = invite("Cora", "cora@example.com", "coach");
    invite("Carl", "carl@example.com", "coach");
    auto as_cora = bearer_of(login_token(f, "cora@example.com", "a long passphrase"));
    auto as_carl = bearer_of(login_token(f, "carl@example.com", "a long passphrase"));
    const auto marcus = id_of(f.call("POST", "/v1/clients", R"({"name":"Marcus Lee"})", as_cora));
    id_of(f.call("POST", "/v1/sessions",
                 R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":"Coach: Tell me about the renewal.\nMarcus Lee: The Henderson renewal is signed."}})",
                 as_cora));
    id_of(f.call("POST", "/v1/action-items", R"({"client_id":")" + marcus + R"(","title":"Send the Henderson contract"})", as_cora));
    f.project_search();
    CHECK(search(f, as_cora, "q=henderson").at("total").as_int64() >= 2);
    CHECK(search(f, as_carl, "q=henderson").at("total").as_int64() == 0);
    CHECK(search(f, admin, "q=henderson").at("total") == search(f, as_cora, "q=henderson").at("total"));
    // Marcus as a client user: the action item, never the transcript or the draft summary.
    id_of(f.call("POST", "/v1/users",
                 R"({"name":"Marcus Lee","email":"marcus@example.com","role":"client","password":"a long passphrase","client_id":")" + marcus + R"("})", admin));
    f.project_search();
    auto as_marcus = bearer_of(login_token(f, "marcus@example.com", "a long passphrase"));
    auto own = search(f, as_marcus, "q=henderson");
    REQUIRE(own.at("results").as_array().size() == 1);
    CHECK(own.at("results").as_array()[0].at("kind") == "action_item");
    (void)cora;
}

TEST_CASE("search: a query or filter that cannot be understood is a 422 with a stable code") {
    ApiFixture f;
    auto admin = bearer_of(f.sign_up_token());
    const std::vector<std::pair<std::string, std::string>> cases{
        {"q=%22unbalanced", "unbalanced_quote"},
        {"q=", "empty_query"},
        {"q=-only", "empty_query"},
        {"q=a*", "prefix_too_short"},
        {"q=x&colour=red", "unknown_filter"},
        {"q=x&kind=email", "invalid_kind"},
        {"q=x&field=feelings", "invalid_field"},
        {"q=x&from=2026-13-01", "invalid_date"},
        {"q=x&from=2026-12-02&to=2026-12-01", "invalid_date_range"},
        {"q=x&sort=random", "invalid_sort"},
        {"q=x&limit=0", "invalid_limit"},
        {"q=x&limit=101", "invalid_limit"},
        {"q=x&mode=some", "invalid_mode"},
        {"q=x&session_type=party", "invalid_session_type"},
        {"q=x&client_id=not-a-uuid", "invalid_filter"},
    };
    for (const auto& [query, code] : cases) {
        auto r = f.call("GET", "/v1/search?" + query, {}, admin);
        CHECK_MESSAGE(r.status == 422, query);
        CHECK_MESSAGE(code_of(r) == code, query);
    }
    CHECK(code_of(f.call("POST", "/v1/search", R"({"query":"x","filters":{"colour":"red"}})", admin)) == "unknown_filter");
    CHECK(code_of(f.call("POST", "/v1/search", R"({"query":7})", admin)) == "invalid_field");
    CHECK(f.call("GET", "/v1/search?q=x").status == 401);
}

TEST_CASE("search: a natural-language query's dates, names and sections become filters, shown in interpreted_as") {
    ApiFixture f;  // its clock stands on 2027-01-15: "last month" is December 2026
    auto admin = bearer_of(f.sign_up_token());
    const auto marcus = id_of(f.call("POST", "/v1/clients", R"({"name":"Marcus Lee"})", admin));
    const auto priya = id_of(f.call("POST", "/v1/clients", R"({"name":"Priya Shah"})", admin));
    auto session = [&](const std::string& date, const std::string& speaker) {
        id_of(f.call("POST", "/v1/sessions",
                     R"({"session_date":")" + date + R"(","transcript":{"format":"plain","text":"Coach: How is the quarter going?\n)" + speaker +
                         R"(: I keep struggling with time management on the Henderson account."}})",
                     admin));
    };
    session("2026-12-10", "Marcus Lee");
    session("2026-11-20", "Marcus Lee");
    session("2026-12-12", "Priya Shah");
    f.project_search();

    auto body = search(f, admin, "q=clients%20who%20struggled%20with%20time%20management%20last%20month");
    const auto& understood = body.at("interpreted_as").as_object();
    CHECK(understood.at("text") == "time management");
    CHECK(understood.at("filters").at("from") == "2026-12-01");
    CHECK(understood.at("filters").at("to") == "2026-12-31");
    CHECK(understood.at("filters").at("field") == "challenges");
    CHECK_FALSE(understood.at("understood").as_array().empty());
    std::set<std::string> clients;
    for (const auto& r : body.at("results").as_array()) {
        CHECK(r.at("kind") == "summary");
        CHECK(r.at("field") == "challenges");
        const auto date = std::string(r.at("session_date").as_string());
        CHECK_MESSAGE(date.starts_with("2026-12"), date);
        clients.insert(std::string(r.at("client_id").as_string()));
    }
    CHECK(clients == std::set<std::string>{marcus, priya});

    // A name and a section with no text left: every one of that client's challenges, newest first.
    auto named = search(f, admin, "q=Marcus%27s%20challenges");
    CHECK(named.at("interpreted_as").at("filters").at("client_id") == json::value(marcus));
    CHECK(named.at("interpreted_as").at("text") == "");
    CHECK(named.at("interpreted_as").at("sort") == "date");
    const auto& found = named.at("results").as_array();
    REQUIRE(found.size() == 2);
    CHECK(found[0].at("session_date") == "2026-12-10");
    CHECK(found[1].at("session_date") == "2026-11-20");
    CHECK(named.at("total").as_int64() == 2);
    // A filter given wins over the one read from the text.
    auto given = search(f, admin, "q=Marcus%27s%20challenges&client_id=" + priya);
    CHECK(given.at("interpreted_as").at("filters").at("client_id") == json::value(priya));
    for (const auto& r : given.at("results").as_array()) CHECK(r.at("client_id") == json::value(priya));
    CHECK(given.at("total").as_int64() == 1);

    // interpret=false searches the words as typed, every kind and date.
    auto typed = search(f, admin, "q=struggled%20with%20time%20management%20last%20month&interpret=false");
    CHECK(typed.at("interpreted_as").at("understood").as_array().empty());
    CHECK(typed.at("interpreted_as").at("filters").as_object().empty());
    CHECK(typed.at("facets").at("kind").as_object().contains("transcript"));
    CHECK(code_of(f.call("GET", "/v1/search?q=x&interpret=maybe", {}, admin)) == "invalid_interpret");

    // A client registered after a query is known by name to the next one (the names follow the log).
    auto before = search(f, admin, "q=Zoe%27s%20renewal");
    CHECK_FALSE(before.at("interpreted_as").at("filters").as_object().contains("client_id"));
    const auto zoe = id_of(f.call("POST", "/v1/clients", R"({"name":"Zoe Quill"})", admin));
    f.project_search();
    auto after = search(f, admin, "q=Zoe%27s%20renewal");
    CHECK(after.at("interpreted_as").at("filters").at("client_id") == json::value(zoe));
    CHECK(after.at("interpreted_as").at("text") == "renewal");
}

TEST_CASE("search: suggestions are the words and names a caller's material holds, by frequency, within their role") {
    ApiFixture f;
    auto admin = bearer_of(f.sign_up_token());
    id_of(f.call("POST", "/v1/users", R"({"name":"Cora Vance","email":"cora@example.com","role":"coach","password":"a long passphrase"})", admin));
    id_of(f.call("POST", "/v1/users", R"({"name":"Carl Moss","email":"carl@example.com","role":"coach","password":"a long passphrase"})", admin));
    auto as_cora = bearer_of(login_token(f, "cora@example.com", "a long passphrase"));
    auto as_carl = bearer_of(login_token(f, "carl@example.com", "a long passphrase"));
    const auto marcus = id_of(f.call("POST", "/v1/clients", R"({"name":"Marcus Lee"})", as_cora));
    id_of(f.call("POST", "/v1/sessions",
                 R"({"session_date":"2026-11-20","transcript":{"format":"plain","text":"Coach: What happened on the escalation?\nMarcus Lee: The escalation went to billing, I escalated it twice.\nCoach: Escalations like that take time."}})",
                 as_cora));
    f.project_search();
    auto suggestions = [&](const api::HeaderMap& auth, const std::string& query) {
        auto r = f.call("GET", "/v1/search/suggest?" + query, {}, auth);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return json::parse(r.body).at("suggestions").as_array();
    };
    const auto words = suggestions(as_cora, "prefix=Escal");
    REQUIRE(words.size() >= 3);
    CHECK(words[0].at("text") == "escalation");  // said in two turns (and the summary), the others in one
    CHECK(words[0].at("kind") == "term");
    CHECK(words[0].at("weight").as_int64() >= 2);
    for (const auto& w : words) CHECK(w.at("weight").as_int64() <= words[0].at("weight").as_int64());
    std::set<std::string> texts;
    for (const auto& w : words) texts.insert(std::string(w.at("text").as_string()));
    CHECK(texts.contains("escalated"));
    CHECK(texts.contains("escalations"));
    CHECK(suggestions(as_cora, "prefix=escal&limit=1").size() == 1);
    // A name by any of its words, with its id to filter by.
    const auto names = suggestions(as_cora, "prefix=le");
    bool named = false;
    for (const auto& s : names)
        if (s.at("kind") == "client") {
            CHECK(s.at("text") == "Marcus Lee");
            CHECK(s.at("id") == json::value(marcus));
            CHECK(s.at("weight").as_int64() >= 1);
            named = true;
        }
    CHECK(named);
    CHECK(suggestions(admin, "prefix=escal").size() == words.size());
    // Another coach's material suggests nothing, nor names their clients.
    CHECK(suggestions(as_carl, "prefix=escal").empty());
    CHECK(suggestions(as_carl, "prefix=mar").empty());
    CHECK(code_of(f.call("GET", "/v1/search/suggest?prefix=", {}, as_cora)) == "invalid_prefix");
    CHECK(code_of(f.call("GET", "/v1/search/suggest?prefix=%2C%2C", {}, as_cora)) == "invalid_prefix");
    CHECK(code_of(f.call("GET", "/v1/search/suggest?prefix=ab&limit=0", {}, as_cora)) == "invalid_limit");
    CHECK(code_of(f.call("GET", "/v1/search/suggest?prefix=ab&colour=red", {}, as_cora)) == "unknown_filter");
}

TEST_CASE("search: similar sessions share a session's most telling words, never the session itself, within the caller's role") {
    ApiFixture f;
    auto admin = bearer_of(f.sign_up_token());
    id_of(f.call("POST", "/v1/users", R"({"name":"Carl Moss","email":"carl@example.com","role":"coach","password":"a long passphrase"})", admin));
    auto as_carl = bearer_of(login_token(f, "carl@example.com", "a long passphrase"));
    id_of(f.call("POST", "/v1/clients", R"({"name":"Marcus Lee"})", admin));
    auto session = [&](const std::string& date, const std::string& said) {
        auto r = f.call("POST", "/v1/sessions",
                        R"({"session_date":")" + date + R"(","transcript":{"format":"plain","text":"Coach: Where are we?\nMarcus Lee: )" + said + R"("}})", admin);
        return id_of(r);
    };
    const auto invoice = session("2026-11-01", "The supplier invoice dispute is open, the refund for the supplier invoice is late.");
    const auto again = session("2026-11-08", "The supplier sent a new invoice, the dispute about the refund is nearly settled.");
    session("2026-11-15", "I want a promotion, my mentor says my career plan needs a presentation.");
    session("2026-11-22", "The weather was fine and the team lunch was good.");
    f.project_search();
    auto r = f.call("GET", "/v1/sessions/" + invoice + "/similar", {}, admin);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    const auto results = json::parse(r.body).at("results").as_array();
    REQUIRE_FALSE(results.empty());
    CHECK(results[0].at("session_id") == json::value(again));
    std::set<std::string> terms;
    for (const auto& t : results[0].at("terms").as_array()) terms.insert(std::string(t.as_string()));
    CHECK(terms.contains("supplier"));
    CHECK(terms.contains("invoice"));
    CHECK(results[0].at("score").as_double() > 0);
    for (const auto& result : results) {
        CHECK(result.at("session_id") != json::value(invoice));
        // The others share only the coach's question: far behind.
        if (result.at("session_id") != json::value(again)) CHECK(result.at("score").as_double() < results[0].at("score").as_double() / 2);
    }
    CHECK(f.call("GET", "/v1/sessions/" + invoice + "/similar?limit=0", {}, admin).status == 422);
    // Another coach does not see the session; an unknown one is not found.
    CHECK(code_of(f.call("GET", "/v1/sessions/" + invoice + "/similar", {}, as_carl)) == "session_not_found");
    CHECK(code_of(f.call("GET", "/v1/sessions/00000000-0000-4000-8000-000000000000/similar", {}, admin)) == "session_not_found");
}
