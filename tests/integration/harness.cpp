// Integration-test harness: child processes, a Beast HTTP client, a plain librdkafka reader, libpqxx queries.
#include "tests/integration/harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>
#include <pqxx/pqxx>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "events/kafka_event_log.hpp"
#include "events/keyring.hpp"
#include "tests/integration/beast_response.hpp"

extern char** environ;

namespace debrief::it {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

std::string required_env(const char* name) {
    const char* value = std::getenv(name);
    if (!value || !*value)
        throw std::runtime_error(std::string(name) + " is not set: run the integration tests through ./ops/test, which starts Kafka and PostgreSQL");
    return value;
}

std::string unique_suffix() {
    static std::mt19937_64 random{std::random_device{}()};
    static int counter = 0;
    std::ostringstream out;
    out << std::hex << (random() & 0xffffff) << "_" << std::dec << ::getpid() << "_" << ++counter;
    return out.str();
}

// postgresql://user@host:port/db -> the same URL with another database.
std::string with_database(const std::string& url, const std::string& database) {
    auto slash = url.rfind('/');
    if (slash == std::string::npos || slash < url.find("://") + 3) return url + "/" + database;
    return url.substr(0, slash + 1) + database;
}

// A librdkafka configuration of the test broker, logged in as Debrief's principal.
std::unique_ptr<RdKafka::Conf> client_config() {
    std::unique_ptr<RdKafka::Conf> config(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::string problem;
    for (const auto& [name, value] : TestServices::get().kafka_properties)
        if (config->set(name, value, problem) != RdKafka::Conf::CONF_OK) throw std::runtime_error("DEBRIEF_TEST_KAFKA_PROPERTIES: " + name + ": " + problem);
    config->set("bootstrap.servers", TestServices::get().kafka_brokers, problem);
    return config;
}

// The same, for the C API (the admin calls).
rd_kafka_conf_t* client_c_config() {
    char errstr[512];
    auto* config = rd_kafka_conf_new();
    for (const auto& [name, value] : TestServices::get().kafka_properties)
        if (rd_kafka_conf_set(config, name.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(config);
            throw std::runtime_error("DEBRIEF_TEST_KAFKA_PROPERTIES: " + name + ": " + errstr);
        }
    rd_kafka_conf_set(config, "bootstrap.servers", TestServices::get().kafka_brokers.c_str(), errstr, sizeof errstr);
    return config;
}

std::unique_ptr<RdKafka::Conf> consumer_config() {
    auto config = client_config();
    std::string problem;
    config->set("group.id", "debrief-it-reader", problem);
    config->set("enable.auto.commit", "false", problem);
    config->set("enable.partition.eof", "true", problem);
    return config;
}

std::vector<int> partitions_of(RdKafka::KafkaConsumer& consumer, const std::string& topic) {
    std::string problem;
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(&consumer, topic, nullptr, problem));
    RdKafka::Metadata* raw = nullptr;
    if (consumer.metadata(false, handle.get(), &raw, 10'000) != RdKafka::ERR_NO_ERROR) throw std::runtime_error("no metadata for " + topic);
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    std::vector<int> partitions;
    for (const auto* t : *metadata->topics())
        if (t->topic() == topic)
            for (const auto* p : *t->partitions()) partitions.push_back(p->id());
    if (partitions.empty()) throw std::runtime_error("topic " + topic + " has no partitions");
    return partitions;
}

// Deletes a deployment's topics so repeated local runs do not pile them up in .local/kafka; best effort.
void delete_topics(const std::vector<std::string>& names) {
    char errstr[512];
    rd_kafka_t* admin = rd_kafka_new(RD_KAFKA_PRODUCER, client_c_config(), errstr, sizeof errstr);
    if (!admin) return;
    std::vector<rd_kafka_DeleteTopic_t*> topics;
    for (const auto& name : names) topics.push_back(rd_kafka_DeleteTopic_new(name.c_str()));
    auto* queue = rd_kafka_queue_new(admin);
    rd_kafka_DeleteTopics(admin, topics.data(), topics.size(), nullptr, queue);
    if (auto* result = rd_kafka_queue_poll(queue, 10'000)) rd_kafka_event_destroy(result);
    rd_kafka_DeleteTopic_destroy_array(topics.data(), topics.size());
    rd_kafka_queue_destroy(queue);
    rd_kafka_destroy(admin);
}

// A wait status as a shell reports it: the exit code, or 128 + the signal.
int exit_status(int wait_status) { return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status); }

}  // namespace

std::map<std::string, std::string> read_kafka_properties(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read the Kafka client properties " + file.string());
    std::map<std::string, std::string> properties;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        auto eq = line.find('=');
        if (eq == std::string::npos) throw std::runtime_error(file.string() + ": not a name=value line: " + line.substr(0, 40));
        properties[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return properties;
}

events::KafkaSecurity kafka_security_of(const std::map<std::string, std::string>& properties) {
    auto get = [&](const std::string& name) {
        auto it = properties.find(name);
        return it == properties.end() ? std::string{} : it->second;
    };
    events::KafkaSecurity security;
    if (auto protocol = get("security.protocol"); !protocol.empty()) {
        std::transform(protocol.begin(), protocol.end(), protocol.begin(), [](unsigned char c) { return std::tolower(c); });
        security.protocol = protocol;
    }
    if (auto mechanism = get("sasl.mechanisms"); !mechanism.empty()) security.sasl_mechanism = mechanism;
    if (auto mechanism = get("sasl.mechanism"); !mechanism.empty()) security.sasl_mechanism = mechanism;
    security.sasl_username = get("sasl.username");
    security.sasl_password = get("sasl.password");
    security.ssl_ca_location = get("ssl.ca.location");
    return security;
}

const TestServices& TestServices::get() {
    static const TestServices services{required_env("DEBRIEF_TEST_KAFKA_BROKERS"), read_kafka_properties(required_env("DEBRIEF_TEST_KAFKA_PROPERTIES")),
                                       required_env("DEBRIEF_TEST_POSTGRES_URL"), required_env("DEBRIEF_TEST_BINARY")};
    return services;
}

events::KafkaSettings TestServices::kafka_settings() const {
    events::KafkaSettings settings;
    settings.brokers = kafka_brokers;
    settings.security = kafka_security();
    return settings;
}

json::value HttpResult::json() const { return json::parse(body); }

std::string HttpResult::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
}

HttpResult HttpClient::request(const std::string& method, const std::string& target, const std::string& body, const Headers& headers) const {
    asio::io_context io;
    HttpResult result;
    std::exception_ptr failure;
    auto exchange = [&]() -> asio::awaitable<void> {
        beast::tcp_stream stream(io);
        stream.expires_after(std::chrono::seconds(60));
        co_await stream.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), asio::use_awaitable);
        http::request<http::string_body> request{http::string_to_verb(method), target, 11};
        request.set(http::field::host, "127.0.0.1");
        for (const auto& [name, value] : headers) request.set(name, value);
        if (!body.empty() && request.find(http::field::content_type) == request.end()) request.set(http::field::content_type, "application/json");
        request.body() = body;
        request.prepare_payload();
        // A server may answer early (413) and stop reading: a failed write still leaves its answer to read.
        auto [write_error, written] = co_await http::async_write(stream, request, asio::as_tuple(asio::use_awaitable));
        (void)written;
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        auto [read_error, read] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        (void)read;
        if (read_error) throw std::runtime_error("HTTP " + method + " " + target + ": " + (write_error ? write_error : read_error).message());
        result = to_http_result(parser.release());
    };
    asio::co_spawn(io, exchange(), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) std::rethrow_exception(failure);
    return result;
}

HttpResult HttpClient::get(const std::string& target, const std::string& token) const {
    Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return request("GET", target, {}, headers);
}

HttpResult HttpClient::post_json(const std::string& target, const json::value& body, const std::string& token, Headers headers) const {
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return request("POST", target, json::serialize(body), headers);
}

Deployment::Deployment(const std::string& label, const std::string& maintenance) {
    const auto suffix = unique_suffix();
    maintenance_url = maintenance.empty() ? TestServices::get().postgres_url : maintenance;
    name = label + "_" + suffix;
    events_topic = "it." + name + ".events";
    credentials_topic = "it." + name + ".credentials";
    keys_topic = "it." + name + ".keys";
    audit_topic = "it." + name + ".audit";
    database = "debrief_it_" + suffix;
    postgres_url = with_database(maintenance_url, database);
    directory = std::filesystem::temp_directory_path() / ("debrief-it-" + name);
    std::filesystem::create_directories(directory);
    jwt_secret = "integration-test-secret-" + suffix + "-0123456789abcdef";
    master_key_file = directory / "master.key";
    {
        std::random_device random;
        std::string hex;
        for (int i = 0; i < 32; ++i) {
            char byte[3];
            std::snprintf(byte, sizeof byte, "%02x", static_cast<unsigned>(random() & 0xff));
            hex += byte;
        }
        std::ofstream(master_key_file) << hex << "\n";
    }
    pqxx::connection connection{maintenance_url};
    pqxx::nontransaction tx{connection};
    tx.exec("create database " + tx.quote_name(database));
}

Deployment::~Deployment() {
    try {
        pqxx::connection connection{maintenance_url};
        pqxx::nontransaction tx{connection};
        tx.exec("drop database if exists " + tx.quote_name(database) + " with (force)");
    } catch (const std::exception&) {
        // A leftover test database is harmless; the cluster lives under .local.
    }
    delete_topics({events_topic, credentials_topic, keys_topic, audit_topic, events_topic + ".dlq"});
    if (std::getenv("DEBRIEF_TEST_KEEP_LOGS")) return;  // keeps the Debrief logs under the directory, for debugging
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
}

DebriefProcess::DebriefProcess(Spawned, const Deployment& deployment, std::map<std::string, std::string> extra_env) {
    static int started = 0;
    log_path_ = deployment.directory / ("debrief-" + std::to_string(++started) + ".log");
    std::map<std::string, std::string> env{
        {"DEBRIEF_HTTP_HOST", "127.0.0.1"},
        {"DEBRIEF_HTTP_PORT", "0"},
        {"DEBRIEF_KAFKA_BROKERS", TestServices::get().kafka_brokers},
        {"DEBRIEF_KAFKA_SECURITY_PROTOCOL", TestServices::get().kafka_security().protocol},
        {"DEBRIEF_EVENTS_TOPIC", deployment.events_topic},
        {"DEBRIEF_CREDENTIALS_TOPIC", deployment.credentials_topic},
        {"DEBRIEF_KEYS_TOPIC", deployment.keys_topic},
        {"DEBRIEF_AUDIT_TOPIC", deployment.audit_topic},
        {"DEBRIEF_MASTER_KEY_FILE", deployment.master_key_file.string()},
        {"DEBRIEF_POSTGRES_URL", deployment.postgres_url},
        {"DEBRIEF_POSTGRES_PROJECTOR_GROUP", "it." + deployment.name + ".projector"},
        {"DEBRIEF_TRANSACTIONAL_ID", "it." + deployment.name + ".writer"},
        {"DEBRIEF_DATA_DIR", (deployment.directory / "data").string()},
        {"DEBRIEF_JWT_SECRET", deployment.jwt_secret},
        {"DEBRIEF_LOG_LEVEL", "info"},
        // The load and workflow tests send more than a user's 100 requests a minute; the rate limits' own test turns them on.
        {"DEBRIEF_RATE_LIMITS", "off"},
    };
    if (const auto security = TestServices::get().kafka_security(); security.sasl()) {
        env["DEBRIEF_KAFKA_SASL_MECHANISM"] = security.sasl_mechanism;
        env["DEBRIEF_KAFKA_SASL_USERNAME"] = security.sasl_username;
        env["DEBRIEF_KAFKA_SASL_PASSWORD"] = security.sasl_password;
    }
    for (auto& [k, v] : extra_env) env[k] = v;
    std::vector<std::string> entries;
    for (char** e = environ; *e; ++e)
        if (std::string_view(*e).substr(0, 8) != "DEBRIEF_") entries.emplace_back(*e);
    for (const auto& [k, v] : env) entries.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& entry : entries) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::string binary = TestServices::get().debrief_binary;
    std::string serve = "serve";
    char* argv[] = {binary.data(), serve.data(), nullptr};

    int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) throw std::runtime_error("cannot create " + log_path_.string());
    pid_ = ::fork();
    if (pid_ == 0) {
        ::dup2(log_fd, STDOUT_FILENO);
        ::dup2(log_fd, STDERR_FILENO);
        ::execve(binary.c_str(), argv, envp.data());
        _exit(127);
    }
    ::close(log_fd);
    if (pid_ < 0) throw std::runtime_error("fork failed");
}

DebriefProcess::DebriefProcess(const Deployment& deployment, std::map<std::string, std::string> extra_env)
    : DebriefProcess(Spawned{}, deployment, std::move(extra_env)) {

    // The process logs {"event":"listening",...,"port":N} once it accepts commands.
    bool exited = false;
    bool listening = eventually(std::chrono::seconds(120), [&] {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exited = true;
            return true;
        }
        std::ifstream log(log_path_);
        std::string line;
        while (std::getline(log, line)) {
            auto at = line.find("\"event\":\"listening\"");
            if (at == std::string::npos) continue;
            auto port_at = line.find("\"port\":", at);
            if (port_at == std::string::npos) continue;
            port_ = static_cast<unsigned short>(std::stoi(line.substr(port_at + 7)));
            return true;
        }
        return false;
    });
    if (exited || !listening) {
        auto tail = log_tail();
        if (!exited) kill_hard();
        pid_ = -1;
        throw std::runtime_error("debrief did not start (" + std::string(exited ? "it exited" : "timed out") + "); its log:\n" + tail);
    }
}

std::optional<DebriefProcess::Exit> DebriefProcess::failed_start(const Deployment& deployment, std::map<std::string, std::string> extra_env,
                                                                 std::chrono::milliseconds deadline) {
    DebriefProcess process(Spawned{}, deployment, std::move(extra_env));
    auto status = process.wait_for_exit(deadline);
    if (!status) return std::nullopt;  // the destructor stops it
    return Exit{*status, process.log_tail(64 * 1024)};
}

DebriefProcess::~DebriefProcess() {
    if (pid_ > 0) stop();
}

void DebriefProcess::kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

int DebriefProcess::stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    const bool ended = eventually(std::chrono::seconds(60), [&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; });
    if (!ended) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    return exit_status(status);
}

std::optional<int> DebriefProcess::wait_for_exit(std::chrono::milliseconds deadline) {
    if (pid_ <= 0) return std::nullopt;
    int status = 0;
    if (!eventually(deadline, [&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; })) return std::nullopt;
    pid_ = -1;
    return exit_status(status);
}

std::string DebriefProcess::log_tail(std::size_t bytes) const {
    std::ifstream log(log_path_);
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

std::vector<TopicRecord> read_topic(const std::string& topic) {
    auto config = consumer_config();
    std::string problem;
    std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(config.get(), problem));
    if (!consumer) throw std::runtime_error(problem);
    auto ends = topic_ends(topic);
    std::vector<RdKafka::TopicPartition*> assignment;
    std::map<int, bool> done;
    for (auto [partition, end] : ends) {
        assignment.push_back(RdKafka::TopicPartition::create(topic, partition, RdKafka::Topic::OFFSET_BEGINNING));
        done[partition] = end == 0;
    }
    consumer->assign(assignment);
    RdKafka::TopicPartition::destroy(assignment);
    std::vector<TopicRecord> records;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    auto all_done = [&] { return std::all_of(done.begin(), done.end(), [](const auto& d) { return d.second; }); };
    while (!all_done()) {
        if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("timed out reading " + topic);
        std::unique_ptr<RdKafka::Message> message(consumer->consume(500));
        if (message->err() == RdKafka::ERR__PARTITION_EOF) {
            if (message->offset() >= ends[message->partition()]) done[message->partition()] = true;
            continue;
        }
        if (message->err() != RdKafka::ERR_NO_ERROR) continue;
        TopicRecord record{message->partition(), message->offset(), message->key() ? *message->key() : std::string{},
                           std::string(static_cast<const char*>(message->payload()), message->len()), {}};
        if (auto* headers = message->headers())
            for (const auto& h : headers->get_all()) {
                std::string value(static_cast<const char*>(h.value()), h.value_size());
                record.headers[h.key()] = value;
                record.header_list.emplace_back(h.key(), std::move(value));
            }
        if (message->offset() + 1 >= ends[message->partition()]) done[message->partition()] = true;
        records.push_back(std::move(record));
    }
    consumer->close();
    return records;
}

std::map<int, std::int64_t> topic_ends(const std::string& topic) {
    auto config = consumer_config();
    std::string problem;
    // The log's true end: a read_committed consumer would be told the last stable offset, which trails a committed
    // transaction until the broker has written its commit markers (asynchronously, after the producer's commit).
    config->set("isolation.level", "read_uncommitted", problem);
    std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(config.get(), problem));
    if (!consumer) throw std::runtime_error(problem);
    std::map<int, std::int64_t> ends;
    for (int partition : partitions_of(*consumer, topic)) {
        std::int64_t low = 0, high = 0;
        if (consumer->query_watermark_offsets(topic, partition, &low, &high, 10'000) != RdKafka::ERR_NO_ERROR)
            throw std::runtime_error("no watermarks for " + topic);
        ends[partition] = high;
    }
    consumer->close();
    return ends;
}

std::int64_t total_records(const std::string& topic) {
    // Counted as read, not from offsets: transaction markers take offsets too, and are written after the commit.
    return static_cast<std::int64_t>(read_topic(topic).size());
}

std::vector<std::vector<std::string>> query(const Deployment& deployment, const std::string& sql, const std::vector<std::string>& params) {
    pqxx::connection connection{deployment.postgres_url};
    pqxx::read_transaction tx{connection};
    pqxx::result result;
    switch (params.size()) {
        case 0: result = tx.exec(sql); break;
        case 1: result = tx.exec_params(sql, params[0]); break;
        case 2: result = tx.exec_params(sql, params[0], params[1]); break;
        default: throw std::invalid_argument("query takes at most two parameters");
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : result) {
        std::vector<std::string> values;
        for (const auto& field : row) values.push_back(field.is_null() ? std::string{} : field.c_str());
        rows.push_back(std::move(values));
    }
    return rows;
}

void execute(const Deployment& deployment, const std::string& sql) {
    pqxx::connection connection{deployment.postgres_url};
    pqxx::work tx{connection};
    tx.exec(sql);
    tx.commit();
}

std::unique_ptr<events::KeyRing> deployment_keys(const Deployment& deployment) {
    auto master = events::MasterKey::from_file(deployment.master_key_file.string());
    if (!master) throw std::runtime_error(master.error().message);
    auto keys = std::make_unique<events::KeyRing>(std::move(master).value());
    for (const auto& record : read_topic(deployment.keys_topic)) {
        if (record.value.empty()) {
            keys->forget(record.key);
        } else if (auto loaded = keys->load(record.value); !loaded) {
            throw std::runtime_error("a key of " + deployment.keys_topic + " does not load: " + loaded.error().message);
        }
    }
    return keys;
}

std::unique_ptr<events::KafkaEventLog> other_writer(const Deployment& deployment, const std::string& role) {
    auto settings = TestServices::get().kafka_settings();
    settings.events_topic = deployment.events_topic;
    settings.credentials_topic = deployment.credentials_topic;
    settings.keys_topic = deployment.keys_topic;
    settings.transactional_id = "it." + deployment.name + "." + role;
    auto writer = events::KafkaEventLog::open(settings);
    if (!writer) throw std::runtime_error("opening a writer for " + deployment.name + ": " + writer.error().message);
    return std::move(writer).value();
}

void produce_raw(const std::string& topic, const std::string& key, const std::string& value) {
    std::string problem;
    auto config = client_config();
    std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(config.get(), problem));
    if (!producer) throw std::runtime_error(problem);
    auto err = producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()), value.size(),
                                 key.data(), key.size(), 0, nullptr);
    if (err != RdKafka::ERR_NO_ERROR) throw std::runtime_error("produce: " + RdKafka::err2str(err));
    if (producer->flush(10'000) != RdKafka::ERR_NO_ERROR) throw std::runtime_error("produce: no acknowledgement");
}

void create_topic(const std::string& topic, int partitions, const std::map<std::string, std::string>& config) {
    char errstr[512];
    rd_kafka_t* admin = rd_kafka_new(RD_KAFKA_PRODUCER, client_c_config(), errstr, sizeof errstr);
    if (!admin) throw std::runtime_error(std::string("create_topic: ") + errstr);
    auto* created = rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, errstr, sizeof errstr);
    for (const auto& [name, value] : config) rd_kafka_NewTopic_set_config(created, name.c_str(), value.c_str());
    auto* queue = rd_kafka_queue_new(admin);
    rd_kafka_CreateTopics(admin, &created, 1, nullptr, queue);
    std::string problem = "no answer to CreateTopics";
    if (auto* result = rd_kafka_queue_poll(queue, 20'000)) {
        problem.clear();
        if (rd_kafka_event_error(result)) {
            problem = rd_kafka_event_error_string(result);
        } else {
            size_t count = 0;
            const auto** topics = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(result), &count);
            for (size_t i = 0; i < count; ++i)
                if (rd_kafka_topic_result_error(topics[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) problem = rd_kafka_topic_result_error_string(topics[i]);
        }
        rd_kafka_event_destroy(result);
    }
    rd_kafka_NewTopic_destroy(created);
    rd_kafka_queue_destroy(queue);
    rd_kafka_destroy(admin);
    if (!problem.empty()) throw std::runtime_error("create_topic " + topic + ": " + problem);
}

void produce_records(const std::string& topic, const std::vector<TopicRecord>& records) {
    std::string problem;
    auto config = client_config();
    config->set("enable.idempotence", "true", problem);
    config->set("acks", "all", problem);
    std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(config.get(), problem));
    if (!producer) throw std::runtime_error(problem);
    for (const auto& record : records) {
        auto* headers = RdKafka::Headers::create();
        for (const auto& [name, value] : record.header_list) headers->add(name, value);
        auto err = producer->produce(topic, record.partition, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(record.value.data()), record.value.size(),
                                     record.key.data(), record.key.size(), 0, headers, nullptr);
        if (err != RdKafka::ERR_NO_ERROR) {
            delete headers;  // ownership passes to librdkafka only on success
            throw std::runtime_error("produce: " + RdKafka::err2str(err));
        }
    }
    if (producer->flush(30'000) != RdKafka::ERR_NO_ERROR) throw std::runtime_error("produce: not every record was acknowledged");
}

std::int64_t query_number(const Deployment& deployment, const std::string& sql, const std::vector<std::string>& params) {
    auto rows = query(deployment, sql, params);
    if (rows.size() != 1 || rows[0].size() != 1) throw std::runtime_error("expected one value from: " + sql);
    return rows[0][0].empty() ? 0 : std::stoll(rows[0][0]);
}

bool eventually(std::chrono::milliseconds deadline, const std::function<bool()>& condition) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (true) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling interval of a deadline-bounded wait
    }
}

RebuildCommandRun run_rebuild_command(const std::string& read_model, unsigned short port, const std::string& token) {
    const auto command = TestServices::get().debrief_binary + " rebuild " + read_model + " --url http://127.0.0.1:" + std::to_string(port) +
                         " --token '" + token + "' 2>&1";
    RebuildCommandRun run;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    char buffer[4096];
    while (auto n = std::fread(buffer, 1, sizeof buffer, pipe)) run.output.append(buffer, n);
    const int status = ::pclose(pipe);
    run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::istringstream lines(run.output);
    for (std::string line; std::getline(lines, line);) {
        boost::system::error_code ec;
        auto parsed = boost::json::parse(line, ec);
        if (!ec && parsed.is_object()) run.last_status = parsed.as_object();
    }
    return run;
}

Account sign_up(const HttpClient& client, const std::string& organization) {
    static int counter = 0;
    Account account;
    account.email = "admin" + std::to_string(++counter) + "-" + unique_suffix() + "@example.com";
    account.password = "correct horse battery staple";
    auto response = client.post_json("/v1/signup", json::object{{"organization", organization}, {"name", "Ada Admin"},
                                                                {"email", account.email}, {"password", account.password}});
    if (response.status != 201) throw std::runtime_error("sign-up failed: " + std::to_string(response.status) + " " + response.body);
    auto body = response.json().as_object();
    account.access_token = std::string(body.at("access_token").as_string());
    account.refresh_token = std::string(body.at("refresh_token").as_string());
    account.organization_id = std::string(body.at("organization_id").as_string());
    account.user_id = std::string(body.at("user_id").as_string());
    return account;
}

std::pair<std::string, std::string> invite(const HttpClient& client, const std::string& admin_token, const std::string& name,
                                           const std::string& email, const std::string& role, const json::object& extra) {
    json::object body{{"name", name}, {"email", email}, {"role", role}, {"password", "a long passphrase"}};
    for (const auto& [k, v] : extra) body[k] = v;
    auto invited = client.post_json("/v1/users", body, admin_token);
    if (invited.status != 201) throw std::runtime_error("invite failed: " + std::to_string(invited.status) + " " + invited.body);
    auto login = client.post_json("/v1/auth/login", json::object{{"email", email}, {"password", "a long passphrase"}});
    if (login.status != 200) throw std::runtime_error("login failed: " + std::to_string(login.status) + " " + login.body);
    return {std::string(invited.json().at("id").as_string()), std::string(login.json().at("access_token").as_string())};
}

json::object session_body(const std::string& format, const std::string& text, const std::string& date, const std::string& type) {
    return json::object{{"session_date", date}, {"session_type", type}, {"transcript", json::object{{"format", format}, {"text", text}}}};
}

}  // namespace debrief::it
