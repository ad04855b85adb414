// Integration-test harness: a real `debrief serve` process on the real local Kafka and PostgreSQL, an HTTP client,
// a plain Kafka reader and direct PostgreSQL queries. Every deployment gets its own topics, database and data dir.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "events/kafka_settings.hpp"

namespace debrief::events {
class KafkaEventLog;
class KeyRing;
}

namespace debrief::it {

// librdkafka properties as kcat -F reads them: `name=value` lines, `#` comments. Throws when the file cannot be read.
std::map<std::string, std::string> read_kafka_properties(const std::filesystem::path& file);
// The login those properties describe (security.protocol, sasl.mechanisms, sasl.username, sasl.password, ssl.ca.location).
events::KafkaSecurity kafka_security_of(const std::map<std::string, std::string>& properties);

// The services ./ops/test started, from DEBRIEF_TEST_* variables; a test run without them fails loudly.
struct TestServices {
    std::string kafka_brokers;
    // Debrief's principal on that broker (DEBRIEF_TEST_KAFKA_PROPERTIES, ops/kafka-up's debrief.properties): every
    // Kafka client of the tests logs in with it, and so does every `debrief serve` they start.
    std::map<std::string, std::string> kafka_properties;
    std::string postgres_url;  // of the maintenance database; deployments create their own
    std::string debrief_binary;
    static const TestServices& get();
    events::KafkaSecurity kafka_security() const { return kafka_security_of(kafka_properties); }
    events::KafkaSettings kafka_settings() const;  // the brokers and that login; topics and ids are the caller's
};

struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-cased names
    std::string body;
    boost::json::value json() const;
    std::string header(const std::string& lower_name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
public:
    explicit HttpClient(unsigned short port) : port_(port) {}
    // One connection per request. Throws std::runtime_error when the connection fails.
    HttpResult request(const std::string& method, const std::string& target, const std::string& body = {}, const Headers& headers = {}) const;
    HttpResult get(const std::string& target, const std::string& token = {}) const;
    HttpResult post_json(const std::string& target, const boost::json::value& body, const std::string& token = {}, Headers headers = {}) const;

private:
    unsigned short port_;
};

// Topics, database and data directory of one Debrief deployment; processes started on it share them.
struct Deployment {
    std::string name;
    std::string events_topic;
    std::string credentials_topic;
    std::string keys_topic;
    std::string audit_topic;
    std::string database;
    std::string postgres_url;
    std::filesystem::path directory;
    std::string jwt_secret;
    std::filesystem::path master_key_file;  // a random key of this deployment, as 64 hex digits
    std::string maintenance_url;  // of the server that holds the database: the shared one, or a test's own

    // maintenance_url: the `postgres` database of the server to create the deployment's database on; empty: the
    // shared test server (DEBRIEF_TEST_POSTGRES_URL).
    explicit Deployment(const std::string& label, const std::string& maintenance_url = {});
    ~Deployment();
    Deployment(const Deployment&) = delete;
    Deployment& operator=(const Deployment&) = delete;
};

class DebriefProcess {
public:
    // Starts `debrief serve` on a free port and waits until it listens. extra_env adds or overrides DEBRIEF_* settings.
    explicit DebriefProcess(const Deployment& deployment, std::map<std::string, std::string> extra_env = {});
    ~DebriefProcess();
    DebriefProcess(const DebriefProcess&) = delete;
    DebriefProcess& operator=(const DebriefProcess&) = delete;

    // Starts `debrief serve` for a start that must fail, and waits until it exits by itself: its exit status and its
    // log; nothing when it still runs at the deadline (it is then stopped).
    struct Exit {
        int status = 0;
        std::string log;
    };
    static std::optional<Exit> failed_start(const Deployment& deployment, std::map<std::string, std::string> extra_env,
                                            std::chrono::milliseconds deadline);

    unsigned short port() const { return port_; }
    HttpClient client() const { return HttpClient(port_); }
    // SIGKILL: no drain, no flush, no consumer-group leave; a crash as the operating system sees it.
    void kill_hard();
    // SIGTERM and wait; returns the exit status.
    int stop();
    // Waits for the process to end by itself (a crash, a fault injection); its exit status, or nothing by the deadline.
    std::optional<int> wait_for_exit(std::chrono::milliseconds deadline);
    std::string log_tail(std::size_t bytes = 4000) const;

private:
    struct Spawned {};  // started, not waited for
    DebriefProcess(Spawned, const Deployment& deployment, std::map<std::string, std::string> extra_env);
    int pid_ = -1;
    unsigned short port_ = 0;
    std::filesystem::path log_path_;
};

// A Kafka record read by a plain librdkafka consumer, independent of Debrief's own consumer code.
struct TopicRecord {
    int partition = 0;
    std::int64_t offset = 0;
    std::string key;
    std::string value;
    std::map<std::string, std::string> headers;
    std::vector<std::pair<std::string, std::string>> header_list;  // the same headers as sent: in order, repeats kept
};

std::vector<TopicRecord> read_topic(const std::string& topic);
// partition -> the log end (high watermark), commit markers included.
std::map<int, std::int64_t> topic_ends(const std::string& topic);
// The records a read_committed reader gets: committed events, no markers.
std::int64_t total_records(const std::string& topic);

// The deployment's keys topic read to its end with its master key: what opens the sealed fields of its events (the
// topic's decrypted view). Without it, events::decode(value, nullptr) is what an integrator sees.
std::unique_ptr<events::KeyRing> deployment_keys(const Deployment& deployment);

// Runs a query on the deployment's database and returns the rows as strings (NULL as "").
std::vector<std::vector<std::string>> query(const Deployment& deployment, const std::string& sql, const std::vector<std::string>& params = {});
std::int64_t query_number(const Deployment& deployment, const std::string& sql, const std::vector<std::string>& params = {});
// Runs a statement (DDL, an update) on the deployment's database and commits it.
void execute(const Deployment& deployment, const std::string& sql);
// Writes one record outside any transaction, the way a careless or hostile producer would.
void produce_raw(const std::string& topic, const std::string& key, const std::string& value);
// Creates a topic with the given partitions and topic configs (e.g. cleanup.policy), before any Debrief starts on it.
void create_topic(const std::string& topic, int partitions, const std::map<std::string, std::string>& config = {});
// Another transactional writer on the deployment's topics (its own transactional id, "it.<name>.<role>"), as a
// hostile producer or an older build would write.
std::unique_ptr<events::KafkaEventLog> other_writer(const Deployment& deployment, const std::string& role);
// Writes records as they are (each to its own partition, with its key and headers), idempotently, and waits for the acks.
void produce_records(const std::string& topic, const std::vector<TopicRecord>& records);

// Polls a condition until it holds or the deadline passes; true when it held.
bool eventually(std::chrono::milliseconds deadline, const std::function<bool()>& condition);

// A signed-up organization: its admin's tokens and ids.
struct Account {
    std::string access_token;
    std::string refresh_token;
    std::string organization_id;
    std::string user_id;
    std::string email;
    std::string password;
};
Account sign_up(const HttpClient& client, const std::string& organization);

// Invites a user with the password "a long passphrase" (extra: lead_id, client_id, ...) and logs them in: their id and
// access token.
std::pair<std::string, std::string> invite(const HttpClient& client, const std::string& admin_token, const std::string& name,
                                           const std::string& email, const std::string& role, const boost::json::object& extra = {});

boost::json::object session_body(const std::string& format, const std::string& text, const std::string& date = "2026-11-20",
                                 const std::string& type = "individual");

// `debrief rebuild <read model>` against the Debrief on port, to its end: its exit status, what it printed (one JSON
// status a line: its stdout is not a terminal here), and the last of those lines (empty when none is JSON).
struct RebuildCommandRun {
    int exit_status = -1;
    std::string output;
    boost::json::object last_status;
};
RebuildCommandRun run_rebuild_command(const std::string& read_model, unsigned short port, const std::string& token);

}  // namespace debrief::it
