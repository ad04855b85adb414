// The writing assistant backed by an OpenAI-compatible chat-completions provider: the protocol of
// commands/refinement/llm_protocol, sent by ChatCompletionsClient, with retries and a circuit breaker.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "adapters/llm/circuit_breaker.hpp"
#include "adapters/llm/retry_policy.hpp"
#include "commands/refinement/assistant.hpp"

namespace debrief::adapters {

struct LlmSettings {
    std::string url;      // base URL, e.g. http://127.0.0.1:8081/v1; empty: no provider
    std::string api_key;  // Bearer token; may be empty for a local server
    std::string model;    // required with a URL
    std::int64_t timeout_ms = 20000;  // per attempt
    int retries = 2;
    int breaker_failures = 5;
    std::int64_t breaker_cooldown_ms = 30000;
    std::int64_t retry_base_delay_ms = 200;  // the first retry waits [base/2, base], the next twice as long, ...
    std::int64_t retry_max_delay_ms = 2000;
    bool enabled() const { return !url.empty(); }
};

class ChatCompletionsClient;

class LlmAssistant final : public refinement::Assistant {
public:
    // Seams for tests; left empty they are the steady clock, a real sleep and a seeded generator.
    struct Hooks {
        CircuitBreaker::Clock clock;
        std::function<void(std::chrono::milliseconds)> sleep;
        std::function<double()> random01;
    };

    static Result<std::unique_ptr<LlmAssistant>> create(const LlmSettings& settings, Hooks hooks = {});
    ~LlmAssistant() override;

    // Errors (kind unavailable): llm_circuit_open (no request sent), llm_connect_failed, llm_timeout,
    // llm_http_status, llm_malformed. Every failed attempt counts for the breaker; a success closes it.
    Result<refinement::AssistantProposal> propose(const refinement::AssistantRequest& request) override;

    CircuitState circuit() const { return breaker_.state(); }
    const std::string& refiner() const { return refiner_; }  // "llm:<model>"

private:
    LlmAssistant(const LlmSettings& settings, std::unique_ptr<ChatCompletionsClient> client, Hooks hooks);

    std::string model_;
    std::string refiner_;
    std::unique_ptr<ChatCompletionsClient> client_;
    RetryPolicy retry_;
    CircuitBreaker breaker_;
    Hooks hooks_;
};

}  // namespace debrief::adapters
