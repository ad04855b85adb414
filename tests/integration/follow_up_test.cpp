// The whole coaching workflow as the issue tells it, over HTTP on the real services: an admin invites a coach, the
// coach registers clients, uploads a one-to-one transcript, refines the draft three times, approves it, sees the
// action items, keeps a template and sends the follow-up through the outbox. Then SMTP delivery with a retry.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "events/codec.hpp"
#include "tests/integration/harness.hpp"
#include "tests/support/stub_smtp_server.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

const std::string one_to_one =
    "00:00:02 Jordan Blake: Good to see you, Lena. How did the team meeting go?\n"
    "00:00:09 Lena Park: Much better. I finally presented the roadmap and the team agreed on the priorities.\n"
    "00:00:18 Jordan Blake: That is great progress. What is still hard?\n"
    "00:00:23 Lena Park: Delegating. I keep taking the urgent tickets myself and then I work late.\n"
    "00:00:33 Jordan Blake: I'd recommend you pick one task a day to hand over. Could you write a delegation plan by Friday?\n"
    "00:00:41 Lena Park: Yes, I will send the delegation plan to you by Friday.\n";

std::string text(const json::value& value) { return std::string(value.as_string()); }

std::string token_of(const HttpClient& client, const std::string& email, const std::string& password) {
    auto login = client.post_json("/v1/auth/login", json::object{{"email", email}, {"password", password}});
    REQUIRE_MESSAGE(login.status == 200, login.body);
    return text(login.json().at("access_token"));
}

std::vector<std::string> follow_up_history(const Deployment& deployment, const std::string& follow_up_id) {
    std::vector<std::string> types;
    const auto keys = deployment_keys(deployment);
    for (const auto& record : read_topic(deployment.events_topic)) {
        auto event = events::decode(record.value, keys.get());
        if (event && event->metadata.aggregate_id == follow_up_id) types.push_back(record.headers.at("ce_type"));
    }
    return types;
}

// The coach's one draft of a fresh session with Lena.
json::object drafted_summary(const HttpClient& client, const std::string& coach) {
    auto created = client.post_json("/v1/sessions", session_body("plain", one_to_one, "2026-11-18", "individual"), coach);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto summaries = client.get("/v1/sessions/" + text(created.json().at("id")) + "/summaries?position=" + text(created.json().at("position")) +
                                    "&wait_ms=20000",
                                coach);
    REQUIRE_MESSAGE(summaries.status == 200, summaries.body);
    auto list = summaries.json().as_array();
    REQUIRE(list.size() == 1);
    return list[0].as_object();
}

}  // namespace

TEST_CASE("coaching workflow end to end: invite, upload, refine three times, approve, action items, follow-up through the outbox") {
    Deployment deployment("follow_up");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto admin = sign_up(client, "Northwind Coaching");

    // The admin invites a coach; the coach registers Lena and works from then on with their own token.
    auto invited = client.post_json("/v1/users", json::object{{"name", "Jordan Blake"}, {"email", "jordan@northwind.example"}, {"role", "coach"},
                                                              {"password", "coach password 123"}},
                                    admin.access_token);
    REQUIRE_MESSAGE(invited.status == 201, invited.body);
    auto coach = token_of(client, "jordan@northwind.example", "coach password 123");
    auto lena = client.post_json("/v1/clients", json::object{{"name", "Lena Park"}, {"email", "lena@northwind.example"}, {"team", "Platform"}}, coach);
    REQUIRE_MESSAGE(lena.status == 201, lena.body);
    auto lena_id = text(lena.json().at("id"));

    auto draft = drafted_summary(client, coach);
    CHECK(text(draft.at("client_id")) == lena_id);
    auto summary_id = text(draft.at("id"));
    const auto refine = "/v1/summaries/" + summary_id + "/refine";
    for (const auto* message : {"add win: Presented the roadmap to the whole team", "add action item: hand over one ticket a day by next Monday",
                                "shorten the challenges"}) {
        CAPTURE(message);
        auto refined = client.post_json(refine, json::object{{"message", message}}, coach);
        REQUIRE_MESSAGE(refined.status == 200, refined.body);
        CHECK_FALSE(text(refined.json().at("reply")).empty());
    }
    auto approved = client.post_json("/v1/summaries/" + summary_id + "/approve", json::object{}, coach);
    REQUIRE_MESSAGE(approved.status == 200, approved.body);
    auto approved_summary = approved.json().at("summary").as_object();
    CHECK(approved_summary.at("version").as_int64() == 5);
    auto approved_items = approved_summary.at("action_items").as_array();
    REQUIRE(approved_items.size() >= 2);
    CHECK(text(approved_items.back().at("title")) == "Hand over one ticket a day");

    auto items = client.get("/v1/action-items?client_id=" + lena_id + "&position=" + text(approved.json().at("position")) + "&wait_ms=20000", coach);
    REQUIRE_MESSAGE(items.status == 200, items.body);
    CHECK(items.json().as_array().size() == approved_items.size());

    // A template with an unknown variable is refused with its line and appends nothing; a good one is kept.
    const auto appended = total_records(deployment.events_topic);
    auto bad = client.post_json("/v1/templates", json::object{{"kind", "email"}, {"name", "Recap"}, {"subject", "Recap"},
                                                                {"body", "Hi {{client_first_name}},\n{{next_steps}}"}},
                                coach);
    CHECK(bad.status == 422);
    CHECK(text(bad.json().at("code")) == "template_invalid");
    CHECK(text(bad.json().at("detail")).find("body line 2: unknown variable 'next_steps'") != std::string::npos);
    CHECK(total_records(deployment.events_topic) == appended);
    auto kept = client.post_json("/v1/templates", json::object{{"kind", "email"}, {"name", "Jordan's recap"},
                                                                 {"subject", "Our session on {{session_date}}"},
                                                                 {"body", "Hi {{client_first_name}},\n\nYour next steps:\n{{action_items}}\n\n{{coach_name}}\n"}},
                                 coach);
    REQUIRE_MESSAGE(kept.status == 201, kept.body);
    auto listed = client.get("/v1/templates?kind=email&position=" + text(kept.json().at("position")) + "&wait_ms=20000", coach);
    REQUIRE(listed.status == 200);
    auto templates = listed.json().as_array();
    REQUIRE(templates.size() == 2);  // Jordan's, then the system default
    CHECK(text(templates[0].at("id")) == text(kept.json().at("id")));
    CHECK(text(templates[1].at("id")) == "system:email");

    // The approved summary written out with the system summary template, then with one of the coach's own.
    auto document = client.get("/v1/summaries/" + summary_id + "/document", coach);
    REQUIRE_MESSAGE(document.status == 200, document.body);
    CHECK(text(document.json().at("template_id")) == "system:summary");
    CHECK(text(document.json().at("text")).starts_with("Session with Lena Park on 2026-11-18 (individual)"));
    auto notes_template = client.post_json("/v1/templates", json::object{{"kind", "summary"}, {"name", "Short"}, {"body", "{{client_name}}: {{wins}}"}}, coach);
    REQUIRE_MESSAGE(notes_template.status == 201, notes_template.body);
    auto short_form = client.get("/v1/summaries/" + summary_id + "/document", coach);
    CHECK(text(short_form.json().at("text")).starts_with("Lena Park: - "));
    CHECK(client.get("/v1/summaries/" + summary_id + "/document?template_id=system:email", coach).status == 422);

    // The follow-up uses the coach's template by default, renders the approved summary, and goes out through the outbox.
    auto drafted = client.post_json("/v1/follow-ups", json::object{{"summary_id", summary_id}}, coach);
    REQUIRE_MESSAGE(drafted.status == 201, drafted.body);
    auto follow_up = drafted.json().at("follow_up").as_object();
    auto follow_up_id = text(drafted.json().at("id"));
    CHECK(text(follow_up.at("to")) == "lena@northwind.example");
    CHECK(text(follow_up.at("subject")) == "Our session on 2026-11-18");
    CHECK(text(follow_up.at("body")).find("- Hand over one ticket a day (by ") != std::string::npos);
    CHECK(text(follow_up.at("status")) == "draft");
    auto stranger = sign_up(client, "Elsewhere");
    CHECK(client.post_json("/v1/follow-ups/" + follow_up_id + "/send", json::object{}, stranger.access_token).status == 404);

    auto sent = client.post_json("/v1/follow-ups/" + follow_up_id + "/send", json::object{}, coach);
    REQUIRE_MESSAGE(sent.status == 200, sent.body);
    CHECK(text(sent.json().at("follow_up").at("status")) == "scheduled");
    CHECK(client.post_json("/v1/follow-ups/" + follow_up_id + "/send", json::object{}, coach).status == 409);
    const auto drop = deployment.directory / "data" / "outbox" / (follow_up_id + ".eml");
    CHECK(eventually(std::chrono::seconds(20), [&] { return std::filesystem::exists(drop); }));
    std::ifstream in(drop);
    std::stringstream eml;
    eml << in.rdbuf();
    CHECK(eml.str().find("To: lena@northwind.example\r\n") != std::string::npos);
    CHECK(eml.str().find("Reply-To: jordan@northwind.example\r\n") != std::string::npos);
    CHECK(eml.str().find("Subject: Our session on 2026-11-18\r\n") != std::string::npos);
    CHECK(eml.str().find("Message-ID: <" + follow_up_id + "@debrief.follow-up>\r\n") != std::string::npos);
    CHECK(eml.str().find("Hi Lena,\r\n") != std::string::npos);

    json::object shown;
    CHECK(eventually(std::chrono::seconds(20), [&] {
        auto read = client.get("/v1/follow-ups/" + follow_up_id, coach);
        if (read.status != 200) return false;
        shown = read.json().as_object();
        return text(shown.at("status")) == "sent";
    }));
    CHECK(text(shown.at("channel")) == "file");
    CHECK(shown.at("attempts").as_int64() == 1);
    CHECK(follow_up_history(deployment, follow_up_id) ==
          std::vector<std::string>{"debrief.follow_up.drafted", "debrief.follow_up.scheduled", "debrief.follow_up.sent"});
    CHECK(client.get("/v1/follow-ups/" + follow_up_id, stranger.access_token).status == 404);
    CHECK(client.get("/v1/summaries/" + summary_id + "/document", stranger.access_token).status == 404);
}

TEST_CASE("follow-ups over SMTP: a greylisted attempt is recorded and retried with backoff until the relay accepts") {
    testing::StubSmtpServer relay(std::vector<testing::StubSmtpServer::Script>{{{"RCPT", "451 4.7.1 greylisted, try again later"}}, {}});
    Deployment deployment("follow_up_smtp");
    DebriefProcess debrief(deployment, {{"DEBRIEF_SMTP_HOST", "127.0.0.1"},
                                        {"DEBRIEF_SMTP_PORT", std::to_string(relay.port())},
                                        {"DEBRIEF_MAIL_FROM", "Northwind <coaching@northwind.example>"},
                                        {"DEBRIEF_DELIVERY_RETRY_BASE_MS", "200"}});
    auto client = debrief.client();
    auto coach = sign_up(client, "Northwind Coaching");
    auto lena = client.post_json("/v1/clients", json::object{{"name", "Lena Park"}}, coach.access_token);
    REQUIRE(lena.status == 201);
    auto summary_id = text(drafted_summary(client, coach.access_token).at("id"));
    REQUIRE(client.post_json("/v1/summaries/" + summary_id + "/approve", json::object{}, coach.access_token).status == 200);

    // Lena has no e-mail on record: the follow-up needs an explicit recipient.
    auto missing = client.post_json("/v1/follow-ups", json::object{{"summary_id", summary_id}}, coach.access_token);
    CHECK(missing.status == 422);
    CHECK(text(missing.json().at("code")) == "recipient_missing");
    auto drafted = client.post_json("/v1/follow-ups", json::object{{"summary_id", summary_id}, {"to", "lena.park@example.org"}}, coach.access_token);
    REQUIRE_MESSAGE(drafted.status == 201, drafted.body);
    auto follow_up_id = text(drafted.json().at("id"));
    REQUIRE(client.post_json("/v1/follow-ups/" + follow_up_id + "/send", json::object{}, coach.access_token).status == 200);

    json::object shown;
    CHECK(eventually(std::chrono::seconds(30), [&] {
        auto read = client.get("/v1/follow-ups/" + follow_up_id, coach.access_token);
        if (read.status != 200) return false;
        shown = read.json().as_object();
        return text(shown.at("status")) == "sent";
    }));
    INFO(json::serialize(shown));
    CHECK(text(shown.at("channel")) == "smtp");
    CHECK(shown.at("attempts").as_int64() == 2);
    CHECK(follow_up_history(deployment, follow_up_id) == std::vector<std::string>{"debrief.follow_up.drafted", "debrief.follow_up.scheduled",
                                                                                  "debrief.follow_up.delivery_failed", "debrief.follow_up.sent"});
    auto received = relay.received();
    CHECK(received.find("MAIL FROM:<coaching@northwind.example>\r\n") != std::string::npos);
    CHECK(received.find("RCPT TO:<lena.park@example.org>\r\n") != std::string::npos);
    CHECK(received.find("Subject: Your session on 2026-11-18: summary and next steps\r\n") != std::string::npos);
}
