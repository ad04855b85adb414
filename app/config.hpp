// Configuration of `debrief serve`: every option declared once with its flag, environment variable and default.
#pragma once

#include <string>
#include <vector>

#include "adapters/delivery/smtp_delivery.hpp"
#include "adapters/llm/llm_assistant.hpp"
#include "api/auth/tokens.hpp"
#include "api/http/http_server.hpp"
#include "api/routes.hpp"
#include "commands/follow_up.hpp"
#include "common/result.hpp"
#include "events/kafka_settings.hpp"
#include "projections/read_model_status.hpp"

namespace debrief::app {

struct Config {
    api::HttpServerSettings http;
    api::ApiSettings api{.max_position_waits = 0};  // 0: half the worker threads
    events::KafkaSettings kafka;
    std::string postgres_url = "postgresql://debrief@127.0.0.1:15432/debrief";
    std::string data_dir = ".local/data";
    std::string postgres_projector_group = "debrief-projector-postgres";  // one group per deployment
    std::size_t projector_batch_size = 500;                                // events per read-model transaction
    std::int64_t fault_crash_after_projector_commit = 0;                   // test-only fault injection; 0: off
    projections::ReadinessBounds readiness;                                // when /readyz calls a read model lagging or stuck
    api::TokenSettings tokens;
    adapters::LlmSettings llm;  // no URL: no LLM provider, the built-in refiner only
    std::string log_level = "info";
    // Follow-up delivery: SMTP when smtp.host is set, else .eml files in outbox_dir (default <data_dir>/outbox).
    delivery::SmtpSettings smtp;
    std::string outbox_dir;
    std::string mail_from = "Debrief <debrief@localhost>";
    commands::RetryPolicy delivery_retry;
};

// Flags win over DEBRIEF_* environment variables, which win over defaults. Unknown flags are errors.
Result<Config> load_config(const std::vector<std::string>& arguments);
std::string usage();
// One JSON object with every setting, secrets masked: printed at start.
std::string describe(const Config& config);

}  // namespace debrief::app
