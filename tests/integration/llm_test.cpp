// The optional LLM provider end to end: `debrief serve` configured with a chat-completions stub in this process.
// The analyser's draft is reviewed in the background, a free-form request is answered by the stub, and when the
// stub fails the built-in refiner answers and says the assistant was unavailable.
#include <doctest/doctest.h>

#include "events/codec.hpp"
#include "tests/integration/harness.hpp"
#include "tests/support/chat_completions_stub.hpp"

using namespace debrief;
using namespace debrief::it;
using debrief::testing::ChatCompletionsStub;
using debrief::testing::StubRequest;
using debrief::testing::StubResponse;
namespace json = boost::json;

namespace {

const std::string transcript =
    "[00:00:00] Coach Dana: Thanks for joining, Priya. Let's look at your calls from this week.\n"
    "[00:00:06] Priya Shah: Sure. I think the billing calls went better, my handle time came down to six minutes.\n"
    "[00:00:20] Priya Shah: I struggle with angry customers. I freeze when they shout and then the call drags on.\n"
    "[00:00:31] Coach Dana: I'd suggest you acknowledge the frustration first, then move to the fix.\n"
    "[00:00:38] Coach Dana: Can you try the acknowledgement script on five calls by Friday?\n"
    "[00:00:43] Priya Shah: Yes, I will.\n";

std::string answer(const char* win, const char* reply) {
    json::object summary{{"wins", json::array{win}},
                         {"challenges", json::array{"Freezes when customers shout"}},
                         {"action_items", json::array{json::object{{"title", "Use the acknowledgement script on five calls"},
                                                                   {"owner", "client"},
                                                                   {"due_date", "2026-11-20"}}}},
                         {"coach_recommendations", json::array{"Acknowledge the frustration first"}}};
    return ChatCompletionsStub::completion(json::serialize(json::object{{"summary", summary}, {"reply", reply}}));
}

StubResponse stub_answer(const StubRequest& request) {
    auto user = request.user_message();
    if (user.find("review the analyser's draft") != std::string::npos)
        return {200, answer("Brought handle time down to six minutes (reviewed)", "Tightened the wins against the transcript.")};
    if (user.find("pirate") != std::string::npos) return {200, answer("Arr, handle time be down to six minutes", "Arr, it now reads like a pirate wrote it.")};
    return {400, R"({"error":"the stub knows no such request"})"};
}

std::string text(const json::value& value) { return std::string(value.as_string()); }

std::vector<events::SummaryRefined> refinements(const Deployment& deployment, const std::string& summary_id) {
    std::vector<events::SummaryRefined> out;
    const auto keys = deployment_keys(deployment);
    for (const auto& record : read_topic(deployment.events_topic)) {
        auto event = events::decode(record.value, keys.get());
        if (!event || event->metadata.aggregate_id != summary_id) continue;
        if (const auto* refined = std::get_if<events::SummaryRefined>(&event->payload)) out.push_back(*refined);
    }
    return out;
}

}  // namespace

TEST_CASE("llm provider: drafts reviewed in the background, free-form refinement, fallback to the built-in refiner") {
    ChatCompletionsStub stub(stub_answer);
    Deployment deployment("llm");
    DebriefProcess debrief(deployment, {{"DEBRIEF_LLM_URL", stub.base_url()},
                                        {"DEBRIEF_LLM_API_KEY", "test-key"},
                                        {"DEBRIEF_LLM_MODEL", "stub-model"},
                                        {"DEBRIEF_LLM_TIMEOUT_MS", "5000"},
                                        {"DEBRIEF_LLM_RETRIES", "1"},
                                        {"DEBRIEF_LLM_BREAKER_FAILURES", "2"},
                                        {"DEBRIEF_LLM_BREAKER_COOLDOWN_MS", "600000"}});
    auto client = debrief.client();
    auto coach = sign_up(client, "Call Centre South");
    REQUIRE(client.post_json("/v1/clients", json::object{{"name", "Priya Shah"}}, coach.access_token).status == 201);
    auto created = client.post_json("/v1/sessions", session_body("plain", transcript, "2026-11-18", "call_review"), coach.access_token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto session_id = text(created.json().at("id"));
    auto drafts = client.get("/v1/sessions/" + session_id + "/summaries?position=" + text(created.json().at("position")) + "&wait_ms=20000",
                             coach.access_token);
    REQUIRE(drafts.status == 200);
    REQUIRE(drafts.json().as_array().size() == 1);
    auto summary_id = text(drafts.json().as_array()[0].at("id"));

    // The automatic review appears, eventually, as a refinement by the assistant.
    INFO(debrief.log_tail());
    REQUIRE(eventually(std::chrono::seconds(30), [&] { return !refinements(deployment, summary_id).empty(); }));
    auto reviewed = refinements(deployment, summary_id).at(0);
    CHECK(reviewed.message == "(automatic) review of the analyser's draft");
    CHECK(reviewed.refiner == "llm:stub-model");
    CHECK(reviewed.reply == "Tightened the wins against the transcript.");
    CHECK(reviewed.after.wins == std::vector<std::string>{"Brought handle time down to six minutes (reviewed)"});
    CHECK(reviewed.before != reviewed.after);
    REQUIRE(stub.request_count() == 1);
    auto review_request = stub.requests().at(0);
    CHECK(review_request.target == "/v1/chat/completions");
    CHECK(review_request.authorization == "Bearer test-key");
    CHECK(json::parse(review_request.body).at("model") == "stub-model");
    CHECK(review_request.user_message().find("acknowledgement script on five calls by Friday") != std::string::npos);  // the transcript
    for (const auto& win : reviewed.before.wins) CHECK(review_request.user_message().find(win) != std::string::npos);  // the draft
    REQUIRE(eventually(std::chrono::seconds(20), [&] {
        auto read = client.get("/v1/sessions/" + session_id + "/summaries", coach.access_token);
        return read.status == 200 && read.json().as_array()[0].at("wins") == json::array{"Brought handle time down to six minutes (reviewed)"};
    }));

    // A request the built-in refiner cannot do, answered by the assistant; it gets the transcript from the
    // RocksDB read model, so wait until that has the session.
    REQUIRE(client.get("/v1/sessions/" + session_id + "/transcript?position=" + text(created.json().at("position")) + "&wait_ms=20000",
                       coach.access_token).status == 200);
    const auto refine_target = "/v1/summaries/" + summary_id + "/refine";
    auto pirate = client.post_json(refine_target, json::object{{"message", "make it sound like a pirate"}}, coach.access_token);
    REQUIRE_MESSAGE(pirate.status == 200, pirate.body);
    CHECK(text(pirate.json().at("reply")) == "Arr, it now reads like a pirate wrote it.");
    CHECK(pirate.json().at("summary").at("wins") == json::array{"Arr, handle time be down to six minutes"});
    REQUIRE(stub.request_count() == 2);
    auto refine_request = stub.requests().at(1).user_message();
    CHECK(refine_request.find("make it sound like a pirate") != std::string::npos);
    CHECK(refine_request.find("(reviewed)") != std::string::npos);  // the summary as it read
    CHECK(refine_request.find("acknowledgement script on five calls by Friday") != std::string::npos);  // the transcript
    CHECK(refinements(deployment, summary_id).back().refiner == "llm:stub-model");

    // The provider fails: the built-in refiner answers and says so; once the breaker is open no request goes out.
    stub.set_handler([](const StubRequest&) { return StubResponse{500, R"({"error":"down"})"}; });
    auto fallback = client.post_json(refine_target, json::object{{"message", "add win: kept calm on the last call"}}, coach.access_token);
    REQUIRE_MESSAGE(fallback.status == 200, fallback.body);
    CHECK(text(fallback.json().at("reply")).starts_with("The assistant is unavailable right now"));
    CHECK(fallback.json().at("summary").at("wins").as_array().back() == "Kept calm on the last call");
    CHECK(stub.request_count() == 4);  // the first attempt and one retry
    CHECK(refinements(deployment, summary_id).back().refiner == "builtin-1");
    auto unsupported = client.post_json(refine_target, json::object{{"message", "make it sound like a pirate"}}, coach.access_token);
    CHECK(unsupported.status == 422);
    CHECK(text(unsupported.json().at("code")) == "refinement_unsupported");
    CHECK(text(unsupported.json().at("detail")).starts_with("the assistant is unavailable right now"));
    CHECK(stub.request_count() == 4);  // the breaker answered
}

TEST_CASE("llm provider: a stopped provider leaves the analyser's draft and falls back at once") {
    unsigned short stopped_port = 0;
    {
        ChatCompletionsStub gone([](const StubRequest&) { return StubResponse{500, "{}"}; });
        stopped_port = gone.port();
    }
    Deployment deployment("llm-down");
    DebriefProcess debrief(deployment, {{"DEBRIEF_LLM_URL", "http://127.0.0.1:" + std::to_string(stopped_port) + "/v1"},
                                        {"DEBRIEF_LLM_MODEL", "stub-model"},
                                        {"DEBRIEF_LLM_RETRIES", "0"}});
    auto client = debrief.client();
    auto coach = sign_up(client, "Call Centre East");
    REQUIRE(client.post_json("/v1/clients", json::object{{"name", "Priya Shah"}}, coach.access_token).status == 201);
    auto created = client.post_json("/v1/sessions", session_body("plain", transcript, "2026-11-18", "call_review"), coach.access_token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto drafts = client.get("/v1/sessions/" + text(created.json().at("id")) + "/summaries?position=" + text(created.json().at("position")) +
                                 "&wait_ms=20000",
                             coach.access_token);
    REQUIRE(drafts.status == 200);
    auto summary_id = text(drafts.json().as_array()[0].at("id"));
    auto refined = client.post_json("/v1/summaries/" + summary_id + "/refine", json::object{{"message", "remove win 1"}}, coach.access_token);
    REQUIRE_MESSAGE(refined.status == 200, refined.body);
    CHECK(text(refined.json().at("reply")).starts_with("The assistant is unavailable right now"));
    auto history = refinements(deployment, summary_id);
    REQUIRE(history.size() == 1);  // the failed review appended nothing; the draft stayed the analyser's
    CHECK(history[0].refiner == "builtin-1");
    CHECK(history[0].after.wins.size() + 1 == history[0].before.wins.size());
}
