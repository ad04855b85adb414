// The option table: for each option its flag, environment variable, default, description, how its value is read and
// how it is shown. load_config, usage, describe and the README's table (checked by tests/unit/config_test.cpp) all
// read this one table.
#include "app/config.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>

namespace debrief::app {
namespace {

using Spec = OptionSpec;
using Shown = OptionSpec::Shown;

struct Option {
    Spec spec;
    std::function<std::optional<std::string>(Config&, const std::string&)> apply;  // an error message when refused
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

// `field` is a generic lambda `[](auto& c) -> auto& { return c.member; }`: the same accessor reads a const Config
// to show the value and writes a Config to apply one.
template <typename Field>
Option integer(Spec spec, long long min, long long max, Field field) {
    return {spec,
            [=](Config& c, const std::string& v) -> std::optional<std::string> {
                long long n = 0;
                if (auto bad = to_number(v, min, max, n)) return bad;
                field(c) = static_cast<std::remove_reference_t<decltype(field(c))>>(n);
                return std::nullopt;
            },
            [=](const Config& c) { return std::to_string(field(c)); }};
}

// A duration in whole `Unit`s (milliseconds, seconds) into a std::chrono field.
template <typename Unit, typename Field>
Option duration(Spec spec, long long min, long long max, Field field) {
    return {spec,
            [=](Config& c, const std::string& v) -> std::optional<std::string> {
                long long n = 0;
                if (auto bad = to_number(v, min, max, n)) return bad;
                field(c) = Unit(n);
                return std::nullopt;
            },
            [=](const Config& c) { return std::to_string(std::chrono::duration_cast<Unit>(field(c)).count()); }};
}

template <typename Field>
Option milliseconds(Spec spec, long long min, long long max, Field field) {
    return duration<std::chrono::milliseconds>(spec, min, max, field);
}

template <typename Field>
Option seconds(Spec spec, long long min, long long max, Field field) {
    return duration<std::chrono::seconds>(spec, min, max, field);
}

template <typename Field>
Option text(Spec spec, Field field) {
    return {spec,
            [=](Config& c, const std::string& v) -> std::optional<std::string> {
                if (v.empty()) return "must not be empty";
                field(c) = v;
                return std::nullopt;
            },
            [=](const Config& c) { return std::string(field(c)); }};
}

// Text that must be one of `allowed`.
template <typename Field>
Option choice(Spec spec, std::vector<std::string> allowed, Field field) {
    return {spec,
            [=](Config& c, const std::string& v) -> std::optional<std::string> {
                if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
                    std::string list;
                    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
                    return "must be one of " + list;
                }
                field(c) = v;
                return std::nullopt;
            },
            [=](const Config& c) { return std::string(field(c)); }};
}

// Origins (scheme://host[:port]), separated by commas.
template <typename Field>
Option origin_list(Spec spec, Field field) {
    return {spec,
            [=](Config& c, const std::string& v) -> std::optional<std::string> {
                std::vector<std::string> origins;
                std::size_t start = 0;
                while (start <= v.size()) {
                    auto end = std::min(v.find(',', start), v.size());
                    auto origin = v.substr(start, end - start);
                    while (!origin.empty() && origin.front() == ' ') origin.erase(origin.begin());
                    while (!origin.empty() && origin.back() == ' ') origin.pop_back();
                    const auto scheme = origin.find("://");
                    if ((!origin.starts_with("http://") && !origin.starts_with("https://")) || origin.find('/', scheme + 3) != std::string::npos ||
                        origin.size() == scheme + 3)
                        return "'" + origin + "' is not an origin: scheme://host[:port], e.g. https://app.example.com";
                    origins.push_back(std::move(origin));
                    start = end + 1;
                }
                field(c) = std::move(origins);
                return std::nullopt;
            },
            [=](const Config& c) {
                std::string shown;
                for (const auto& origin : field(c)) shown += (shown.empty() ? "" : ",") + origin;
                return shown;
            }};
}

constexpr long long mebibytes_64 = 64LL << 20;
constexpr long long one_hour_ms = 3'600'000;
constexpr long long one_day_ms = 86'400'000;

const std::vector<Option>& options() {
    static const std::vector<Option> table{
        // The HTTP front
        text({"--http-host", "DEBRIEF_HTTP_HOST", "127.0.0.1", "", "address the HTTP server binds"},
             [](auto& c) -> auto& { return c.http.host; }),
        integer({"--http-port", "DEBRIEF_HTTP_PORT", "8080", "", "HTTP port (0: any free port)"}, 0, 65535,
                [](auto& c) -> auto& { return c.http.port; }),
        integer({"--worker-threads", "DEBRIEF_WORKER_THREADS", "8", "",
                 "threads that run request handlers (1..256), each in a fiber: a command waiting for its Kafka transaction gives its "
                 "thread back; the PostgreSQL query pool has these plus the slow pool's 8 (sign-up, login, refresh, logout, invitations, "
                 "changes of a second factor, refinement and `?position=` waits run there, at most 256 at once, beyond that `503 overloaded`)"},
                1, 256, [](auto& c) -> auto& { return c.http.worker_threads; }),
        integer({"--max-body-bytes", "DEBRIEF_MAX_BODY_BYTES", "1048576", "", "largest accepted request body (1024..64 MiB); larger gets 413"},
                1024, mebibytes_64, [](auto& c) -> auto& { return c.http.max_body_bytes; }),
        integer({"--max-upload-bytes", "DEBRIEF_MAX_UPLOAD_BYTES", "8388608", "",
                 "largest accepted body of a file upload, `POST /v1/metrics/imports` (1024..64 MiB); the CSV itself is limited to 5 MiB"},
                1024, mebibytes_64, [](auto& c) -> auto& { return c.http.max_upload_bytes; }),
        milliseconds({"--http-read-timeout-ms", "DEBRIEF_HTTP_READ_TIMEOUT_MS", "30000", "",
                      "deadline of reading one request and of writing one answer; an idle keep-alive connection is closed after it (100..3600000)"},
                     100, one_hour_ms, [](auto& c) -> auto& { return c.http.read_timeout; }),
        seconds({"--drain-seconds", "DEBRIEF_DRAIN_SECONDS", "30", "",
                 "at SIGINT or SIGTERM new connections are refused, every WebSocket is closed `1001` with a hint to reconnect, and requests "
                 "in flight (commands waiting for their transaction included) may take this long to finish before the HTTP server closes "
                 "their connections (0..600)"},
                0, 600, [](auto& c) -> auto& { return c.http.drain_timeout; }),
        // After --drain-seconds in this table: when both are in the environment this one wins (they apply in table order).
        milliseconds({"--drain-timeout-ms", "DEBRIEF_DRAIN_TIMEOUT_MS", "", "`DEBRIEF_DRAIN_SECONDS`",
                      "the same bound in milliseconds, for tests and fine tuning; when set it replaces `DEBRIEF_DRAIN_SECONDS` (0..600000)"},
                     0, 600'000, [](auto& c) -> auto& { return c.http.drain_timeout; }),
        text({"--tls-certificate-file", "DEBRIEF_TLS_CERTIFICATE_FILE", "", "none: plain HTTP",
              "PEM file of the server's certificate (then any intermediates): with `--tls-key-file` the HTTP port speaks HTTPS and WSS "
              "only, every answer carries HSTS, and a plain HTTP request to it is answered `400 https_required`; `./ops/tls-cert` makes a "
              "self-signed one for this machine"},
             [](auto& c) -> auto& { return c.http.tls_certificate_file; }),
        text({"--tls-key-file", "DEBRIEF_TLS_KEY_FILE", "", "none", "PEM file of the certificate's private key; required with, and refused without, a certificate"},
             [](auto& c) -> auto& { return c.http.tls_private_key_file; }),
        choice({"--tls-min-version", "DEBRIEF_TLS_MIN_VERSION", "1.2", "",
                "the oldest TLS version a client may speak: 1.2, or 1.3 for TLS 1.3 only (a TLS 1.2 client's handshake then fails)"},
               {"1.2", "1.3"}, [](auto& c) -> auto& { return c.http.tls_min_version; }),
        origin_list({"--allowed-origins", "DEBRIEF_ALLOWED_ORIGINS", "", "none",
                     "origins (`scheme://host[:port]`, comma-separated) whose pages may call the API (CORS) and open the WebSocket `/v1/ws`; "
                     "a preflight or an upgrade from any other origin is refused `403 origin_not_allowed` (clients that send no `Origin` are "
                     "not browsers and are not asked)"},
                    [](auto& c) -> auto& { return c.allowed_origins; }),
        choice({"--ws-deflate", "DEBRIEF_WS_DEFLATE", "on", "",
                "`on`: the WebSocket `/v1/ws` offers permessage-deflate (RFC 7692) with 1 KiB windows, and a client that accepts it gets "
                "messages of 256 bytes or more compressed (each socket compresses its own); `off`: never compressed"},
               {"on", "off"}, [](auto& c) -> auto& { return c.ws_deflate; }),
        integer({"--rate-limit-per-minute", "DEBRIEF_RATE_LIMIT_PER_MINUTE", "100", "",
                 "requests a minute each user may send (0..1000000; 0: no limit), a burst up to it allowed; one more gets `429 rate_limited` "
                 "with `Retry-After`; every limited answer carries `RateLimit` and `RateLimit-Policy`"},
                0, 1'000'000, [](auto& c) -> auto& { return c.api.rate_limit_per_minute; }),
        integer({"--auth-rate-limit-per-minute", "DEBRIEF_AUTH_RATE_LIMIT_PER_MINUTE", "60", "",
                 "sign-ups, logins and refreshes a minute from one client address (0..1000000; 0: no limit), beside the slower "
                 "throttle of wrong passwords for one account"},
                0, 1'000'000, [](auto& c) -> auto& { return c.api.auth_rate_limit_per_minute; }),
        integer({"--api-key-rate-limit-per-minute", "DEBRIEF_API_KEY_RATE_LIMIT_PER_MINUTE", "600", "",
                 "requests a minute each API key may send (0..1000000; 0: no limit): an integrator's key has a bucket of its own, "
                 "not its creator's"},
                0, 1'000'000, [](auto& c) -> auto& { return c.api.api_key_rate_limit_per_minute; }),
        choice({"--rate-limits", "DEBRIEF_RATE_LIMITS", "on", "",
                "`off` turns the rate limits above and the WebSocket's message rate off, for benchmarks and load tests (logged loudly at "
                "start); the throttle of wrong passwords stays"},
               {"on", "off"}, [](auto& c) -> auto& { return c.rate_limits; }),
        milliseconds({"--read-wait-ms", "DEBRIEF_READ_WAIT_MS", "5000", "", "default wait of a query for its `?position=` (0..60000)"}, 0, 60'000,
                     [](auto& c) -> auto& { return c.api.default_read_wait; }),
        milliseconds({"--max-read-wait-ms", "DEBRIEF_MAX_READ_WAIT_MS", "30000", "",
                      "longest wait a query may ask for with `&wait_ms=`; a longer one is cut to it (0..600000)"},
                     0, 600'000, [](auto& c) -> auto& { return c.api.max_read_wait; }),
        integer({"--max-position-waits", "DEBRIEF_MAX_POSITION_WAITS", "0", "",
                 "queries that may wait for their `?position=` at once (0..256; 0: half the slow pool's 8 threads); one more gets "
                 "`503 too_many_waits`"},
                0, 256, [](auto& c) -> auto& { return c.api.max_position_waits; }),
        // Readiness
        integer({"--ready-max-lag-events", "DEBRIEF_READY_MAX_LAG_EVENTS", "10000", "",
                 "a read model further behind the log end is `lagging` and `/readyz` answers 503"},
                1, std::int64_t{1} << 40, [](auto& c) -> auto& { return c.readiness.max_lag_events; }),
        integer({"--ready-stuck-after-ms", "DEBRIEF_READY_STUCK_AFTER_MS", "30000", "",
                 "a read model behind the log that applied nothing for this long is `stuck` and `/readyz` answers 503"},
                1000, one_hour_ms, [](auto& c) -> auto& { return c.readiness.stuck_after_ms; }),
        integer({"--ready-failing-grace-ms", "DEBRIEF_READY_FAILING_GRACE_MS", "5000", "",
                 "a projector failing (and retrying) for longer than this is `failing` and `/readyz` answers 503; a shorter blip is not "
                 "reported (0..3600000)"},
                0, one_hour_ms, [](auto& c) -> auto& { return c.readiness.failing_grace_ms; }),
        milliseconds({"--ready-probe-interval-ms", "DEBRIEF_READY_PROBE_INTERVAL_MS", "1000", "",
                      "pause between two background readiness probes; `/readyz` answers the last one at once (10..600000)"},
                     10, 600'000, [](auto& c) -> auto& { return c.readiness_probe.interval; }),
        milliseconds({"--ready-probe-max-age-ms", "DEBRIEF_READY_PROBE_MAX_AGE_MS", "5000", "",
                      "a probe result older than this (the probe hangs) makes `/readyz` answer 503 (100..3600000)"},
                     100, one_hour_ms, [](auto& c) -> auto& { return c.readiness_probe.max_age; }),
        // Kafka
        text({"--kafka-brokers", "DEBRIEF_KAFKA_BROKERS", "127.0.0.1:19092", "", "Kafka bootstrap servers"},
             [](auto& c) -> auto& { return c.kafka.brokers; }),
        choice({"--kafka-security-protocol", "DEBRIEF_KAFKA_SECURITY_PROTOCOL", "plaintext", "",
                "how every Kafka client of Debrief (the writer, the projectors, the readers, the probes, the dead-letter publisher) "
                "connects: plaintext, ssl, sasl_plaintext or sasl_ssl (librdkafka's `security.protocol`); `./ops/run` and `./ops/test` use "
                "sasl_plaintext as the local broker's `debrief` principal"},
               {"plaintext", "ssl", "sasl_plaintext", "sasl_ssl"}, [](auto& c) -> auto& { return c.kafka.security.protocol; }),
        choice({"--kafka-sasl-mechanism", "DEBRIEF_KAFKA_SASL_MECHANISM", "PLAIN", "",
                "SASL mechanism of a `sasl_*` protocol: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; against Kafka 4 brokers SCRAM needs "
                "librdkafka 2.6.1 or later (Debian bookworm has 2.0.2), so use PLAIN, over `sasl_ssl` beyond one machine"},
               {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}, [](auto& c) -> auto& { return c.kafka.security.sasl_mechanism; }),
        text({"--kafka-sasl-username", "DEBRIEF_KAFKA_SASL_USERNAME", "", "none",
              "Debrief's Kafka principal; required with a `sasl_*` protocol, refused without one"},
             [](auto& c) -> auto& { return c.kafka.security.sasl_username; }),
        text({"--kafka-sasl-password", "DEBRIEF_KAFKA_SASL_PASSWORD", "", "none",
              "its password; required with a `sasl_*` protocol unless `--kafka-sasl-password-file` gives it", Shown::secret},
             [](auto& c) -> auto& { return c.kafka.security.sasl_password; }),
        text({"--kafka-sasl-password-file", "DEBRIEF_KAFKA_SASL_PASSWORD_FILE", "", "none",
              "a file holding the password (a final line break is dropped), read once at start; not together with `--kafka-sasl-password`"},
             [](auto& c) -> auto& { return c.kafka_sasl_password_file; }),
        text({"--kafka-ssl-ca-location", "DEBRIEF_KAFKA_SSL_CA_LOCATION", "", "none: the system's",
              "PEM file of the authorities that sign the brokers' certificates, with an `ssl` or `sasl_ssl` protocol"},
             [](auto& c) -> auto& { return c.kafka.security.ssl_ca_location; }),
        text({"--events-topic", "DEBRIEF_EVENTS_TOPIC", "debrief.events", "", "topic of the public event log"},
             [](auto& c) -> auto& { return c.kafka.events_topic; }),
        text({"--credentials-topic", "DEBRIEF_CREDENTIALS_TOPIC", "debrief.credentials", "", "private compacted topic of login credentials"},
             [](auto& c) -> auto& { return c.kafka.credentials_topic; }),
        text({"--keys-topic", "DEBRIEF_KEYS_TOPIC", "debrief.keys", "",
              "private compacted topic of the data subjects' keys, which seal personal data in events (wrapped by the master key)"},
             [](auto& c) -> auto& { return c.kafka.keys_topic; }),
        text({"--audit-topic", "DEBRIEF_AUDIT_TOPIC", "debrief.audit", "",
              "private topic of the audit trail: every read of private material, ids only (docs/privacy.md)"},
             [](auto& c) -> auto& { return c.kafka.audit_topic; }),
        integer({"--audit-retention-days", "DEBRIEF_AUDIT_RETENTION_DAYS", "2557", "",
                 "how long the audit trail keeps a record, on its topic (set when Debrief creates it) and in its read model (1..36500; "
                 "the default is 7 years)"},
                1, 36500, [](auto& c) -> auto& { return c.kafka.audit_retention_days; }),
        text({"--transactional-id", "DEBRIEF_TRANSACTIONAL_ID", "debrief-writer", "",
              "Kafka transactional id of the writer; a second process with the same id fences the first"},
             [](auto& c) -> auto& { return c.kafka.transactional_id; }),
        integer({"--kafka-transaction-timeout-ms", "DEBRIEF_KAFKA_TRANSACTION_TIMEOUT_MS", "30000", "",
                 "the writer's `transaction.timeout.ms`: bounds a commit, and so how long a command waits for a broken broker; a record's "
                 "delivery timeout is half of it (1000..900000, the broker's default `transaction.max.timeout.ms`)"},
                1000, 900'000, [](auto& c) -> auto& { return c.kafka.transaction_timeout_ms; }),
        integer({"--kafka-probe-timeout-ms", "DEBRIEF_KAFKA_PROBE_TIMEOUT_MS", "2000", "",
                 "deadline of the brokers' answer to a readiness probe or to a question about the end of the log (100..60000)"},
                100, 60'000, [](auto& c) -> auto& { return c.kafka_probe_timeout_ms; }),
        choice({"--kafka-compression", "DEBRIEF_KAFKA_COMPRESSION", "none", "",
                "how the writer compresses record batches: none, lz4, zstd, gzip or snappy (see \"Performance\")"},
               {"none", "lz4", "zstd", "gzip", "snappy"}, [](auto& c) -> auto& { return c.kafka.compression; }),
        integer({"--kafka-partitions", "DEBRIEF_KAFKA_PARTITIONS", "6", "", "partitions of topics Debrief creates"}, 1, 10000,
                [](auto& c) -> auto& { return c.kafka.partitions; }),
        integer({"--kafka-replication", "DEBRIEF_KAFKA_REPLICATION", "1", "", "replication factor of topics Debrief creates"}, 1, 16,
                [](auto& c) -> auto& { return c.kafka.replication_factor; }),
        // Start-up
        integer({"--startup-retry-ms", "DEBRIEF_STARTUP_RETRY_MS", "60000", "",
                 "how long start-up retries an unreachable Kafka or PostgreSQL (topics, the writer, migrations) before it exits with status 1 "
                 "(0..3600000)"},
                0, one_hour_ms, [](auto& c) -> auto& { return c.startup_retry_ms; }),
        integer({"--rebuild-credentials-timeout-ms", "DEBRIEF_REBUILD_CREDENTIALS_TIMEOUT_MS", "120000", "",
                 "deadline of reading the credentials topic to its end at start; past it start fails with status 1 (1000..86400000)"},
                1000, one_day_ms, [](auto& c) -> auto& { return c.rebuild_credentials_timeout_ms; }),
        integer({"--rebuild-events-timeout-ms", "DEBRIEF_REBUILD_EVENTS_TIMEOUT_MS", "600000", "",
                 "deadline of reading the event log to its end at start (the write model's rebuild); past it start fails with status 1 "
                 "(1000..86400000)"},
                1000, one_day_ms, [](auto& c) -> auto& { return c.rebuild_events_timeout_ms; }),
        integer({"--snapshot-every-events", "DEBRIEF_SNAPSHOT_EVERY_EVENTS", "50000", "",
                 "the write model's snapshot (`<data-dir>/write-model`) is written again once this many events were folded since the last one "
                 "(at start after reading the log, in a quiet second while serving, and at shutdown), so a start reads only the log "
                 "after it; 0: no snapshots, every start reads the whole log (0..100000000)"},
                0, 100'000'000, [](auto& c) -> auto& { return c.snapshot_every_events; }),
        // PostgreSQL and the read models
        text({"--postgres-url", "DEBRIEF_POSTGRES_URL", "postgresql://debrief@127.0.0.1:15432/debrief", "",
              "PostgreSQL connection string, a URL or `key=value` pairs", Shown::credentials},
             [](auto& c) -> auto& { return c.postgres_url; }),
        text({"--postgres-projector-group", "DEBRIEF_POSTGRES_PROJECTOR_GROUP", "debrief-projector-postgres", "",
              "Kafka consumer group of the PostgreSQL projector"},
             [](auto& c) -> auto& { return c.postgres_projector_group; }),
        integer({"--projector-batch-size", "DEBRIEF_PROJECTOR_BATCH_SIZE", "500", "",
                 "most events the PostgreSQL projector applies in one transaction (1..100000)"},
                1, 100000, [](auto& c) -> auto& { return c.projector_batch_size; }),
        integer({"--replay-workers", "DEBRIEF_REPLAY_WORKERS", "4", "",
                 "connections (and threads) a rebuild of the PostgreSQL read model and a past moment's replay apply the log on, side by "
                 "side, each a share of the organizations (1..16)"},
                1, 16, [](auto& c) -> auto& { return c.replay_workers; }),
        integer({"--fault-crash-after-projector-commit", "DEBRIEF_FAULT_CRASH_AFTER_PROJECTOR_COMMIT", "0", "(off)",
                 "**test-only fault injection**, never set in production: the process exits at once with status 86 right after the N-th "
                 "PostgreSQL projector transaction commits, before it records progress or polls again (logged as `fault_injected_crash`)"},
                0, std::int64_t{1} << 40, [](auto& c) -> auto& { return c.fault_crash_after_projector_commit; }),
        text({"--data-dir", "DEBRIEF_DATA_DIR", ".local/data", "", "directory of local state (RocksDB: the search read model in `<data-dir>/search`, or the rebuilt copy `search.current` names, the write model's snapshot in `<data-dir>/write-model`)"},
             [](auto& c) -> auto& { return c.data_dir; }),
        // Secrets
        text({"--master-key-file", "DEBRIEF_MASTER_KEY_FILE", "", "none: required",
              "file of the 32-byte master key (64 hex digits, base64, or raw) that wraps every data subject's key; keep it off the "
              "brokers' machines, and never lose it: without it no sealed field can be read"},
             [](auto& c) -> auto& { return c.master_key_file; }),
        text({"--jwt-secret", "DEBRIEF_JWT_SECRET", "", "none: required", "HS256 signing secret, at least 32 bytes", Shown::secret},
             [](auto& c) -> auto& { return c.tokens.secret; }),
        integer({"--access-token-ttl", "DEBRIEF_ACCESS_TOKEN_TTL_SECONDS", "900", "", "access token lifetime in seconds (30..86400)"}, 30, 86400,
                [](auto& c) -> auto& { return c.tokens.access_ttl_seconds; }),
        integer({"--refresh-token-ttl", "DEBRIEF_REFRESH_TOKEN_TTL_SECONDS", "2592000", "(30 days)",
                 "refresh token lifetime in seconds (60..31536000)"},
                60, 31'536'000, [](auto& c) -> auto& { return c.tokens.refresh_ttl_seconds; }),
        text({"--log-level", "DEBRIEF_LOG_LEVEL", "info", "", "trace, debug, info, warn or error"},
             [](auto& c) -> auto& { return c.log_level; }),
        // Follow-up delivery
        text({"--outbox-dir", "DEBRIEF_OUTBOX_DIR", "", "`<data-dir>/outbox`", "where follow-ups are dropped as `<id>.eml` when SMTP is not configured"},
             [](auto& c) -> auto& { return c.outbox_dir; }),
        milliseconds({"--outbox-idle-check-ms", "DEBRIEF_OUTBOX_IDLE_CHECK_MS", "1000", "",
                      "how often an idle outbox looks again for follow-ups that are due (also after an outcome the log refused) (10..600000)"},
                     10, 600'000, [](auto& c) -> auto& { return c.outbox_idle_check; }),
        text({"--smtp-host", "DEBRIEF_SMTP_HOST", "", "none: file drop", "SMTP relay that follow-ups are sent to (plain SMTP, no STARTTLS)"},
             [](auto& c) -> auto& { return c.smtp.host; }),
        integer({"--smtp-port", "DEBRIEF_SMTP_PORT", "25", "", "port of the relay"}, 1, 65535, [](auto& c) -> auto& { return c.smtp.port; }),
        text({"--smtp-user", "DEBRIEF_SMTP_USER", "", "none", "`AUTH PLAIN` user; without it no authentication is sent"},
             [](auto& c) -> auto& { return c.smtp.user; }),
        text({"--smtp-password", "DEBRIEF_SMTP_PASSWORD", "", "none", "`AUTH PLAIN` password", Shown::secret},
             [](auto& c) -> auto& { return c.smtp.password; }),
        text({"--smtp-helo-name", "DEBRIEF_SMTP_HELO_NAME", "debrief.localdomain", "", "the name Debrief gives itself in `EHLO`"},
             [](auto& c) -> auto& { return c.smtp.helo_name; }),
        milliseconds({"--smtp-timeout-ms", "DEBRIEF_SMTP_TIMEOUT_MS", "10000", "",
                      "deadline of one delivery, connect to the relay's last answer (100..600000)"},
                     100, 600'000, [](auto& c) -> auto& { return c.smtp.timeout; }),
        text({"--mail-from", "DEBRIEF_MAIL_FROM", "Debrief <debrief@localhost>", "", "`From:` of follow-ups; `Reply-To:` is the coach"},
             [](auto& c) -> auto& { return c.mail_from; }),
        integer({"--delivery-retry-base-ms", "DEBRIEF_DELIVERY_RETRY_BASE_MS", "30000", "",
                 "wait before retrying a failed delivery; doubles per attempt"},
                10, one_day_ms, [](auto& c) -> auto& { return c.delivery_retry.base_delay_ms; }),
        integer({"--delivery-retry-max-ms", "DEBRIEF_DELIVERY_RETRY_MAX_MS", "3600000", "", "longest wait between delivery attempts"}, 10,
                one_day_ms, [](auto& c) -> auto& { return c.delivery_retry.max_delay_ms; }),
        integer({"--delivery-max-attempts", "DEBRIEF_DELIVERY_MAX_ATTEMPTS", "8", "",
                 "attempts before a follow-up is marked `failed` (it can be sent again)"},
                1, 1000, [](auto& c) -> auto& { return c.delivery_retry.max_attempts; }),
        // The optional LLM provider
        text({"--llm-url", "DEBRIEF_LLM_URL", "", "none: no provider",
              "base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8081/v1`; Debrief posts to `{url}/chat/completions`; `http://` or "
              "`https://` (certificates checked against the system's authorities)",
              Shown::credentials},
             [](auto& c) -> auto& { return c.llm.url; }),
        text({"--llm-api-key", "DEBRIEF_LLM_API_KEY", "", "none", "sent as `Authorization: Bearer <key>`", Shown::secret},
             [](auto& c) -> auto& { return c.llm.api_key; }),
        text({"--llm-model", "DEBRIEF_LLM_MODEL", "", "none: required with a URL", "model name sent in each request; refinements record `llm:<model>`"},
             [](auto& c) -> auto& { return c.llm.model; }),
        integer({"--llm-timeout-ms", "DEBRIEF_LLM_TIMEOUT_MS", "20000", "",
                 "deadline of one request to the provider, connect to last byte (100..600000)"},
                100, 600'000, [](auto& c) -> auto& { return c.llm.timeout_ms; }),
        integer({"--llm-retries", "DEBRIEF_LLM_RETRIES", "2", "",
                 "retries after a connect error, timeout, 429 or 5xx (0..10), with exponential backoff and jitter (see the next two)"},
                0, 10, [](auto& c) -> auto& { return c.llm.retries; }),
        integer({"--llm-retry-base-ms", "DEBRIEF_LLM_RETRY_BASE_MS", "200", "",
                 "the first retry waits between half of this and this, the next one twice as long, ... (1..60000)"},
                1, 60'000, [](auto& c) -> auto& { return c.llm.retry_base_delay_ms; }),
        integer({"--llm-retry-max-ms", "DEBRIEF_LLM_RETRY_MAX_MS", "2000", "", "longest wait before a retry (1..600000)"}, 1, 600'000,
                [](auto& c) -> auto& { return c.llm.retry_max_delay_ms; }),
        integer({"--llm-breaker-failures", "DEBRIEF_LLM_BREAKER_FAILURES", "5", "",
                 "consecutive failed requests that open the circuit breaker; while open, the built-in refiner answers without asking (1..1000)"},
                1, 1000, [](auto& c) -> auto& { return c.llm.breaker_failures; }),
        integer({"--llm-breaker-cooldown-ms", "DEBRIEF_LLM_BREAKER_COOLDOWN_MS", "30000", "",
                 "how long the breaker stays open before one trial request; its success closes it (0..3600000)"},
                0, one_hour_ms, [](auto& c) -> auto& { return c.llm.breaker_cooldown_ms; }),
        integer({"--review-queue-capacity", "DEBRIEF_REVIEW_QUEUE_CAPACITY", "1000", "",
                 "drafts waiting for the provider's review; when it is full a new draft keeps the analyser's text (logged "
                 "`draft_review_skipped`) (1..1000000)"},
                1, 1'000'000, [](auto& c) -> auto& { return c.review_queue_capacity; }),
    };
    return table;
}

// Markdown's `code` and **strong** marks dropped, for --help.
std::string strip_backticks(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '`') continue;
        if (text.substr(i, 2) == "**") {
            ++i;
            continue;
        }
        out += text[i];
    }
    return out;
}

std::string default_text(const Spec& spec, bool markdown) {
    std::string shown;
    if (!spec.default_value.empty()) shown = markdown ? "`" + std::string(spec.default_value) + "`" : std::string(spec.default_value);
    if (!spec.default_note.empty()) shown += (shown.empty() ? "" : " ") + (markdown ? std::string(spec.default_note) : strip_backticks(spec.default_note));
    return shown;
}

std::string full_description(const Spec& spec) {
    std::string text(spec.description);
    if (spec.shown == Shown::secret) text += " (secret: masked in logs)";
    if (spec.shown == Shown::credentials) text += "; a password or key in it is masked in logs";
    return text;
}

std::string shown_value(const Option& option, const Config& config) {
    auto value = option.show(config);
    switch (option.spec.shown) {
        case Shown::plain: return value;
        case Shown::secret: return value.empty() ? value : "***";
        case Shown::credentials: return mask_credentials(value);
    }
    return value;
}

// Reads the password file, and keeps credentials where they are sent: a SASL protocol has a username and a
// password, and neither is set for a protocol that would drop them (nor a CA file where no TLS is spoken).
std::optional<std::string> settle_kafka_security(Config& config) {
    auto& security = config.kafka.security;
    if (!config.kafka_sasl_password_file.empty()) {
        if (!security.sasl_password.empty())
            return "DEBRIEF_KAFKA_SASL_PASSWORD and DEBRIEF_KAFKA_SASL_PASSWORD_FILE (or their flags) are both set: set one";
        std::ifstream in(config.kafka_sasl_password_file, std::ios::binary);
        if (!in) return "DEBRIEF_KAFKA_SASL_PASSWORD_FILE: cannot read " + config.kafka_sasl_password_file;
        std::string password((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (password.ends_with('\n')) password.pop_back();
        if (password.ends_with('\r')) password.pop_back();
        if (password.empty()) return "DEBRIEF_KAFKA_SASL_PASSWORD_FILE: " + config.kafka_sasl_password_file + " is empty";
        security.sasl_password = std::move(password);
    }
    const bool credentials = !security.sasl_username.empty() || !security.sasl_password.empty();
    if (security.sasl() && (security.sasl_username.empty() || security.sasl_password.empty()))
        return "DEBRIEF_KAFKA_SECURITY_PROTOCOL is " + security.protocol +
               ": set DEBRIEF_KAFKA_SASL_USERNAME and DEBRIEF_KAFKA_SASL_PASSWORD or DEBRIEF_KAFKA_SASL_PASSWORD_FILE (or their flags)";
    if (!security.sasl() && credentials)
        return "DEBRIEF_KAFKA_SASL_USERNAME or a Kafka password is set, but DEBRIEF_KAFKA_SECURITY_PROTOCOL is " + security.protocol +
               ", which sends no credentials: set it to sasl_plaintext or sasl_ssl";
    if (!security.tls() && !security.ssl_ca_location.empty())
        return "DEBRIEF_KAFKA_SSL_CA_LOCATION is set, but DEBRIEF_KAFKA_SECURITY_PROTOCOL is " + security.protocol +
               ", which speaks no TLS: set it to ssl or sasl_ssl";
    return std::nullopt;
}

}  // namespace

std::vector<OptionSpec> option_specs() {
    std::vector<OptionSpec> specs;
    for (const auto& option : options()) specs.push_back(option.spec);
    return specs;
}

std::optional<std::string> process_environment(const std::string& name) {
    if (const char* value = std::getenv(name.c_str())) return std::string(value);
    return std::nullopt;
}

Result<Config> load_config(const std::vector<std::string>& arguments, const Environment& environment) {
    Config config;
    for (const auto& option : options())
        if (!option.spec.default_value.empty())
            if (auto bad = option.apply(config, std::string(option.spec.default_value)))
                return invalid("invalid_config", "the default of " + std::string(option.spec.flag) + " is refused: " + *bad);
    for (const auto& option : options())
        if (auto value = environment(std::string(option.spec.env)); value && !value->empty())
            if (auto bad = option.apply(config, *value)) return invalid("invalid_config", std::string(option.spec.env) + ": " + *bad);
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        std::string argument = arguments[i];
        std::string value;
        bool has_value = false;
        if (auto eq = argument.find('='); eq != std::string::npos) {
            value = argument.substr(eq + 1);
            argument = argument.substr(0, eq);
            has_value = true;
        }
        auto it = std::find_if(options().begin(), options().end(), [&](const Option& o) { return o.spec.flag == argument; });
        if (it == options().end()) return invalid("invalid_config", "unknown option " + argument + "\n" + usage());
        if (!has_value) {
            if (i + 1 >= arguments.size()) return invalid("invalid_config", argument + " needs a value");
            value = arguments[++i];
        }
        if (auto bad = it->apply(config, value)) return invalid("invalid_config", argument + ": " + *bad);
    }
    if (config.tokens.secret.size() < 32) return invalid("invalid_config", "DEBRIEF_JWT_SECRET (or --jwt-secret) must be set to at least 32 bytes");
    if (config.master_key_file.empty())
        return invalid("invalid_config", "DEBRIEF_MASTER_KEY_FILE (or --master-key-file) must name the master key file (ops/run makes one in .local/)");
    if (auto bad = settle_kafka_security(config)) return invalid("invalid_config", *bad);
    if (config.http.tls_certificate_file.empty() != config.http.tls_private_key_file.empty())
        return invalid("invalid_config", "DEBRIEF_TLS_CERTIFICATE_FILE and DEBRIEF_TLS_KEY_FILE (or their flags) go together: set both for HTTPS, "
                                         "or neither for plain HTTP");
    if (config.llm.enabled() && config.llm.model.empty())
        return invalid("invalid_config", "DEBRIEF_LLM_MODEL (or --llm-model) must be set when DEBRIEF_LLM_URL is");
    config.api.max_body_bytes = config.http.max_body_bytes;
    if (config.api.max_position_waits == 0) config.api.max_position_waits = std::max(1, config.http.slow_worker_threads / 2);  // the rest of the slow pool stays for logins
    return config;
}

std::string usage() {
    std::string text =
        "usage: debrief serve [options]\n"
        "       debrief rebuild postgres|search --token <an admin's access token> [--url http://127.0.0.1:8080]\n"
        "       debrief export --organization <id> [--from T] [--to T] [--type PATTERN] [--format jsonl|csv] [--output FILE]\n"
        "                      --token <an admin's access token> [--url http://127.0.0.1:8080]\n\n"
        "Each option is a flag (--flag value or --flag=value) or an environment variable; a flag wins over the variable,\n"
        "which wins over the default.\n\noptions:\n";
    for (const auto& option : options()) {
        const auto& spec = option.spec;
        auto fallback = default_text(spec, false);
        text += "  " + std::string(spec.flag) + " <value>   " + std::string(spec.env) + "   default: " + (fallback.empty() ? "none" : fallback) +
                "\n      " + strip_backticks(full_description(spec)) + "\n";
    }
    return text;
}

std::string describe(const Config& config) {
    boost::json::object settings;
    for (const auto& option : options()) settings[option.spec.env] = shown_value(option, config);
    return boost::json::serialize(settings);
}

std::vector<std::string> markdown_rows() {
    std::vector<std::string> rows;
    for (const auto& option : options()) {
        const auto& spec = option.spec;
        rows.push_back("| `" + std::string(spec.flag) + "` | `" + std::string(spec.env) + "` | " + default_text(spec, true) + " | " +
                       full_description(spec) + " |");
    }
    return rows;
}

std::string mask_credentials(std::string_view text) {
    std::string out(text);
    // scheme://user:password@host...: the user info ends at the last @ before the path, query or fragment.
    if (auto scheme_end = out.find("://"); scheme_end != std::string::npos) {
        const auto authority = scheme_end + 3;
        const auto authority_end = std::min(out.find_first_of("/?#", authority), out.size());
        const auto at = out.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
        if (at != std::string::npos && at >= authority) {
            const auto colon = out.find(':', authority);
            if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    // password=..., api_key=... in a query string (up to & or #) or in libpq's key=value form (a quoted value may hold spaces).
    static const std::regex key_value(
        R"(((?:^|[?&;\s])(?:password|passwd|pwd|sslpassword|secret|token|access_token|api_key|apikey|key)\s*=\s*)('(?:[^'\\]|\\.)*'|[^&#\s]*))",
        std::regex::icase);
    return std::regex_replace(out, key_value, "$1***");
}

}  // namespace debrief::app
