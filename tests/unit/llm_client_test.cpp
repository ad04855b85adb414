// The LLM assistant over real HTTP against an in-process chat-completions stub on 127.0.0.1: success, retries of
// 5xx and 429, no retry of 4xx or malformed answers, the timeout of a held response, and the circuit breaker.
#include <doctest/doctest.h>

#include "adapters/llm/chat_completions_client.hpp"
#include "adapters/llm/llm_assistant.hpp"
#include "app/config.hpp"
#include "tests/support/chat_completions_stub.hpp"

using namespace debrief;
using namespace debrief::adapters;
using debrief::testing::ChatCompletionsStub;
using debrief::testing::StubRequest;
using debrief::testing::StubResponse;
namespace json = boost::json;

namespace {

refinement::AssistantRequest request() {
    refinement::AssistantRequest r;
    r.message = "make it sound like a pirate";
    r.current = {{"Handle time down"}, {}, {}, {}};
    r.transcript_excerpt = "Priya: my handle time came down\n";
    r.session_date = "2026-11-18";
    r.session_type = "call_review";
    r.client_id = ClientId{"client-1"};
    r.coach_id = UserId{"coach-1"};
    return r;
}

const std::string pirate_content =
    R"({"summary":{"wins":["Arr, handle time be down"],"challenges":[],"action_items":[{"title":"Swab the deck","owner":"client","due_date":null}],)"
    R"("coach_recommendations":[]},"reply":"Arr!"})";

ChatCompletionsSettings settings(std::string url) {
    ChatCompletionsSettings s;
    s.base_url = std::move(url);
    return s;
}

StubResponse ok() { return {200, ChatCompletionsStub::completion(pirate_content)}; }

struct Fixture {
    std::int64_t now_ms = 0;
    std::vector<std::chrono::milliseconds> backoffs;
    LlmAssistant::Hooks hooks() {
        return {[this] { return now_ms; }, [this](std::chrono::milliseconds d) { backoffs.push_back(d); }, [] { return 0.5; }};
    }
    std::unique_ptr<LlmAssistant> assistant(const ChatCompletionsStub& stub, int retries = 2, int breaker_failures = 5, std::int64_t timeout_ms = 5000) {
        LlmSettings settings{stub.base_url(), "test-key", "stub-model", timeout_ms, retries, breaker_failures, 1000};
        auto created = LlmAssistant::create(settings, hooks());
        REQUIRE(created.ok());
        return std::move(created).value();
    }
};

}  // namespace

TEST_CASE("the assistant posts a chat-completions request and reads the proposal from the answer") {
    ChatCompletionsStub stub([](const StubRequest&) { return ok(); });
    Fixture f;
    auto proposal = f.assistant(stub)->propose(request());
    REQUIRE_MESSAGE(proposal.ok(), proposal.error().message);
    CHECK(proposal->after.wins == std::vector<std::string>{"Arr, handle time be down"});
    CHECK(proposal->after.action_items.at(0).owner_id == "client-1");
    CHECK(proposal->reply == "Arr!");
    CHECK(proposal->refiner == "llm:stub-model");
    auto seen = stub.requests();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].method == "POST");
    CHECK(seen[0].target == "/v1/chat/completions");
    CHECK(seen[0].authorization == "Bearer test-key");
    auto body = json::parse(seen[0].body);
    CHECK(body.at("model") == "stub-model");
    CHECK(seen[0].user_message().find("make it sound like a pirate") != std::string::npos);
    CHECK(f.backoffs.empty());
}

TEST_CASE("a 500 is retried after a backoff, and the retry's answer is used") {
    std::atomic<int> calls{0};
    ChatCompletionsStub stub([&](const StubRequest&) { return ++calls == 1 ? StubResponse{500, R"({"error":"busy"})"} : ok(); });
    Fixture f;
    auto proposal = f.assistant(stub)->propose(request());
    REQUIRE_MESSAGE(proposal.ok(), proposal.error().message);
    CHECK(stub.request_count() == 2);
    REQUIRE(f.backoffs.size() == 1);
    CHECK(f.backoffs[0] == std::chrono::milliseconds(150));  // base 200 ms, jitter 0.5 in [100, 200]
}

TEST_CASE("429 is retried until the retries run out; a 4xx is not retried") {
    ChatCompletionsStub stub([](const StubRequest&) { return StubResponse{429, "{}"}; });
    Fixture f;
    auto limited = f.assistant(stub, 2)->propose(request());
    REQUIRE_FALSE(limited.ok());
    CHECK(limited.error().code == "llm_http_status");
    CHECK(stub.request_count() == 3);
    CHECK(f.backoffs.size() == 2);

    stub.set_handler([](const StubRequest&) { return StubResponse{401, R"({"error":"bad key"})"}; });
    Fixture g;
    auto refused = g.assistant(stub, 2)->propose(request());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "llm_http_status");
    CHECK(stub.request_count() == 4);
    CHECK(g.backoffs.empty());
}

TEST_CASE("a malformed answer is a failure, not retried") {
    ChatCompletionsStub stub([](const StubRequest&) { return StubResponse{200, ChatCompletionsStub::completion("Arr, here be your summary!")}; });
    Fixture f;
    auto proposal = f.assistant(stub)->propose(request());
    REQUIRE_FALSE(proposal.ok());
    CHECK(proposal.error().code == "llm_malformed");
    CHECK(stub.request_count() == 1);
}

TEST_CASE("a response held past the timeout is a timeout") {
    ChatCompletionsStub stub([](const StubRequest&) { return StubResponse{200, ChatCompletionsStub::completion(pirate_content), true}; });
    Fixture f;
    auto started = std::chrono::steady_clock::now();
    auto proposal = f.assistant(stub, 0, 5, 300)->propose(request());
    auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(proposal.ok());
    CHECK(proposal.error().code == "llm_timeout");
    CHECK(waited >= std::chrono::milliseconds(300));
    CHECK(waited < std::chrono::milliseconds(5000));
    CHECK(stub.request_count() == 1);
    stub.release();
}

TEST_CASE("a refused connection is retried, then reported") {
    unsigned short closed_port = 0;
    {
        ChatCompletionsStub gone([](const StubRequest&) { return ok(); });
        closed_port = gone.port();
    }
    Fixture f;
    LlmSettings settings{"http://127.0.0.1:" + std::to_string(closed_port) + "/v1", "", "m", 2000, 1, 5, 1000};
    auto assistant = LlmAssistant::create(settings, f.hooks());
    REQUIRE(assistant.ok());
    auto proposal = assistant.value()->propose(request());
    REQUIRE_FALSE(proposal.ok());
    CHECK(proposal.error().code == "llm_connect_failed");
    CHECK(f.backoffs.size() == 1);
}

TEST_CASE("after N failures the breaker opens and answers without a request; after the cool-down one trial closes it") {
    ChatCompletionsStub stub([](const StubRequest&) { return StubResponse{503, "{}"}; });
    Fixture f;
    auto assistant = f.assistant(stub, 0, 3);
    for (int i = 0; i < 3; ++i) CHECK(assistant->propose(request()).error().code == "llm_http_status");
    CHECK(assistant->circuit() == CircuitState::open);
    CHECK(stub.request_count() == 3);
    auto short_circuited = assistant->propose(request());
    REQUIRE_FALSE(short_circuited.ok());
    CHECK(short_circuited.error().code == "llm_circuit_open");
    CHECK(stub.request_count() == 3);  // no request went out

    stub.set_handler([](const StubRequest&) { return ok(); });
    f.now_ms += 999;
    CHECK(assistant->propose(request()).error().code == "llm_circuit_open");
    CHECK(stub.request_count() == 3);
    f.now_ms += 1;
    CHECK(assistant->propose(request()).ok());
    CHECK(stub.request_count() == 4);
    CHECK(assistant->circuit() == CircuitState::closed);
}

TEST_CASE("malformed answers count for the breaker too") {
    ChatCompletionsStub stub([](const StubRequest&) { return StubResponse{200, "{\"choices\":[]}"}; });
    Fixture f;
    auto assistant = f.assistant(stub, 2, 2);
    CHECK(assistant->propose(request()).error().code == "llm_malformed");
    CHECK(assistant->propose(request()).error().code == "llm_malformed");
    CHECK(assistant->propose(request()).error().code == "llm_circuit_open");
    CHECK(stub.request_count() == 2);
}

TEST_CASE("the client takes only absolute http:// or https:// URLs") {
    CHECK(ChatCompletionsClient::create(settings("127.0.0.1:8081/v1")).error().code == "invalid_config");
    CHECK(ChatCompletionsClient::create(settings("ftp://example.com/v1")).error().code == "invalid_config");
    auto plain = ChatCompletionsClient::create(settings("http://127.0.0.1:8081/v1/"));
    REQUIRE(plain.ok());
    CHECK(plain.value()->endpoint() == "http://127.0.0.1:8081/v1/chat/completions");
    auto tls = ChatCompletionsClient::create(settings("https://api.example.com/v1"));
    REQUIRE(tls.ok());
    CHECK(tls.value()->endpoint() == "https://api.example.com:443/v1/chat/completions");
}

TEST_CASE("LLM options: defaults, flags, the key masked when described, and a model required with a URL") {
    const std::string secret(40, 's');
    auto plain = app::load_config({"--jwt-secret", secret, "--master-key-file", "/etc/debrief/master.key"});
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->llm.enabled());
    CHECK(plain->llm.timeout_ms == 20000);
    CHECK(plain->llm.retries == 2);
    CHECK(plain->llm.breaker_failures == 5);
    CHECK(plain->llm.breaker_cooldown_ms == 30000);

    auto configured = app::load_config({"--jwt-secret", secret, "--master-key-file", "/etc/debrief/master.key", "--llm-url", "http://127.0.0.1:8081/v1", "--llm-api-key", "sk-very-secret",
                                        "--llm-model", "stub-model", "--llm-timeout-ms=1500", "--llm-retries=0"});
    REQUIRE(configured.ok());
    CHECK(configured->llm.enabled());
    CHECK(configured->llm.api_key == "sk-very-secret");
    CHECK(configured->llm.timeout_ms == 1500);
    CHECK(configured->llm.retries == 0);
    auto described = app::describe(configured.value());
    CHECK(described.find("sk-very-secret") == std::string::npos);
    CHECK(described.find("\"DEBRIEF_LLM_MODEL\":\"stub-model\"") != std::string::npos);

    auto no_model = app::load_config({"--jwt-secret", secret, "--master-key-file", "/etc/debrief/master.key", "--llm-url", "http://127.0.0.1:8081/v1"});
    REQUIRE_FALSE(no_model.ok());
    CHECK(no_model.error().code == "invalid_config");
    CHECK(app::load_config({"--jwt-secret", secret, "--master-key-file", "/etc/debrief/master.key", "--llm-retries", "11"}).error().code == "invalid_config");
}
