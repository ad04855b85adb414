// Configuration of `debrief serve`: every option declared once, in the option table of config.cpp, with its flag,
// environment variable, default and description; the help text, the start-up log line and the README's table are
// all read from that table.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/delivery/smtp_delivery.hpp"
#include "adapters/llm/llm_assistant.hpp"
#include "api/auth/tokens.hpp"
#include "api/http/http_server.hpp"
#include "api/routes.hpp"
#include "app/readiness_probe.hpp"
#include "commands/follow_up.hpp"
#include "common/result.hpp"
#include "events/kafka_settings.hpp"
#include "projections/read_model_status.hpp"

namespace debrief::app {

// Every value here is set by load_config from the option table, defaults included. The settings structs of the
// other modules keep member initializers for code that builds them directly (unit tests); a unit test checks that
// none of them contradicts the table. Config's own members have none on purpose: their defaults are in the table.
struct Config {
    api::HttpServerSettings http;
    api::ApiSettings api;
    std::vector<std::string> allowed_origins;  // pages that may open a WebSocket
    std::string rate_limits;                   // "on" | "off" (benchmarks and load tests)
    std::string ws_deflate;                    // "on" | "off": permessage-deflate offered on /v1/ws
    events::KafkaSettings kafka;
    int kafka_probe_timeout_ms = 0;           // readiness and log-end questions to the brokers
    std::string kafka_sasl_password_file;     // read by load_config into kafka.security.sasl_password
    std::string postgres_url;
    std::string data_dir;
    std::string postgres_projector_group;     // one group per deployment
    std::size_t projector_batch_size = 0;     // events per read-model transaction
    std::size_t replay_workers = 0;           // connections a PostgreSQL replay applies the log on
    std::int64_t fault_crash_after_projector_commit = 0;  // test-only fault injection; 0: off
    std::int64_t startup_retry_ms = 0;        // how long start-up retries an unreachable Kafka or PostgreSQL
    int rebuild_credentials_timeout_ms = 0;   // reading the credentials topic to its end at start
    int rebuild_events_timeout_ms = 0;        // reading the event log to its end at start
    std::int64_t snapshot_every_events = 0;   // events folded between write-model snapshots; 0: none
    projections::ReadinessBounds readiness;   // when /readyz calls a read model lagging or stuck
    ReadinessProbeSettings readiness_probe;
    api::TokenSettings tokens;
    std::string master_key_file;              // wraps the data subjects' keys (events/keyring.hpp)
    adapters::LlmSettings llm;  // no URL: no LLM provider, the built-in refiner only
    std::size_t review_queue_capacity = 0;    // drafts waiting for the LLM provider's review
    std::string log_level;
    // Follow-up delivery: SMTP when smtp.host is set, else .eml files in outbox_dir (default <data_dir>/outbox).
    delivery::SmtpSettings smtp;
    std::string outbox_dir;
    std::string mail_from;
    commands::RetryPolicy delivery_retry;
    std::chrono::milliseconds outbox_idle_check{0};
};

// What an option of the table says about itself.
struct OptionSpec {
    enum class Shown {
        plain,
        secret,       // *** when set
        credentials,  // a URL or connection string: its passwords and keys are masked (mask_credentials)
    };
    std::string_view flag;
    std::string_view env;
    std::string_view default_value;  // read like a value from a flag; empty: unset
    std::string_view default_note;   // the README's words beside the default, or instead of it when it is unset
    std::string_view description;    // Markdown: --help prints `code` spans without the backticks
    Shown shown = Shown::plain;
};
// Every option, in the order of --help and of the README's table.
std::vector<OptionSpec> option_specs();

// The value of an environment variable, or nothing when it is not set.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_environment(const std::string& name);

// Flags win over DEBRIEF_* environment variables, which win over the table's defaults. An unknown flag, a value out
// of range and a missing required value are errors (code invalid_config); an empty variable counts as unset.
Result<Config> load_config(const std::vector<std::string>& arguments, const Environment& environment = process_environment);
// `debrief --help`: every option with its variable, default and description.
std::string usage();
// One JSON object, variable -> effective value, secrets masked: logged once at start.
std::string describe(const Config& config);
// The rows of the README's configuration table, one per option, in the table's order.
std::vector<std::string> markdown_rows();
// Passwords and keys inside a connection string or URL replaced by ***: the user info's password
// (scheme://user:password@host), and password=, api_key=, token=... in a query string or a libpq key=value string.
std::string mask_credentials(std::string_view text);

}  // namespace debrief::app
