// The coaching workflow over HTTP on the real services: upload a transcript, read the drafts, refine three times,
// approve; the client sees the approved summary; what cannot be done is refused and appends nothing.
#include <doctest/doctest.h>

#include "events/codec.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

const std::string review_transcript =
    "[00:00:00] Coach Dana: Thanks for joining, Priya. Let's look at your calls from this week.\n"
    "[00:00:06] Priya Shah: Sure. I think the billing calls went better, my handle time came down to six minutes.\n"
    "[00:00:15] Coach Dana: That is a real improvement. Where did you get stuck?\n"
    "[00:00:20] Priya Shah: I struggle with angry customers. I freeze when they shout and then the call drags on.\n"
    "[00:00:31] Coach Dana: I'd suggest you acknowledge the frustration first, then move to the fix.\n"
    "[00:00:38] Coach Dana: Can you try the acknowledgement script on five calls by Friday?\n"
    "[00:00:43] Priya Shah: Yes, I will.\n";

std::string text(const json::value& value) { return std::string(value.as_string()); }

json::array list_of(const json::object& summary, const char* field) { return summary.at(field).as_array(); }

}  // namespace

TEST_CASE("coaching workflow: drafts, three refinements, approval, and the client's view") {
    Deployment deployment("workflow");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto coach = sign_up(client, "Call Centre North");
    auto priya = client.post_json("/v1/clients", json::object{{"name", "Priya Shah"}, {"email", "priya@example.com"}}, coach.access_token);
    REQUIRE(priya.status == 201);
    auto priya_id = text(priya.json().at("id"));

    auto created = client.post_json("/v1/sessions", session_body("plain", review_transcript, "2026-11-18", "call_review"), coach.access_token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto session_id = text(created.json().at("id"));
    auto summaries = client.get("/v1/sessions/" + session_id + "/summaries?position=" + text(created.json().at("position")) + "&wait_ms=20000",
                                coach.access_token);
    REQUIRE_MESSAGE(summaries.status == 200, summaries.body);
    auto drafts = summaries.json().as_array();
    REQUIRE(drafts.size() == 1);
    auto draft = drafts[0].as_object();
    INFO("draft: " << json::serialize(draft));
    CHECK(text(draft.at("client_id")) == priya_id);
    CHECK(text(draft.at("status")) == "draft");
    CHECK_FALSE(list_of(draft, "wins").empty());
    CHECK_FALSE(list_of(draft, "challenges").empty());
    CHECK_FALSE(list_of(draft, "coach_recommendations").empty());
    REQUIRE_FALSE(list_of(draft, "action_items").empty());
    CHECK(text(list_of(draft, "action_items")[0].as_object().at("due_date")) == "2026-11-20");  // "by Friday" on Wednesday 18th
    auto summary_id = text(draft.at("id"));
    const auto refine_target = "/v1/summaries/" + summary_id + "/refine";

    // Three refinements, each answered with the new summary, a reply and a position.
    auto first = client.post_json(refine_target, json::object{{"message", "add action item: listen to two calls with Dana by next Tuesday"}},
                                  coach.access_token);
    REQUIRE_MESSAGE(first.status == 200, first.body);
    auto items = first.json().at("summary").at("action_items").as_array();
    CHECK(text(items.back().as_object().at("title")) == "Listen to two calls with Dana");
    CHECK(text(items.back().as_object().at("due_date")) == "2026-11-24");
    CHECK_FALSE(text(first.json().at("reply")).empty());
    auto second = client.post_json(refine_target, json::object{{"message", "remove action item 1"}}, coach.access_token);
    REQUIRE_MESSAGE(second.status == 200, second.body);
    CHECK(second.json().at("summary").at("action_items").as_array().size() == items.size() - 1);
    auto third = client.post_json(refine_target, json::object{{"message", "more encouraging"}}, coach.access_token);
    REQUIRE_MESSAGE(third.status == 200, third.body);
    CHECK(text(third.json().at("summary").at("challenges").as_array()[0]).starts_with("Growth area: "));
    CHECK(third.json().at("summary").at("version").as_int64() == 4);

    // Refused requests append nothing: one the refiner cannot do, and an out-of-range one.
    const auto appended = read_topic(deployment.events_topic).size();
    auto unsupported = client.post_json(refine_target, json::object{{"message", "write it like a sonnet"}}, coach.access_token);
    CHECK(unsupported.status == 422);
    CHECK(text(unsupported.json().at("code")) == "refinement_unsupported");
    CHECK(text(unsupported.json().at("detail")).find("remove action item 2") != std::string::npos);
    auto out_of_range = client.post_json(refine_target, json::object{{"message", "remove action item 9"}}, coach.access_token);
    CHECK(text(out_of_range.json().at("code")) == "refinement_out_of_range");
    auto stale = client.post_json(refine_target, json::object{{"message", "remove win 1"}}, coach.access_token, {{"If-Match", "\"2\""}});
    CHECK(stale.status == 409);
    CHECK(read_topic(deployment.events_topic).size() == appended);

    auto approved = client.post_json("/v1/summaries/" + summary_id + "/approve", json::object{}, coach.access_token);
    REQUIRE_MESSAGE(approved.status == 200, approved.body);
    CHECK(text(approved.json().at("summary").at("status")) == "approved");
    auto after_approval = client.post_json(refine_target, json::object{{"message", "remove win 1"}}, coach.access_token);
    CHECK(after_approval.status == 409);
    CHECK(text(after_approval.json().at("code")) == "summary_approved");

    // The whole history is on the log: three refinements with before and after, then the approval.
    std::vector<std::string> history;
    const auto keys = deployment_keys(deployment);
    for (const auto& record : read_topic(deployment.events_topic)) {
        auto event = events::decode(record.value, keys.get()).value();
        if (event.metadata.aggregate_id != summary_id) continue;
        history.push_back(record.headers.at("ce_type"));
        if (const auto* refined = std::get_if<events::SummaryRefined>(&event.payload)) CHECK(refined->before != refined->after);
    }
    CHECK(history == std::vector<std::string>{"debrief.summary.drafted", "debrief.summary.refined", "debrief.summary.refined",
                                              "debrief.summary.refined", "debrief.summary.approved"});

    // The read model follows; the client sees their approved summary, another coach's organization nothing.
    auto position = text(approved.json().at("position"));
    auto read = client.get("/v1/sessions/" + session_id + "/summaries?position=" + position + "&wait_ms=20000", coach.access_token);
    REQUIRE(read.status == 200);
    auto final_summary = read.json().as_array()[0].as_object();
    CHECK(text(final_summary.at("status")) == "approved");
    CHECK(final_summary.at("version").as_int64() == 5);
    CHECK(final_summary.at("challenges") == approved.json().at("summary").at("challenges"));
    auto login = client.post_json("/v1/users", json::object{{"name", "Priya Shah"}, {"email", "priya.login@example.com"}, {"role", "client"},
                                                            {"password", "a long enough password"}, {"client_id", priya_id}},
                                  coach.access_token);
    REQUIRE(login.status == 201);
    auto priya_token = client.post_json("/v1/auth/login", json::object{{"email", "priya.login@example.com"}, {"password", "a long enough password"}});
    REQUIRE(priya_token.status == 200);
    auto mine = client.get("/v1/sessions/" + session_id + "/summaries?position=" + text(login.json().at("position")) + "&wait_ms=20000",
                           text(priya_token.json().at("access_token")));
    REQUIRE(mine.status == 200);
    CHECK(mine.json().as_array().size() == 1);
    CHECK(client.post_json(refine_target, json::object{{"message", "remove win 1"}}, text(priya_token.json().at("access_token"))).status == 403);
    auto stranger = sign_up(client, "Elsewhere");
    CHECK(client.get("/v1/sessions/" + session_id + "/summaries", stranger.access_token).status == 404);
    CHECK(client.post_json("/v1/summaries/" + summary_id + "/approve", json::object{}, stranger.access_token).status == 404);

    // Approval created the summary's action items; Priya completes hers, the coach reschedules and cancels.
    auto priya_access = text(priya_token.json().at("access_token"));
    auto listed = client.get("/v1/action-items?client_id=" + priya_id + "&position=" + position + "&wait_ms=20000", coach.access_token);
    REQUIRE_MESSAGE(listed.status == 200, listed.body);
    auto approved_items = approved.json().at("summary").at("action_items").as_array();
    auto listed_items = listed.json().as_array();
    REQUIRE(listed_items.size() == approved_items.size());
    REQUIRE(listed_items.size() >= 1);
    for (std::size_t i = 0; i < listed_items.size(); ++i) {
        CHECK(text(listed_items[i].at("source")) == "summary");
        CHECK(text(listed_items[i].at("summary_id")) == summary_id);
        CHECK(text(listed_items[i].at("status")) == "open");
    }
    auto item_id = text(listed_items[0].at("id"));
    auto done = client.post_json("/v1/action-items/" + item_id + "/complete", json::object{}, priya_access);
    REQUIRE_MESSAGE(done.status == 200, done.body);
    CHECK(text(done.json().at("action_item").at("status")) == "done");
    CHECK(client.post_json("/v1/action-items/" + item_id + "/complete", json::object{}, priya_access).status == 409);
    CHECK(client.post_json("/v1/action-items/" + item_id + "/reschedule", json::object{{"due_date", "2098-12-01"}}, priya_access).status == 403);
    auto reopened = client.post_json("/v1/action-items/" + item_id + "/reopen", json::object{}, coach.access_token);
    REQUIRE(reopened.status == 200);
    auto moved = client.post_json("/v1/action-items/" + item_id + "/reschedule", json::object{{"due_date", "2098-12-01"}}, coach.access_token);
    REQUIRE_MESSAGE(moved.status == 200, moved.body);
    CHECK(text(moved.json().at("action_item").at("due_date")) == "2098-12-01");
    CHECK(client.post_json("/v1/action-items/" + item_id + "/reschedule", json::object{{"due_date", "tomorrow"}}, coach.access_token).status == 422);

    // A manual item long past due is overdue; the filters find it, and the client sees only her own items.
    auto late = client.post_json("/v1/action-items", json::object{{"client_id", priya_id}, {"title", "Send the QA form"}, {"due_date", "2026-01-05"}},
                                 coach.access_token);
    REQUIRE_MESSAGE(late.status == 201, late.body);
    auto late_position = text(late.json().at("position"));
    auto overdue = client.get("/v1/action-items?status=overdue&position=" + late_position + "&wait_ms=20000", coach.access_token);
    REQUIRE(overdue.status == 200);
    REQUIRE(overdue.json().as_array().size() == 1);
    CHECK(text(overdue.json().as_array()[0].at("id")) == text(late.json().at("id")));
    CHECK(overdue.json().as_array()[0].at("overdue").as_bool());
    auto mine_items = client.get("/v1/action-items?position=" + late_position + "&wait_ms=20000", priya_access);
    REQUIRE(mine_items.status == 200);
    CHECK(mine_items.json().as_array().size() == listed_items.size() + 1);
    CHECK(client.get("/v1/action-items?position=" + late_position + "&wait_ms=20000", stranger.access_token).json().as_array().empty());
    auto cancelled = client.post_json("/v1/action-items/" + text(late.json().at("id")) + "/cancel", json::object{{"reason", "form retired"}},
                                      coach.access_token);
    REQUIRE(cancelled.status == 200);
    CHECK(client.get("/v1/action-items?status=bogus", coach.access_token).status == 422);

    // Notes and session prep: what the coach reads before the next session with Priya.
    auto note = client.post_json("/v1/notes", json::object{{"client_id", priya_id}, {"text", "Mentioned a team move in January"}}, coach.access_token);
    REQUIRE_MESSAGE(note.status == 201, note.body);
    auto prep = client.get("/v1/clients/" + priya_id + "/prep?position=" + text(note.json().at("position")) + "&wait_ms=20000", coach.access_token);
    REQUIRE_MESSAGE(prep.status == 200, prep.body);
    auto prep_body = prep.json().as_object();
    CHECK(text(prep_body.at("client").at("name")) == "Priya Shah");
    REQUIRE(prep_body.at("unaddressed_notes").as_array().size() == 1);
    CHECK(text(prep_body.at("unaddressed_notes").as_array()[0].at("text")) == "Mentioned a team move in January");
    CHECK(prep_body.at("open_action_items").as_array().size() == listed_items.size());  // one done then reopened, the manual one cancelled
    CHECK(text(prep_body.at("last_approved_summary").at("id")) == summary_id);
    CHECK(text(prep_body.at("last_approved_summary").at("session_date")) == "2026-11-18");
    auto addressed = client.post_json("/v1/notes/" + text(note.json().at("id")) + "/address", json::object{{"session_id", session_id}}, coach.access_token);
    REQUIRE_MESSAGE(addressed.status == 200, addressed.body);
    auto prep_after = client.get("/v1/clients/" + priya_id + "/prep?position=" + text(addressed.json().at("position")) + "&wait_ms=20000",
                                 coach.access_token);
    CHECK(prep_after.json().at("unaddressed_notes").as_array().empty());
    CHECK(client.get("/v1/clients/" + priya_id + "/prep", stranger.access_token).status == 404);

    // Clients read the sessions they took part in, and no other.
    CHECK(client.get("/v1/sessions/" + session_id, priya_access).status == 200);
    auto omar = client.post_json("/v1/clients", json::object{{"name", "Omar Haddad"}}, coach.access_token);
    REQUIRE(omar.status == 201);
    REQUIRE(client.post_json("/v1/users", json::object{{"name", "Omar Haddad"}, {"email", "omar@example.com"}, {"role", "client"},
                                                       {"password", "a long enough password"}, {"client_id", text(omar.json().at("id"))}},
                             coach.access_token)
                .status == 201);
    auto omar_token = text(client.post_json("/v1/auth/login", json::object{{"email", "omar@example.com"}, {"password", "a long enough password"}})
                               .json()
                               .at("access_token"));
    CHECK(client.get("/v1/sessions/" + session_id, omar_token).status == 404);
    CHECK(client.get("/v1/sessions/" + session_id + "/transcript", omar_token).status == 404);
    CHECK(client.get("/v1/sessions/" + session_id + "/summaries", omar_token).status == 404);
    CHECK(client.post_json("/v1/action-items/" + item_id + "/complete", json::object{}, stranger.access_token).status == 404);
}
