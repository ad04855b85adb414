// The option table: flag, environment variable, default, description, and how each value is applied.
#include "app/config.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <algorithm>
#include <functional>

namespace debrief::app {
namespace {

struct Option {
    std::string_view flag;
    std::string_view env;
    std::string_view description;
    bool secret;
    std::function<std::optional<std::string>(Config&, const std::string&)> apply;  // returns an error message
    std::function<std::string(const Config&)> show;
};

std::optional<std::string> to_number(const std::string& text, long long min, long long max, long long& out) {
    try {
        std::size_t used = 0;
        out = std::stoll(text, &used);
        if (used != text.size()) return "not a whole number";
    } catch (const std::exception&) {
        return "not a whole number";
    }
    if (out < min || out > max) return "must be between " + std::to_string(min) + " and " + std::to_string(max);
    return std::nullopt;
}

template <typename Field>
Option integer(std::string_view flag, std::string_view env, std::string_view description, long long min, long long max, Field field) {
    return {flag, env, description, false,
            [=](Config& c, const std::string& v) -> std::optional<std::string> {
                long long n = 0;
                if (auto bad = to_number(v, min, max, n)) return bad;
                field(c) = static_cast<std::remove_reference_t<decltype(field(c))>>(n);
                return std::nullopt;
            },
            [=](const Config& c) { return std::to_string(field(const_cast<Config&>(c))); }};
}

template <typename Field>
Option milliseconds(std::string_view flag, std::string_view env, std::string_view description, long long min, long long max, Field field) {
    return {flag, env, description, false,
            [=](Config& c, const std::string& v) -> std::optional<std::string> {
                long long n = 0;
                if (auto bad = to_number(v, min, max, n)) return bad;
                field(c) = std::chrono::milliseconds(n);
                return std::nullopt;
            },
            [=](const Config& c) { return std::to_string(field(const_cast<Config&>(c)).count()); }};
}

template <typename Field>
Option text(std::string_view flag, std::string_view env, std::string_view description, bool secret, Field field) {
    return {flag, env, description, secret,
            [=](Config& c, const std::string& v) -> std::optional<std::string> {
                if (v.empty()) return "must not be empty";
                field(c) = v;
                return std::nullopt;
            },
            [=](const Config& c) { return field(const_cast<Config&>(c)); }};
}

const std::vector<Option>& options() {
    static const std::vector<Option> table{
        text("--http-host", "DEBRIEF_HTTP_HOST", "address the HTTP server binds", false, [](Config& c) -> std::string& { return c.http.host; }),
        integer("--http-port", "DEBRIEF_HTTP_PORT", "HTTP port (0: any free port)", 0, 65535, [](Config& c) -> unsigned short& { return c.http.port; }),
        integer("--worker-threads", "DEBRIEF_WORKER_THREADS", "threads that run request handlers", 1, 256, [](Config& c) -> int& { return c.http.worker_threads; }),
        integer("--max-body-bytes", "DEBRIEF_MAX_BODY_BYTES", "largest accepted request body", 1024, 64 << 20,
                [](Config& c) -> std::size_t& { return c.http.max_body_bytes; }),
        integer("--max-upload-bytes", "DEBRIEF_MAX_UPLOAD_BYTES", "largest accepted file upload (a metrics CSV; the file itself is limited to 5 MiB)",
                1024, 64 << 20, [](Config& c) -> std::size_t& { return c.http.max_upload_bytes; }),
        milliseconds("--read-wait-ms", "DEBRIEF_READ_WAIT_MS", "default wait of a query for its ?position=", 0, 60000,
                     [](Config& c) -> std::chrono::milliseconds& { return c.api.default_read_wait; }),
        integer("--max-position-waits", "DEBRIEF_MAX_POSITION_WAITS",
                "queries that may wait for their ?position= at once; more get 503 too_many_waits (0: half the worker threads)", 0, 256,
                [](Config& c) -> int& { return c.api.max_position_waits; }),
        text("--kafka-brokers", "DEBRIEF_KAFKA_BROKERS", "Kafka bootstrap servers", false, [](Config& c) -> std::string& { return c.kafka.brokers; }),
        text("--events-topic", "DEBRIEF_EVENTS_TOPIC", "topic of the public event log", false, [](Config& c) -> std::string& { return c.kafka.events_topic; }),
        text("--credentials-topic", "DEBRIEF_CREDENTIALS_TOPIC", "private compacted topic of login credentials", false,
             [](Config& c) -> std::string& { return c.kafka.credentials_topic; }),
        text("--transactional-id", "DEBRIEF_TRANSACTIONAL_ID", "Kafka transactional id of the writer; a second writer with it fences the first",
             false, [](Config& c) -> std::string& { return c.kafka.transactional_id; }),
        integer("--kafka-partitions", "DEBRIEF_KAFKA_PARTITIONS", "partitions of topics Debrief creates", 1, 10000, [](Config& c) -> int& { return c.kafka.partitions; }),
        integer("--kafka-replication", "DEBRIEF_KAFKA_REPLICATION", "replication factor of topics Debrief creates", 1, 16,
                [](Config& c) -> int& { return c.kafka.replication_factor; }),
        text("--postgres-url", "DEBRIEF_POSTGRES_URL", "PostgreSQL connection string", true, [](Config& c) -> std::string& { return c.postgres_url; }),
        text("--postgres-projector-group", "DEBRIEF_POSTGRES_PROJECTOR_GROUP", "Kafka consumer group of the PostgreSQL projector", false,
             [](Config& c) -> std::string& { return c.postgres_projector_group; }),
        integer("--projector-batch-size", "DEBRIEF_PROJECTOR_BATCH_SIZE", "most events a projector applies in one transaction", 1, 100000,
                [](Config& c) -> std::size_t& { return c.projector_batch_size; }),
        integer("--fault-crash-after-projector-commit", "DEBRIEF_FAULT_CRASH_AFTER_PROJECTOR_COMMIT",
                "test-only fault injection: exit right after the N-th PostgreSQL projector commit (0: off)", 0, std::int64_t{1} << 40,
                [](Config& c) -> std::int64_t& { return c.fault_crash_after_projector_commit; }),
        integer("--ready-max-lag-events", "DEBRIEF_READY_MAX_LAG_EVENTS", "a read model further behind the log end than this is lagging: /readyz 503",
                1, std::int64_t{1} << 40, [](Config& c) -> std::int64_t& { return c.readiness.max_lag_events; }),
        integer("--ready-stuck-after-ms", "DEBRIEF_READY_STUCK_AFTER_MS", "a read model behind the log that applied nothing for this long is stuck: /readyz 503",
                1000, 3'600'000, [](Config& c) -> std::int64_t& { return c.readiness.stuck_after_ms; }),
        text("--data-dir", "DEBRIEF_DATA_DIR", "directory of local state (RocksDB)", false, [](Config& c) -> std::string& { return c.data_dir; }),
        text("--jwt-secret", "DEBRIEF_JWT_SECRET", "HS256 signing secret, at least 32 bytes", true, [](Config& c) -> std::string& { return c.tokens.secret; }),
        integer("--access-token-ttl", "DEBRIEF_ACCESS_TOKEN_TTL_SECONDS", "access token lifetime in seconds", 30, 86400,
                [](Config& c) -> std::int64_t& { return c.tokens.access_ttl_seconds; }),
        text("--outbox-dir", "DEBRIEF_OUTBOX_DIR", "folder follow-up e-mails are dropped in when SMTP is not configured (default <data dir>/outbox)",
             false, [](Config& c) -> std::string& { return c.outbox_dir; }),
        text("--smtp-host", "DEBRIEF_SMTP_HOST", "SMTP relay for follow-ups; unset: file drop", false, [](Config& c) -> std::string& { return c.smtp.host; }),
        integer("--smtp-port", "DEBRIEF_SMTP_PORT", "SMTP relay port", 1, 65535, [](Config& c) -> unsigned short& { return c.smtp.port; }),
        text("--smtp-user", "DEBRIEF_SMTP_USER", "SMTP AUTH PLAIN user (optional)", false, [](Config& c) -> std::string& { return c.smtp.user; }),
        text("--smtp-password", "DEBRIEF_SMTP_PASSWORD", "SMTP AUTH PLAIN password", true, [](Config& c) -> std::string& { return c.smtp.password; }),
        milliseconds("--smtp-timeout-ms", "DEBRIEF_SMTP_TIMEOUT_MS", "deadline of one SMTP delivery", 100, 600000,
                     [](Config& c) -> std::chrono::milliseconds& { return c.smtp.timeout; }),
        text("--mail-from", "DEBRIEF_MAIL_FROM", "From: of follow-up e-mails (Reply-To: is the coach)", false,
             [](Config& c) -> std::string& { return c.mail_from; }),
        integer("--delivery-retry-base-ms", "DEBRIEF_DELIVERY_RETRY_BASE_MS", "wait before the first retry of a failed delivery; doubles per attempt",
                10, 86400000, [](Config& c) -> std::int64_t& { return c.delivery_retry.base_delay_ms; }),
        integer("--delivery-retry-max-ms", "DEBRIEF_DELIVERY_RETRY_MAX_MS", "longest wait between delivery attempts", 10, 86400000,
                [](Config& c) -> std::int64_t& { return c.delivery_retry.max_delay_ms; }),
        integer("--delivery-max-attempts", "DEBRIEF_DELIVERY_MAX_ATTEMPTS", "attempts before a follow-up is marked failed (it can be sent again)", 1,
                1000, [](Config& c) -> int& { return c.delivery_retry.max_attempts; }),
        text("--llm-url", "DEBRIEF_LLM_URL", "base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8081/v1 (unset: no LLM provider)", false,
             [](Config& c) -> std::string& { return c.llm.url; }),
        text("--llm-api-key", "DEBRIEF_LLM_API_KEY", "API key sent as a Bearer token to the LLM provider", true,
             [](Config& c) -> std::string& { return c.llm.api_key; }),
        text("--llm-model", "DEBRIEF_LLM_MODEL", "model name sent to the LLM provider (required with a URL)", false,
             [](Config& c) -> std::string& { return c.llm.model; }),
        integer("--llm-timeout-ms", "DEBRIEF_LLM_TIMEOUT_MS", "deadline of one request to the LLM provider, in milliseconds", 100, 600000,
                [](Config& c) -> std::int64_t& { return c.llm.timeout_ms; }),
        integer("--llm-retries", "DEBRIEF_LLM_RETRIES", "retries of a failed LLM request (connect errors, timeouts, 429, 5xx)", 0, 10,
                [](Config& c) -> int& { return c.llm.retries; }),
        integer("--llm-breaker-failures", "DEBRIEF_LLM_BREAKER_FAILURES", "consecutive LLM failures that open the circuit breaker", 1, 1000,
                [](Config& c) -> int& { return c.llm.breaker_failures; }),
        integer("--llm-breaker-cooldown-ms", "DEBRIEF_LLM_BREAKER_COOLDOWN_MS", "how long the open breaker waits before a trial request", 0, 3600000,
                [](Config& c) -> std::int64_t& { return c.llm.breaker_cooldown_ms; }),
        text("--log-level", "DEBRIEF_LOG_LEVEL", "trace, debug, info, warn or error", false, [](Config& c) -> std::string& { return c.log_level; }),
    };
    return table;
}

}  // namespace

Result<Config> load_config(const std::vector<std::string>& arguments) {
    Config config;
    for (const auto& option : options())
        if (const char* value = std::getenv(std::string(option.env).c_str()); value && *value)
            if (auto bad = option.apply(config, value)) return invalid("invalid_config", std::string(option.env) + ": " + *bad);
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        std::string argument = arguments[i];
        std::string value;
        bool has_value = false;
        if (auto eq = argument.find('='); eq != std::string::npos) {
            value = argument.substr(eq + 1);
            argument = argument.substr(0, eq);
            has_value = true;
        }
        auto it = std::find_if(options().begin(), options().end(), [&](const Option& o) { return o.flag == argument; });
        if (it == options().end()) return invalid("invalid_config", "unknown option " + argument + "\n" + usage());
        if (!has_value) {
            if (i + 1 >= arguments.size()) return invalid("invalid_config", argument + " needs a value");
            value = arguments[++i];
        }
        if (auto bad = it->apply(config, value)) return invalid("invalid_config", argument + ": " + *bad);
    }
    if (config.tokens.secret.size() < 32) return invalid("invalid_config", "DEBRIEF_JWT_SECRET (or --jwt-secret) must be set to at least 32 bytes");
    if (config.llm.enabled() && config.llm.model.empty())
        return invalid("invalid_config", "DEBRIEF_LLM_MODEL (or --llm-model) must be set when DEBRIEF_LLM_URL is");
    config.api.max_body_bytes = config.http.max_body_bytes;
    if (config.api.max_position_waits == 0) config.api.max_position_waits = std::max(1, config.http.worker_threads / 2);
    return config;
}

std::string usage() {
    std::string text = "usage: debrief serve [options]\n\noptions (flag, environment variable, description):\n";
    for (const auto& option : options())
        text += "  " + std::string(option.flag) + " <value>   " + std::string(option.env) + "\n      " + std::string(option.description) + "\n";
    return text;
}

std::string describe(const Config& config) {
    boost::json::object settings;
    for (const auto& option : options()) settings[option.env] = option.secret ? std::string("***") : option.show(config);
    return boost::json::serialize(settings);
}

}  // namespace debrief::app
