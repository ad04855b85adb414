// The optional LLM provider's pure parts: the circuit breaker on a fake clock, the retry policy, the prompt, the
// strict reading of answers, and how RefineSummary and ReviewDraft decide with the assistant's answer as a fact.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "adapters/llm/circuit_breaker.hpp"
#include "adapters/llm/retry_policy.hpp"
#include "tests/support/given_when_then.hpp"
#include "commands/refinement/llm_protocol.hpp"
#include "commands/summary.hpp"

using namespace debrief;
using namespace debrief::adapters;
namespace json = boost::json;
namespace llm = debrief::refinement::llm;

namespace {

refinement::AssistantRequest sample_request() {
    refinement::AssistantRequest request;
    request.task = refinement::AssistantTask::refine;
    request.message = "make it sound like a pirate";
    request.current = {{"Handle time down to six minutes"}, {"Freezes with angry customers"}, {{"Try the script", "client-1", "2026-11-20"}}, {}};
    request.transcript_excerpt = "Priya Shah: I struggle with angry customers.\n";
    request.session_date = "2026-11-18";
    request.session_type = "call_review";
    request.client_name = "Priya Shah";
    request.coach_name = "Dana";
    request.client_id = ClientId{"client-1"};
    request.coach_id = UserId{"coach-1"};
    return request;
}

std::string answer(json::value summary, json::value reply = "Arr, done.") {
    return json::serialize(json::object{{"summary", std::move(summary)}, {"reply", std::move(reply)}});
}

json::object good_summary() {
    return json::object{{"wins", json::array{"Arr, handle time be down"}},
                        {"challenges", json::array{}},
                        {"action_items", json::array{json::object{{"title", "Try the script"}, {"owner", "coach"}, {"due_date", "2026-11-21"}},
                                                     json::object{{"title", "Listen to calls"}, {"owner", "client"}, {"due_date", nullptr}}}},
                        {"coach_recommendations", json::array{"Keep the course"}}};
}

}  // namespace

TEST_CASE("circuit breaker: opens after N consecutive failures, half-opens after the cool-down, closes on success") {
    std::int64_t now = 1000;
    CircuitBreaker breaker({3, 500}, [&] { return now; });
    CHECK(breaker.state() == CircuitState::closed);
    breaker.record_failure();
    breaker.record_failure();
    breaker.record_success();  // a success in between: failures must be consecutive
    breaker.record_failure();
    breaker.record_failure();
    CHECK(breaker.allow());
    breaker.record_failure();
    CHECK(breaker.state() == CircuitState::open);
    CHECK_FALSE(breaker.allow());
    now += 499;
    CHECK_FALSE(breaker.allow());
    now += 1;
    CHECK(breaker.allow());  // the one trial call
    CHECK(breaker.state() == CircuitState::half_open);
    CHECK_FALSE(breaker.allow());  // others wait for its outcome
    breaker.record_success();
    CHECK(breaker.state() == CircuitState::closed);
    CHECK(breaker.allow());
}

TEST_CASE("circuit breaker: a failed trial call opens it again for a whole cool-down") {
    std::int64_t now = 0;
    CircuitBreaker breaker({1, 100}, [&] { return now; });
    breaker.record_failure();
    CHECK(breaker.state() == CircuitState::open);
    now = 100;
    REQUIRE(breaker.allow());
    now = 150;
    breaker.record_failure();
    CHECK(breaker.state() == CircuitState::open);
    now = 249;
    CHECK_FALSE(breaker.allow());
    now = 250;
    CHECK(breaker.allow());
}

TEST_CASE("retry policy: exponential backoff with jitter, capped; retries connect errors, timeouts, 429 and 5xx only") {
    RetryPolicy policy{3, std::chrono::milliseconds(100), std::chrono::milliseconds(1000)};
    CHECK(policy.delay_before(0, 0.0).count() == 50);
    CHECK(policy.delay_before(0, 1.0).count() == 100);
    CHECK(policy.delay_before(1, 0.0).count() == 100);
    CHECK(policy.delay_before(2, 0.5).count() == 300);  // in [200, 400]
    CHECK(policy.delay_before(10, 1.0).count() == 1000);
    CHECK(policy.delay_before(10, 0.0).count() == 500);
    CHECK(is_retryable(FailureKind::connect));
    CHECK(is_retryable(FailureKind::timeout));
    CHECK(is_retryable(FailureKind::http_status, 429));
    CHECK(is_retryable(FailureKind::http_status, 500));
    CHECK(is_retryable(FailureKind::http_status, 503));
    CHECK_FALSE(is_retryable(FailureKind::http_status, 400));
    CHECK_FALSE(is_retryable(FailureKind::http_status, 401));
    CHECK_FALSE(is_retryable(FailureKind::http_status, 404));
    CHECK_FALSE(is_retryable(FailureKind::malformed));
}

TEST_CASE("the request asks for a JSON object and carries the model, the summary, the request and the transcript") {
    auto body = json::parse(llm::request_body(sample_request(), "stub-model")).as_object();
    CHECK(body.at("model") == "stub-model");
    CHECK(body.at("temperature").to_number<double>() == 0);
    CHECK(body.at("response_format").at("type") == "json_object");
    const auto& messages = body.at("messages").as_array();
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].at("role") == "system");
    CHECK(std::string(messages[0].at("content").as_string()).find("\"action_items\"") != std::string::npos);
    CHECK(messages[1].at("role") == "user");
    std::string user(messages[1].at("content").as_string());
    CHECK(user.find("make it sound like a pirate") != std::string::npos);
    CHECK(user.find("Handle time down to six minutes") != std::string::npos);
    CHECK(user.find("\"owner\":\"client\"") != std::string::npos);
    CHECK(user.find("I struggle with angry customers") != std::string::npos);
    CHECK(user.find("Priya Shah") != std::string::npos);

    auto review = sample_request();
    review.task = refinement::AssistantTask::review;
    std::string review_user(json::parse(llm::request_body(review, "m")).at("messages").as_array()[1].at("content").as_string());
    CHECK(review_user.find("review the analyser's draft") != std::string::npos);
    CHECK(review_user.find("pirate") == std::string::npos);
}

TEST_CASE("a long transcript is cut for the assistant, at a line end, and marked") {
    std::string transcript;
    while (transcript.size() < 3 * refinement::max_transcript_excerpt_chars) transcript += "Coach: another line of the conversation.\n";
    auto excerpt = refinement::transcript_excerpt(transcript);
    CHECK(excerpt.size() <= refinement::max_transcript_excerpt_chars + 30);
    CHECK(excerpt.ends_with("[... transcript cut ...]\n"));
    CHECK(refinement::transcript_excerpt("A: hi\n") == "A: hi\n");
}

TEST_CASE("a well-formed answer becomes a proposal with owners mapped to the client and the coach") {
    auto body = json::serialize(json::object{{"choices", json::array{json::object{{"message", json::object{{"role", "assistant"}, {"content", answer(good_summary())}}}}}}});
    auto content = llm::response_content(body);
    REQUIRE(content.ok());
    auto proposal = llm::parse_proposal(content.value(), sample_request(), "llm:stub-model");
    REQUIRE_MESSAGE(proposal.ok(), proposal.error().message);
    CHECK(proposal->refiner == "llm:stub-model");
    CHECK(proposal->reply == "Arr, done.");
    CHECK(proposal->after.wins == std::vector<std::string>{"Arr, handle time be down"});
    CHECK(proposal->after.challenges.empty());
    REQUIRE(proposal->after.action_items.size() == 2);
    CHECK(proposal->after.action_items[0] == events::ActionItemDraft{"Try the script", "coach-1", "2026-11-21"});
    CHECK(proposal->after.action_items[1] == events::ActionItemDraft{"Listen to calls", "client-1", ""});
    CHECK(proposal->after.coach_recommendations == std::vector<std::string>{"Keep the course"});
}

TEST_CASE("a chat-completions body without choices[0].message.content is malformed") {
    for (std::string body : {"not json", "[]", "{}", R"({"choices":[]})", R"({"choices":[{"message":{}}]})", R"({"choices":[{"message":{"content":7}}]})"}) {
        CAPTURE(body);
        auto content = llm::response_content(body);
        REQUIRE_FALSE(content.ok());
        CHECK(content.error().code == "llm_malformed");
        CHECK(content.error().kind == ErrorKind::unavailable);
    }
}

TEST_CASE("an answer is read strictly: types, keys, lengths, list sizes, owners and dates") {
    auto with = [](const char* key, json::value value) {
        auto summary = good_summary();
        summary[key] = std::move(value);
        return answer(summary);
    };
    auto item = [](json::value title, json::value owner, json::value due) {
        return json::array{json::object{{"title", std::move(title)}, {"owner", std::move(owner)}, {"due_date", std::move(due)}}};
    };
    json::array too_many;
    for (int i = 0; i < 13; ++i) too_many.emplace_back("a win");
    auto summary_without_wins = good_summary();
    summary_without_wins.erase("wins");
    auto summary_with_extra = good_summary();
    summary_with_extra["mood"] = "jolly";
    std::vector<std::pair<std::string, std::string>> cases{
        {"not JSON", "Arr! Here is your summary"},
        {"fenced JSON", "```json\n" + answer(good_summary()) + "\n```"},
        {"a list", "[]"},
        {"no reply", json::serialize(json::object{{"summary", good_summary()}})},
        {"an extra key", json::serialize(json::object{{"summary", good_summary()}, {"reply", "ok"}, {"note", "x"}})},
        {"a missing list", answer(summary_without_wins)},
        {"an extra list", answer(summary_with_extra)},
        {"a list that is a string", with("wins", "one win")},
        {"a number in a list", with("wins", json::array{1})},
        {"an empty item", with("wins", json::array{"   "})},
        {"an item too long", with("wins", json::array{std::string(301, 'a')})},
        {"an item over two lines", with("challenges", json::array{"one\ntwo"})},
        {"too many items", with("wins", too_many)},
        {"an owner neither client nor coach", with("action_items", item("Call", "Priya", nullptr))},
        {"a due date that is no date", with("action_items", item("Call", "client", "next Friday"))},
        {"an impossible date", with("action_items", item("Call", "client", "2026-02-30"))},
        {"an empty due date", with("action_items", item("Call", "client", ""))},
        {"an action item without a title", with("action_items", json::array{json::object{{"owner", "client"}, {"due_date", nullptr}}})},
        {"an empty reply", answer(good_summary(), "  ")},
        {"a reply that is no string", answer(good_summary(), 3)},
        {"a reply too long", answer(good_summary(), json::string(std::string(2001, 'r')))},
    };
    for (const auto& [name, content] : cases) {
        CAPTURE(name);
        auto proposal = llm::parse_proposal(content, sample_request(), "llm:m");
        REQUIRE_FALSE(proposal.ok());
        CHECK(proposal.error().code == "llm_malformed");
    }
}

namespace {

const OrganizationId org{"org-1"};

commands::SummaryState draft_state() {
    return debrief::testing::folded<commands::Summary>(commands::SummaryState{}, {events::SummaryDrafted{SummaryId{"sum-1"}, SessionId{"s-1"}, ClientId{"client-1"}, UserId{"coach-1"},
                                                   events::SummaryContent{{"Closed two escalations"}, {"Late notes"}, {{"Block chat", "client-1", ""}}, {}},
                                                   "high", false, 0.3, "builtin-1"}});
}
commands::UserState coach_state() {
    commands::UserState state;
    state.exists = true;
    state.organization_id = org;
    state.role = "coach";
    return state;
}
commands::Actor the_coach() { return {UserId{"coach-1"}, org, "coach"}; }
refinement::AssistantProposal pirate() {
    return {events::SummaryContent{{"Arr, closed two escalations"}, {"Late notes, matey"}, {{"Block chat", "coach-1", "2026-11-21"}}, {}},
            "Arr, I made it sound like a pirate.", "llm:stub-model"};
}
commands::RefineSummary refine(std::string message, std::optional<commands::AssistantAnswer> answer) {
    return {SummaryId{"sum-1"}, the_coach(), std::move(message), "2026-11-20", std::move(answer)};
}

}  // namespace

TEST_CASE("given the assistant's proposal, a refinement records it with the assistant as refiner") {
    auto events = decide(draft_state(), refine("make it sound like a pirate", commands::AssistantAnswer{pirate(), 1}), coach_state());
    REQUIRE(events.ok());
    const auto& refined = std::get<events::SummaryRefined>(events->at(0));
    CHECK(refined.refiner == "llm:stub-model");
    CHECK(refined.reply == "Arr, I made it sound like a pirate.");
    CHECK(refined.before == draft_state().content);
    CHECK(refined.after == pirate().after);
    CHECK(refined.message == "make it sound like a pirate");
}

TEST_CASE("the assistant's proposal for an older version of the summary is a conflict; role rules still hold") {
    auto stale = decide(draft_state(), refine("make it sound like a pirate", commands::AssistantAnswer{pirate(), 0}), coach_state());
    REQUIRE_FALSE(stale.ok());
    CHECK(stale.error().code == "summary_changed");
    CHECK(stale.error().kind == ErrorKind::conflict);
    auto foreign = refine("make it sound like a pirate", commands::AssistantAnswer{pirate(), 1});
    foreign.actor = {UserId{"coach-9"}, OrganizationId{"org-9"}, "coach"};
    CHECK(decide(draft_state(), foreign, coach_state()).error().kind == ErrorKind::not_found);
    auto stranger = pirate();
    stranger.after.action_items[0].owner_id = "someone-else";
    CHECK(decide(draft_state(), refine("x", commands::AssistantAnswer{stranger, 1}), coach_state()).error().code == "assistant_proposal_invalid");
}

TEST_CASE("when the assistant failed, the built-in refiner answers and says so") {
    auto fallback = decide(draft_state(), refine("remove win 1", commands::AssistantAnswer{std::nullopt, 1}), coach_state());
    REQUIRE(fallback.ok());
    const auto& refined = std::get<events::SummaryRefined>(fallback->at(0));
    CHECK(refined.refiner == "builtin-1");
    CHECK(refined.reply.starts_with("The assistant is unavailable right now"));
    CHECK(refined.after.wins.empty());

    auto unsupported = decide(draft_state(), refine("make it sound like a pirate", commands::AssistantAnswer{std::nullopt, 1}), coach_state());
    REQUIRE_FALSE(unsupported.ok());
    CHECK(unsupported.error().code == "refinement_unsupported");
    CHECK(unsupported.error().message.starts_with("the assistant is unavailable right now"));
    CHECK(unsupported.error().message.find("remove action item 2") != std::string::npos);

    // Without an assistant configured, as before.
    auto plain = decide(draft_state(), refine("make it sound like a pirate", std::nullopt), coach_state());
    CHECK(plain.error().message.starts_with("without an LLM provider I can do these"));
}

TEST_CASE("an automatic review appends the assistant's changes to a draft, and nothing when it changes nothing") {
    auto reviewed = decide(draft_state(), commands::ReviewDraft{SummaryId{"sum-1"}, pirate(), 1});
    REQUIRE(reviewed.ok());
    const auto& refined = std::get<events::SummaryRefined>(reviewed->at(0));
    CHECK(refined.message == commands::automatic_review_message);
    CHECK(refined.refiner == "llm:stub-model");
    CHECK(refined.after == pirate().after);

    auto same = pirate();
    same.after = draft_state().content;
    CHECK(decide(draft_state(), commands::ReviewDraft{SummaryId{"sum-1"}, same, 1}).error().code == "refinement_no_change");
    CHECK(decide(draft_state(), commands::ReviewDraft{SummaryId{"sum-1"}, pirate(), 0}).error().code == "summary_changed");
    CHECK(decide(commands::SummaryState{}, commands::ReviewDraft{SummaryId{"sum-1"}, pirate(), 0}).error().code == "summary_not_found");
    auto approved = debrief::testing::folded<commands::Summary>(draft_state(), {events::SummaryApproved{SummaryId{"sum-1"}, draft_state().content}});
    CHECK(decide(approved, commands::ReviewDraft{SummaryId{"sum-1"}, pirate(), 2}).error().code == "summary_approved");
}

TEST_CASE("an assistant's answer that changes nothing appends nothing and passes the reply on") {
    auto same = pirate();
    same.after = draft_state().content;
    same.reply = "The summary already reads well.";
    auto decided = decide(draft_state(), refine("is this fine?", commands::AssistantAnswer{same, 1}), coach_state());
    REQUIRE_FALSE(decided.ok());
    CHECK(decided.error().code == "refinement_no_change");
    CHECK(decided.error().message.find("The summary already reads well.") != std::string::npos);
}
