// The option table of `debrief serve`: its defaults are the effective configuration when nothing is set, flags win
// over variables, bad values are refused with the option's name, secrets never reach the start-up log, and the
// README's table, --help and the table cannot drift apart.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

#include "app/config.hpp"
#include "events/kafka_properties.hpp"

using namespace debrief;
using app::OptionSpec;

namespace {

const std::string secret(40, 's');

// An environment of exactly these variables, so that the machine's DEBRIEF_* do not leak in.
app::Environment environment(std::map<std::string, std::string> variables = {}) {
    return [variables](const std::string& name) -> std::optional<std::string> {
        auto it = variables.find(name);
        if (it == variables.end()) return std::nullopt;
        return it->second;
    };
}

Result<app::Config> load(std::vector<std::string> arguments, std::map<std::string, std::string> variables = {}) {
    if (!variables.contains("DEBRIEF_JWT_SECRET")) variables["DEBRIEF_JWT_SECRET"] = secret;
    if (!variables.contains("DEBRIEF_MASTER_KEY_FILE")) variables["DEBRIEF_MASTER_KEY_FILE"] = "/etc/debrief/master.key";
    return app::load_config(arguments, environment(variables));
}

boost::json::object described(const app::Config& config) { return boost::json::parse(app::describe(config)).as_object(); }

std::string shown(const app::Config& config, const std::string& env) { return std::string(described(config).at(env).as_string()); }

std::string refusal(const Result<app::Config>& result) {
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "invalid_config");
    return result.error().message;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string joined(const std::vector<std::string>& rows) {
    std::string text;
    for (const auto& row : rows) text += row + "\n";
    return text;
}

}  // namespace

TEST_CASE("config: every option names a flag and a DEBRIEF_ variable of its own, a description, and a default or what unset means") {
    std::set<std::string> flags, envs;
    for (const auto& spec : app::option_specs()) {
        CAPTURE(spec.flag);
        CHECK(spec.flag.starts_with("--"));
        CHECK(spec.env.starts_with("DEBRIEF_"));
        CHECK(flags.insert(std::string(spec.flag)).second);
        CHECK(envs.insert(std::string(spec.env)).second);
        CHECK_FALSE(spec.description.empty());
        CHECK((!spec.default_value.empty() || !spec.default_note.empty()));
        if (spec.shown == OptionSpec::Shown::secret) CHECK(spec.default_value.empty());  // a secret has no default to show
    }
    CHECK(flags.size() >= 40);
}

TEST_CASE("config: with nothing set, the effective value of every option is the table's default") {
    auto config = load({});
    REQUIRE(config.ok());
    auto settings = described(config.value());
    for (const auto& spec : app::option_specs()) {
        CAPTURE(spec.env);
        REQUIRE(settings.contains(spec.env));
        if (spec.shown == OptionSpec::Shown::secret) continue;  // masked; checked below
        if (spec.env == "DEBRIEF_MAX_POSITION_WAITS") continue;  // 0 is resolved to half the worker threads
        if (spec.env == "DEBRIEF_MASTER_KEY_FILE") continue;     // required: load() sets it
        if (spec.env == "DEBRIEF_DRAIN_TIMEOUT_MS") {             // no default of its own: DEBRIEF_DRAIN_SECONDS's, in ms
            CHECK(settings.at(spec.env).as_string() == "30000");
            continue;
        }
        CHECK(settings.at(spec.env).as_string() == spec.default_value);
    }
    // The tunables that used to be constants or struct initializers elsewhere, by their fields.
    const auto& c = config.value();
    CHECK(c.http.worker_threads == 8);
    CHECK(c.http.read_timeout == std::chrono::milliseconds(30'000));
    CHECK(c.http.drain_timeout == std::chrono::milliseconds(30'000));  // DEBRIEF_DRAIN_SECONDS, the seeds' 30 s
    CHECK(c.api.default_read_wait == std::chrono::milliseconds(5000));
    CHECK(c.api.max_read_wait == std::chrono::milliseconds(30'000));
    CHECK(c.api.max_position_waits == 4);
    CHECK(c.api.max_body_bytes == c.http.max_body_bytes);
    CHECK(c.kafka.transaction_timeout_ms == 30'000);
    CHECK(c.kafka_probe_timeout_ms == 2000);
    CHECK(c.startup_retry_ms == 60'000);
    CHECK(c.rebuild_credentials_timeout_ms == 120'000);
    CHECK(c.rebuild_events_timeout_ms == 600'000);
    CHECK(c.readiness.failing_grace_ms == 5000);
    CHECK(c.readiness_probe.interval == std::chrono::milliseconds(1000));
    CHECK(c.readiness_probe.max_age == std::chrono::milliseconds(5000));
    CHECK(c.tokens.refresh_ttl_seconds == 30 * 24 * 3600);
    CHECK(c.smtp.helo_name == "debrief.localdomain");
    CHECK(c.outbox_idle_check == std::chrono::milliseconds(1000));
    CHECK(c.review_queue_capacity == 1000);
    CHECK(c.llm.retry_base_delay_ms == 200);
    CHECK(c.llm.retry_max_delay_ms == 2000);
    CHECK(c.postgres_url == "postgresql://debrief@127.0.0.1:15432/debrief");
    CHECK(c.outbox_dir.empty());  // <data-dir>/outbox, resolved by the service
    CHECK(c.smtp.host.empty());
    CHECK_FALSE(c.llm.enabled());
}

TEST_CASE("config: the settings structs' own initializers never contradict the table") {
    // Code that builds a settings struct directly (unit tests) gets its member initializers; the process gets the
    // table. An initializer is either absent (zero, empty) or the table's default, so changing one alone fails here.
    auto library = described(app::Config{});
    for (const auto& spec : app::option_specs()) {
        CAPTURE(spec.env);
        const std::string value(library.at(spec.env).as_string());
        if (spec.env == "DEBRIEF_MAX_POSITION_WAITS") {
            CHECK(value == "4");  // ApiSettings' concrete number for tests; the process resolves 0 from the worker threads
            continue;
        }
        if (spec.env == "DEBRIEF_DRAIN_SECONDS" || spec.env == "DEBRIEF_DRAIN_TIMEOUT_MS") {
            CHECK((value == "30" || value == "30000"));  // one field, HttpServerSettings::drain_timeout, shown by both
            continue;
        }
        CHECK((value.empty() || value == "0" || value == spec.default_value));
    }
}

TEST_CASE("config: a flag wins over its variable, which wins over the default; both flag forms are read") {
    auto from_env = load({}, {{"DEBRIEF_HTTP_PORT", "9000"}, {"DEBRIEF_DRAIN_TIMEOUT_MS", "2500"}});
    REQUIRE(from_env.ok());
    CHECK(from_env->http.port == 9000);
    CHECK(from_env->http.drain_timeout == std::chrono::milliseconds(2500));

    auto from_flag = load({"--http-port", "9001", "--drain-timeout-ms=1500"}, {{"DEBRIEF_HTTP_PORT", "9000"}, {"DEBRIEF_DRAIN_TIMEOUT_MS", "2500"}});
    REQUIRE(from_flag.ok());
    CHECK(from_flag->http.port == 9001);
    CHECK(from_flag->http.drain_timeout == std::chrono::milliseconds(1500));

    // The drain's bound in seconds, or in milliseconds, which wins when both are set.
    CHECK(load({}, {{"DEBRIEF_DRAIN_SECONDS", "5"}})->http.drain_timeout == std::chrono::milliseconds(5000));
    CHECK(load({}, {{"DEBRIEF_DRAIN_SECONDS", "5"}, {"DEBRIEF_DRAIN_TIMEOUT_MS", "200"}})->http.drain_timeout == std::chrono::milliseconds(200));
    CHECK_FALSE(load({}, {{"DEBRIEF_DRAIN_SECONDS", "601"}}).ok());

    auto empty_variable = load({}, {{"DEBRIEF_HTTP_PORT", ""}, {"DEBRIEF_KAFKA_BROKERS", ""}});
    REQUIRE(empty_variable.ok());  // an empty variable counts as unset
    CHECK(empty_variable->http.port == 8080);
    CHECK(empty_variable->kafka.brokers == "127.0.0.1:19092");

    auto waits = load({"--worker-threads", "2"});
    REQUIRE(waits.ok());
    CHECK(waits->api.max_position_waits == 4);  // half the slow pool, whatever the workers
    auto explicit_waits = load({"--worker-threads", "2", "--max-position-waits", "5"});
    REQUIRE(explicit_waits.ok());
    CHECK(explicit_waits->api.max_position_waits == 5);
}

TEST_CASE("config: bad values are refused with the option's name and the reason") {
    CHECK(refusal(load({"--no-such-option", "1"})).starts_with("unknown option --no-such-option\nusage: debrief serve"));
    CHECK(refusal(load({"--http-port", "eighty"})) == "--http-port: not a whole number");
    CHECK(refusal(load({"--http-port", "80x"})) == "--http-port: not a whole number");
    CHECK(refusal(load({"--http-port", "99999999999999999999"})) == "--http-port: not a whole number");
    CHECK(refusal(load({"--http-port=65536"})) == "--http-port: must be between 0 and 65535");
    CHECK(refusal(load({"--worker-threads", "0"})) == "--worker-threads: must be between 1 and 256");
    CHECK(refusal(load({"--kafka-transaction-timeout-ms", "999"})) == "--kafka-transaction-timeout-ms: must be between 1000 and 900000");
    CHECK(refusal(load({}, {{"DEBRIEF_DRAIN_TIMEOUT_MS", "-1"}})) == "DEBRIEF_DRAIN_TIMEOUT_MS: must be between 0 and 600000");
    CHECK(refusal(load({}, {{"DEBRIEF_REVIEW_QUEUE_CAPACITY", "0"}})) == "DEBRIEF_REVIEW_QUEUE_CAPACITY: must be between 1 and 1000000");
    CHECK(refusal(load({"--read-wait-ms"})) == "--read-wait-ms needs a value");
    CHECK(refusal(load({"--kafka-brokers="})) == "--kafka-brokers: must not be empty");
    CHECK(refusal(load({}, {{"DEBRIEF_JWT_SECRET", "too short"}})).starts_with("DEBRIEF_JWT_SECRET (or --jwt-secret) must be set"));
    CHECK(refusal(app::load_config({}, environment())).starts_with("DEBRIEF_JWT_SECRET (or --jwt-secret) must be set"));
    CHECK(refusal(load({"--llm-url", "http://127.0.0.1:1/v1"})).starts_with("DEBRIEF_LLM_MODEL (or --llm-model) must be set"));
    CHECK(refusal(app::load_config({}, environment({{"DEBRIEF_JWT_SECRET", secret}}))).starts_with("DEBRIEF_MASTER_KEY_FILE (or --master-key-file) must"));
}

TEST_CASE("config: the start-up line masks secrets, and only the passwords and keys inside URLs") {
    auto config = load({"--smtp-password", "smtp-pass-123", "--llm-url", "https://bob:llm-url-pass@llm.example.com/v1?api_key=url-key-9",
                        "--llm-model", "m", "--llm-api-key", "sk-live-abc", "--postgres-url",
                        "postgresql://debrief:pg-pass-456@db.example.com:5432/debrief?sslmode=require"},
                       {{"DEBRIEF_JWT_SECRET", secret}});
    REQUIRE(config.ok());
    const auto line = app::describe(config.value());
    for (const std::string& leaked : {secret, std::string("smtp-pass-123"), std::string("llm-url-pass"), std::string("url-key-9"),
                                     std::string("sk-live-abc"), std::string("pg-pass-456")}) {
        CAPTURE(leaked);
        CHECK(line.find(leaked) == std::string::npos);
    }
    CHECK(shown(config.value(), "DEBRIEF_JWT_SECRET") == "***");
    CHECK(shown(config.value(), "DEBRIEF_SMTP_PASSWORD") == "***");
    CHECK(shown(config.value(), "DEBRIEF_LLM_API_KEY") == "***");
    CHECK(shown(config.value(), "DEBRIEF_POSTGRES_URL") == "postgresql://debrief:***@db.example.com:5432/debrief?sslmode=require");
    CHECK(shown(config.value(), "DEBRIEF_LLM_URL") == "https://bob:***@llm.example.com/v1?api_key=***");
    CHECK(shown(config.value(), "DEBRIEF_LLM_MODEL") == "m");

    auto unset = load({});
    REQUIRE(unset.ok());
    CHECK(shown(unset.value(), "DEBRIEF_SMTP_PASSWORD").empty());  // unset says so: nothing to hide
    CHECK(shown(unset.value(), "DEBRIEF_POSTGRES_URL") == "postgresql://debrief@127.0.0.1:15432/debrief");
}

TEST_CASE("config: mask_credentials hides the password of a URL and of libpq key=value text, and nothing else") {
    CHECK(app::mask_credentials("postgresql://u:p@h/db") == "postgresql://u:***@h/db");
    CHECK(app::mask_credentials("postgresql://u:p@ss@h:5432/db") == "postgresql://u:***@h:5432/db");  // an unescaped @ in it
    CHECK(app::mask_credentials("postgresql://u@h/db?password=p&sslmode=require") == "postgresql://u@h/db?password=***&sslmode=require");
    CHECK(app::mask_credentials("host=db user=u password=p dbname=d") == "host=db user=u password=*** dbname=d");
    CHECK(app::mask_credentials("password = 'a b\\' c' host=db") == "password = *** host=db");
    CHECK(app::mask_credentials("http://h:8081/v1?key=k#frag") == "http://h:8081/v1?key=***#frag");
    CHECK(app::mask_credentials("https://h/v1?Token=t") == "https://h/v1?Token=***");
    CHECK(app::mask_credentials("http://127.0.0.1:8081/v1") == "http://127.0.0.1:8081/v1");
    CHECK(app::mask_credentials("http://u@h/monkey=1") == "http://u@h/monkey=1");
    CHECK(app::mask_credentials("") == "");
}

TEST_CASE("config: --help lists every option with its variable and default") {
    const auto help = app::usage();
    for (const auto& spec : app::option_specs()) {
        CAPTURE(spec.flag);
        auto line = std::string(spec.flag) + " <value>   " + std::string(spec.env) + "   default: ";
        auto at = help.find(line);
        REQUIRE(at != std::string::npos);
        if (!spec.default_value.empty()) CHECK(help.compare(at + line.size(), spec.default_value.size(), spec.default_value) == 0);
    }
    CHECK(help.find('`') == std::string::npos);  // Markdown marks are the README's, not the terminal's
    CHECK(help.find("**") == std::string::npos);
}

TEST_CASE("config: the README's configuration table is the option table, row for row") {
    const auto readme = read_file(std::filesystem::path(DEBRIEF_SOURCE_DIR) / "README.md");
    const std::string header = "| flag | environment variable | default | description |\n| --- | --- | --- | --- |\n";
    const auto start = readme.find(header);
    REQUIRE_MESSAGE(start != std::string::npos, "README.md has no configuration table");
    std::vector<std::string> rows;
    std::istringstream lines(readme.substr(start + header.size()));
    for (std::string line; std::getline(lines, line) && line.starts_with("|");) rows.push_back(line);
    // On failure the message is the table to paste into README.md.
    CHECK_MESSAGE(joined(rows) == joined(app::markdown_rows()), "README.md's table should be:\n" << header << joined(app::markdown_rows()));
}

TEST_CASE("config: every DEBRIEF_ variable the README and docs/ name is an option, or one the scripts and tests read") {
    std::set<std::string> options;
    for (const auto& spec : app::option_specs()) options.insert(std::string(spec.env));
    // Read by ops/ and the tests, not by `debrief serve` (the README's tables of ops and test variables).
    const std::set<std::string> others{"DEBRIEF_BUILD_JOBS", "DEBRIEF_FUZZ", "DEBRIEF_FUZZ_SECONDS", "DEBRIEF_KAFKA_PORT",
                                       "DEBRIEF_KAFKA_CONTROLLER_PORT", "DEBRIEF_PG_PORT", "DEBRIEF_WRITE_GOLDEN", "DEBRIEF_BENCH_BINARY",
                                       "DEBRIEF_BENCH_BASELINE_BINARY", "DEBRIEF_BENCH_WS_DEFLATE",
                                       // names in the code the docs quote, not variables
                                       "DEBRIEF_TABLE", "DEBRIEF_TABLE_AS"};
    std::vector<std::filesystem::path> documents{std::filesystem::path(DEBRIEF_SOURCE_DIR) / "README.md"};
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(DEBRIEF_SOURCE_DIR) / "docs"))
        if (entry.path().extension() == ".md") documents.push_back(entry.path());
    const std::regex variable(R"(DEBRIEF_[A-Z0-9_]*[A-Z0-9])");
    for (const auto& document : documents) {
        const auto text = read_file(document);
        for (std::sregex_iterator it(text.begin(), text.end(), variable), end; it != end; ++it) {
            const auto name = it->str();
            CAPTURE(document.filename().string());
            CAPTURE(name);
            CHECK((options.contains(name) || others.contains(name) || name.starts_with("DEBRIEF_TEST_")));
        }
    }
}

TEST_CASE("config: Kafka's login: a SASL protocol needs a username and a password, and credentials need a SASL protocol") {
    const std::string needs = "DEBRIEF_KAFKA_SECURITY_PROTOCOL is sasl_plaintext: set DEBRIEF_KAFKA_SASL_USERNAME and DEBRIEF_KAFKA_SASL_PASSWORD";
    CHECK(refusal(load({"--kafka-security-protocol", "sasl_plaintext"})).starts_with(needs));
    CHECK(refusal(load({}, {{"DEBRIEF_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext"}, {"DEBRIEF_KAFKA_SASL_USERNAME", "debrief"}})).starts_with(needs));
    CHECK(refusal(load({"--kafka-security-protocol=sasl_ssl", "--kafka-sasl-password", "p"}))
              .starts_with("DEBRIEF_KAFKA_SECURITY_PROTOCOL is sasl_ssl: set DEBRIEF_KAFKA_SASL_USERNAME"));
    CHECK(refusal(load({"--kafka-sasl-username", "debrief", "--kafka-sasl-password", "p"})) ==
          "DEBRIEF_KAFKA_SASL_USERNAME or a Kafka password is set, but DEBRIEF_KAFKA_SECURITY_PROTOCOL is plaintext, which sends no credentials: "
          "set it to sasl_plaintext or sasl_ssl");
    CHECK(refusal(load({"--kafka-security-protocol", "ssl", "--kafka-sasl-username", "debrief"})).find("is ssl, which sends no credentials") !=
          std::string::npos);
    CHECK(refusal(load({"--kafka-security-protocol", "SASL_PLAINTEXT"})) ==
          "--kafka-security-protocol: must be one of plaintext, ssl, sasl_plaintext, sasl_ssl");
    CHECK(refusal(load({}, {{"DEBRIEF_KAFKA_SASL_MECHANISM", "GSSAPI"}})) ==
          "DEBRIEF_KAFKA_SASL_MECHANISM: must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
    CHECK(refusal(load({"--kafka-ssl-ca-location", "/etc/ssl/certs/ca.pem"})) ==
          "DEBRIEF_KAFKA_SSL_CA_LOCATION is set, but DEBRIEF_KAFKA_SECURITY_PROTOCOL is plaintext, which speaks no TLS: set it to ssl or sasl_ssl");

    auto plain = load({});
    REQUIRE(plain.ok());
    CHECK(plain->kafka.security.properties() == std::map<std::string, std::string>{{"security.protocol", "plaintext"}});

    auto sasl = load({"--kafka-sasl-mechanism", "SCRAM-SHA-512"},
                     {{"DEBRIEF_KAFKA_SECURITY_PROTOCOL", "sasl_ssl"}, {"DEBRIEF_KAFKA_SASL_USERNAME", "debrief"},
                      {"DEBRIEF_KAFKA_SASL_PASSWORD", "kafka-pass-789"}, {"DEBRIEF_KAFKA_SSL_CA_LOCATION", "/etc/debrief/kafka-ca.pem"}});
    REQUIRE(sasl.ok());
    CHECK(sasl->kafka.security.properties() == std::map<std::string, std::string>{{"security.protocol", "sasl_ssl"},
                                                                                  {"sasl.mechanisms", "SCRAM-SHA-512"},
                                                                                  {"sasl.username", "debrief"},
                                                                                  {"sasl.password", "kafka-pass-789"},
                                                                                  {"ssl.ca.location", "/etc/debrief/kafka-ca.pem"}});
    CHECK(app::describe(sasl.value()).find("kafka-pass-789") == std::string::npos);
    CHECK(shown(sasl.value(), "DEBRIEF_KAFKA_SASL_PASSWORD") == "***");
    CHECK(shown(sasl.value(), "DEBRIEF_KAFKA_SASL_USERNAME") == "debrief");
}

TEST_CASE("config: the Kafka password can come from a file, read once at start, never together with the password itself") {
    const auto directory = std::filesystem::temp_directory_path() / ("debrief-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    const auto file = directory / "debrief.password";
    const auto empty = directory / "empty.password";
    std::ofstream(file) << "from-a-file-123\n";
    std::ofstream(empty) << "\n";
    const std::map<std::string, std::string> login{{"DEBRIEF_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext"}, {"DEBRIEF_KAFKA_SASL_USERNAME", "debrief"}};
    auto with = [&](std::map<std::string, std::string> more) {
        more.insert(login.begin(), login.end());
        return more;
    };

    auto read = load({"--kafka-sasl-password-file", file.string()}, login);
    REQUIRE(read.ok());
    CHECK(read->kafka.security.sasl_password == "from-a-file-123");  // the final line break is not part of it
    CHECK(shown(read.value(), "DEBRIEF_KAFKA_SASL_PASSWORD") == "***");
    CHECK(shown(read.value(), "DEBRIEF_KAFKA_SASL_PASSWORD_FILE") == file.string());
    CHECK(app::describe(read.value()).find("from-a-file-123") == std::string::npos);

    CHECK(refusal(load({}, with({{"DEBRIEF_KAFKA_SASL_PASSWORD_FILE", file.string()}, {"DEBRIEF_KAFKA_SASL_PASSWORD", "p"}}))) ==
          "DEBRIEF_KAFKA_SASL_PASSWORD and DEBRIEF_KAFKA_SASL_PASSWORD_FILE (or their flags) are both set: set one");
    CHECK(refusal(load({}, with({{"DEBRIEF_KAFKA_SASL_PASSWORD_FILE", (directory / "missing").string()}}))) ==
          "DEBRIEF_KAFKA_SASL_PASSWORD_FILE: cannot read " + (directory / "missing").string());
    CHECK(refusal(load({}, with({{"DEBRIEF_KAFKA_SASL_PASSWORD_FILE", empty.string()}}))) ==
          "DEBRIEF_KAFKA_SASL_PASSWORD_FILE: " + empty.string() + " is empty");
    std::filesystem::remove_all(directory);
}

TEST_CASE("config: Kafka's login reaches the librdkafka configuration every client of Debrief is built from") {
    auto config = load({}, {{"DEBRIEF_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext"},
                            {"DEBRIEF_KAFKA_SASL_USERNAME", "debrief"},
                            {"DEBRIEF_KAFKA_SASL_PASSWORD", "kafka-pass-789"}});
    REQUIRE(config.ok());
    std::string problem;
    // The writer, the consumers, the watermarks and the dead-letter publisher all build theirs with kafka_config.
    auto built = events::kafka_config(config->kafka, {{"group.id", "a-consumer"}}, problem);
    REQUIRE_MESSAGE(built, problem);
    auto value = [&](const std::string& name) {
        std::string out;
        REQUIRE(built->get(name, out) == RdKafka::Conf::CONF_OK);
        return out;
    };
    CHECK(value("security.protocol") == "sasl_plaintext");
    CHECK(value("sasl.mechanisms") == "PLAIN");
    CHECK(value("sasl.username") == "debrief");
    CHECK(value("sasl.password") == "kafka-pass-789");
    CHECK(value("bootstrap.servers") == "127.0.0.1:19092");
}
