// One proposal: breaker check, attempts with backoff, strict parsing; every outcome told to the breaker.
#include "adapters/llm/llm_assistant.hpp"

#include <mutex>
#include <random>
#include <thread>

#include "adapters/llm/chat_completions_client.hpp"
#include "commands/refinement/llm_protocol.hpp"
#include "common/json_log.hpp"

namespace debrief::adapters {
namespace {

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double seeded_random01() {
    static std::mutex mutex;
    static std::mt19937_64 generator{std::random_device{}()};
    std::lock_guard lock(mutex);
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::string_view task_name(refinement::AssistantTask task) { return task == refinement::AssistantTask::review ? "review" : "refine"; }

}  // namespace

LlmAssistant::LlmAssistant(const LlmSettings& settings, std::unique_ptr<ChatCompletionsClient> client, Hooks hooks)
    : model_(settings.model),
      refiner_("llm:" + settings.model),
      client_(std::move(client)),
      retry_{settings.retries, std::chrono::milliseconds(settings.retry_base_delay_ms), std::chrono::milliseconds(settings.retry_max_delay_ms)},
      breaker_({settings.breaker_failures, settings.breaker_cooldown_ms}, hooks.clock ? hooks.clock : steady_ms),
      hooks_(std::move(hooks)) {
    if (!hooks_.sleep) hooks_.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };  // backoff
    if (!hooks_.random01) hooks_.random01 = seeded_random01;
}

LlmAssistant::~LlmAssistant() = default;

Result<std::unique_ptr<LlmAssistant>> LlmAssistant::create(const LlmSettings& settings, Hooks hooks) {
    if (settings.model.empty()) return invalid("invalid_config", "the LLM model must not be empty");
    auto client = ChatCompletionsClient::create({settings.url, settings.api_key, std::chrono::milliseconds(settings.timeout_ms)});
    if (!client) return client.error();
    return std::unique_ptr<LlmAssistant>(new LlmAssistant(settings, std::move(client).value(), std::move(hooks)));
}

Result<refinement::AssistantProposal> LlmAssistant::propose(const refinement::AssistantRequest& request) {
    const auto body = refinement::llm::request_body(request, model_);
    for (int attempt = 0;; ++attempt) {
        if (!breaker_.allow()) {
            log_warn("llm_circuit_open", {{"task", task_name(request.task)}, {"attempt", attempt}});
            return Error{ErrorKind::unavailable, "llm_circuit_open", "the assistant is paused after repeated failures"};
        }
        const auto started = steady_ms();
        auto reply = client_->post(body);
        std::optional<Error> failed;
        FailureKind kind = FailureKind::connect;
        int status = 0;
        if (!reply) {
            failed = reply.error();
            kind = reply.error().code == "llm_timeout" ? FailureKind::timeout : FailureKind::connect;
        } else if (reply->status < 200 || reply->status > 299) {
            status = reply->status;
            kind = FailureKind::http_status;
            failed = Error{ErrorKind::unavailable, "llm_http_status", "the provider answered HTTP " + std::to_string(status)};
        } else {
            auto content = refinement::llm::response_content(reply->body);
            auto proposal = content ? refinement::llm::parse_proposal(content.value(), request, refiner_) : Result<refinement::AssistantProposal>(content.error());
            if (proposal) {
                breaker_.record_success();
                log_info("llm_answered", {{"task", task_name(request.task)}, {"attempt", attempt}, {"duration_ms", steady_ms() - started}});
                return proposal;
            }
            kind = FailureKind::malformed;
            failed = proposal.error();
        }
        breaker_.record_failure();
        const bool retry = is_retryable(kind, status) && attempt < retry_.max_retries;
        log_warn("llm_failed", {{"task", task_name(request.task)}, {"attempt", attempt}, {"code", failed->code}, {"status", status},
                                {"duration_ms", steady_ms() - started}, {"retry", retry ? "true" : "false"}, {"circuit", to_string(breaker_.state())}});
        if (!retry) return *failed;
        hooks_.sleep(retry_.delay_before(attempt, hooks_.random01()));
    }
}

}  // namespace debrief::adapters
