// Minimum necessary: a client reads only what concerns them. In a group session they see the coach and themselves
// among the participants and only their own words of the transcript (never the full text); session prep, which
// holds the coach's private notes, is the coach's. The coach still sees everything.
#include <doctest/doctest.h>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

const std::string workshop_transcript =
    "Coach Dana: Welcome both. Priya, how did the billing calls go?\n"
    "Priya Shah: Better, my handle time came down to six minutes.\n"
    "Omar Haddad: Mine went up, I had a private health matter this week.\n"
    "Coach Dana: Thanks for sharing, Omar. Let's pick one goal each.\n";

std::string text(const json::value& value) { return std::string(value.as_string()); }

}  // namespace

TEST_CASE("a client sees their own words of a group session, the coach and themselves, and no session prep") {
    Deployment deployment("minimum_necessary");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto coach = sign_up(client, "Group Coaching");
    auto priya = client.post_json("/v1/clients", json::object{{"name", "Priya Shah"}, {"email", "priya.shah@example.com"}}, coach.access_token);
    auto omar = client.post_json("/v1/clients", json::object{{"name", "Omar Haddad"}}, coach.access_token);
    REQUIRE(priya.status == 201);
    REQUIRE(omar.status == 201);
    const auto priya_id = text(priya.json().at("id"));
    REQUIRE(client.post_json("/v1/notes", json::object{{"client_id", priya_id}, {"text", "Seems tired lately, ask about workload"}}, coach.access_token).status == 201);
    auto body = session_body("plain", workshop_transcript, "2026-11-19", "group_workshop");
    body["coach_speaker"] = "Coach Dana";
    auto created = client.post_json("/v1/sessions", body, coach.access_token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    const auto session_id = text(created.json().at("id"));
    // A follow-up the coach drafted for Priya: still the coach's work, not something sent to her.
    auto summaries = client.get("/v1/sessions/" + session_id + "/summaries?position=" + text(created.json().at("position")) + "&wait_ms=20000",
                                coach.access_token);
    REQUIRE_MESSAGE(summaries.status == 200, summaries.body);
    std::string priya_summary;
    const auto drafts = summaries.json();  // kept: a range over a temporary's array would dangle
    for (const auto& summary : drafts.as_array())
        if (text(summary.at("client_id")) == priya_id) priya_summary = text(summary.at("id"));
    REQUIRE_FALSE(priya_summary.empty());
    REQUIRE(client.post_json("/v1/summaries/" + priya_summary + "/approve", json::object{}, coach.access_token).status == 200);
    auto drafted = client.post_json("/v1/follow-ups", json::object{{"summary_id", priya_summary}}, coach.access_token);
    REQUIRE_MESSAGE(drafted.status == 201, drafted.body);
    const auto follow_up_id = text(drafted.json().at("id"));
    auto login = client.post_json("/v1/users", json::object{{"name", "Priya Shah"}, {"email", "priya@example.com"}, {"role", "client"},
                                                            {"password", "a long enough password"}, {"client_id", priya_id}},
                                  coach.access_token);
    REQUIRE_MESSAGE(login.status == 201, login.body);
    const auto position = text(login.json().at("position"));
    auto priya_tokens = client.post_json("/v1/auth/login", json::object{{"email", "priya@example.com"}, {"password", "a long enough password"}});
    REQUIRE(priya_tokens.status == 200);
    const auto priya_token = text(priya_tokens.json().at("access_token"));
    const auto wait = "?position=" + position + "&wait_ms=20000";

    // The coach: every participant, every segment, the full text.
    auto full = client.get("/v1/sessions/" + session_id + "/transcript" + wait, coach.access_token);
    REQUIRE_MESSAGE(full.status == 200, full.body);
    CHECK(full.json().at("segments").as_array().size() == 4);
    CHECK(full.body.find("private health matter") != std::string::npos);
    auto coach_view = client.get("/v1/sessions/" + session_id + wait, coach.access_token);
    REQUIRE(coach_view.status == 200);
    CHECK(coach_view.json().at("participants").as_array().size() == 3);

    // Priya: herself and the coach; her own segment; nothing of what Omar said, nor the raw text.
    auto mine = client.get("/v1/sessions/" + session_id + "/transcript" + wait, priya_token);
    REQUIRE_MESSAGE(mine.status == 200, mine.body);
    auto segments = mine.json().at("segments").as_array();
    REQUIRE(segments.size() == 1);
    CHECK(text(segments[0].at("speaker")) == "Priya Shah");
    CHECK(mine.json().at("scope").as_string() == "own_segments");
    CHECK_FALSE(mine.json().as_object().contains("text"));
    CHECK(mine.body.find("Omar") == std::string::npos);
    CHECK(mine.body.find("health") == std::string::npos);
    auto session = client.get("/v1/sessions/" + session_id + wait, priya_token);
    REQUIRE(session.status == 200);
    auto participants = session.json().at("participants").as_array();
    CHECK(participants.size() == 2);
    CHECK(session.body.find("Omar") == std::string::npos);

    // Her approved summary she reads; the draft follow-up she does not, until it is sent.
    auto her_summaries = client.get("/v1/sessions/" + session_id + "/summaries" + wait, priya_token);
    REQUIRE(her_summaries.status == 200);
    CHECK(her_summaries.json().as_array().size() == 1);
    CHECK(client.get("/v1/follow-ups" + wait, coach.access_token).json().as_array().size() == 1);
    auto her_follow_ups = client.get("/v1/follow-ups" + wait, priya_token);
    REQUIRE(her_follow_ups.status == 200);
    CHECK(her_follow_ups.json().as_array().empty());
    CHECK(client.get("/v1/follow-ups/" + follow_up_id, priya_token).status == 404);

    // Prep is the coach's: it holds their private notes.
    auto prep = client.get("/v1/clients/" + priya_id + "/prep" + wait, priya_token);
    CHECK(prep.status == 403);
    auto coach_prep = client.get("/v1/clients/" + priya_id + "/prep" + wait, coach.access_token);
    REQUIRE(coach_prep.status == 200);
    CHECK(coach_prep.body.find("ask about workload") != std::string::npos);
}
