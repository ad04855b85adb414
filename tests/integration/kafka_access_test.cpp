// The broker checks who reads (issue 9, point 7), on the real local broker as ops/kafka-up configured it: a client
// without credentials is refused on the client port, the `integrator` principal reads the events topic and nothing
// else (not the credentials, keys, audit or dead-letter topics, not another deployment's, and it writes nowhere),
// and Debrief with a wrong password stops at start and says why.
#include <doctest/doctest.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;

namespace {

using namespace std::chrono_literals;

// The integrator's login, as ops/kafka-up wrote it for kcat -F (DEBRIEF_TEST_KAFKA_INTEGRATOR_PROPERTIES).
std::map<std::string, std::string> integrator_properties() {
    const char* file = std::getenv("DEBRIEF_TEST_KAFKA_INTEGRATOR_PROPERTIES");
    if (!file || !*file) throw std::runtime_error("DEBRIEF_TEST_KAFKA_INTEGRATOR_PROPERTIES is not set: run the integration tests through ./ops/test");
    return read_kafka_properties(file);
}

std::map<std::string, std::string> anonymous_properties() { return {{"security.protocol", "plaintext"}}; }

// The events topic ops/kafka-principals granted: the one of `debrief serve`'s default, unless ops/ ran with another.
std::string granted_events_topic() {
    const char* topic = std::getenv("DEBRIEF_EVENTS_TOPIC");
    return topic && *topic ? topic : "debrief.events";
}

// Records librdkafka's error callbacks of one client.
struct ErrorLog : RdKafka::EventCb {
    std::mutex mutex;
    std::set<RdKafka::ErrorCode> codes;
    void event_cb(RdKafka::Event& event) override {
        if (event.type() != RdKafka::Event::EVENT_ERROR) return;
        std::lock_guard lock(mutex);
        codes.insert(event.err());
    }
    bool saw(RdKafka::ErrorCode code) {
        std::lock_guard lock(mutex);
        return codes.contains(code);
    }
};

std::unique_ptr<RdKafka::KafkaConsumer> consumer_as(const std::map<std::string, std::string>& login, const std::string& group,
                                                    ErrorLog* errors = nullptr) {
    std::unique_ptr<RdKafka::Conf> config(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::string problem;
    auto set = [&](const std::string& name, const std::string& value) {
        if (config->set(name, value, problem) != RdKafka::Conf::CONF_OK) throw std::runtime_error(name + ": " + problem);
    };
    for (const auto& [name, value] : login) set(name, value);
    set("bootstrap.servers", TestServices::get().kafka_brokers);
    set("group.id", group);
    set("auto.offset.reset", "earliest");
    set("enable.auto.commit", "false");
    set("enable.partition.eof", "false");
    if (errors && config->set("event_cb", static_cast<RdKafka::EventCb*>(errors), problem) != RdKafka::Conf::CONF_OK)
        throw std::runtime_error(problem);
    std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(config.get(), problem));
    if (!consumer) throw std::runtime_error(problem);
    return consumer;
}

// The error the brokers give for one topic in a metadata answer, or the error of the request itself.
RdKafka::ErrorCode topic_metadata_error(RdKafka::KafkaConsumer& consumer, const std::string& topic, int timeout_ms = 10'000) {
    std::string problem;
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(&consumer, topic, nullptr, problem));
    RdKafka::Metadata* raw = nullptr;
    auto err = consumer.metadata(false, handle.get(), &raw, timeout_ms);
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    if (err != RdKafka::ERR_NO_ERROR) return err;
    for (const auto* described : *metadata->topics())
        if (described->topic() == topic) return described->err();
    return RdKafka::ERR__UNKNOWN_TOPIC;
}

// Reads `topic` from the start with a group subscription until `expected` records arrived or the deadline passed;
// the count, and the first error the consumer reported (ERR_NO_ERROR when none).
std::pair<std::size_t, RdKafka::ErrorCode> read_subscribed(RdKafka::KafkaConsumer& consumer, const std::string& topic, std::size_t expected,
                                                           std::chrono::milliseconds deadline) {
    consumer.subscribe({topic});
    std::size_t records = 0;
    RdKafka::ErrorCode first_error = RdKafka::ERR_NO_ERROR;
    eventually(deadline, [&] {
        std::unique_ptr<RdKafka::Message> message(consumer.consume(200));
        if (message->err() == RdKafka::ERR_NO_ERROR) ++records;
        else if (message->err() != RdKafka::ERR__TIMED_OUT && first_error == RdKafka::ERR_NO_ERROR) first_error = message->err();
        return records >= expected || first_error != RdKafka::ERR_NO_ERROR;
    });
    consumer.close();
    return {records, first_error};
}

// The admin side of the test broker as Debrief's principal (a super user): ACLs, with librdkafka's C API.
class Acls {
public:
    Acls() {
        char errstr[512];
        auto* config = rd_kafka_conf_new();
        auto properties = TestServices::get().kafka_properties;
        properties["bootstrap.servers"] = TestServices::get().kafka_brokers;
        for (const auto& [name, value] : properties)
            if (rd_kafka_conf_set(config, name.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
                throw std::runtime_error(name + ": " + errstr);
        handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, config, errstr, sizeof errstr);
        if (!handle_) throw std::runtime_error(errstr);
        queue_ = rd_kafka_queue_new(handle_);
    }
    ~Acls() {
        rd_kafka_queue_destroy(queue_);
        rd_kafka_destroy(handle_);
    }
    Acls(const Acls&) = delete;
    Acls& operator=(const Acls&) = delete;

    struct Binding {
        rd_kafka_ResourceType_t type;
        std::string name;
        rd_kafka_ResourcePatternType_t pattern;
        rd_kafka_AclOperation_t operation;
        rd_kafka_AclPermissionType_t permission;
        auto key() const { return std::tie(type, name, pattern, operation, permission); }
        bool operator<(const Binding& other) const { return key() < other.key(); }
        bool operator==(const Binding& other) const { return key() == other.key(); }
    };

    std::set<Binding> of_principal(const std::string& principal) {
        char errstr[512];
        auto* filter = rd_kafka_AclBindingFilter_new(RD_KAFKA_RESOURCE_ANY, nullptr, RD_KAFKA_RESOURCE_PATTERN_ANY, principal.c_str(), nullptr,
                                                     RD_KAFKA_ACL_OPERATION_ANY, RD_KAFKA_ACL_PERMISSION_TYPE_ANY, errstr, sizeof errstr);
        rd_kafka_DescribeAcls(handle_, filter, nullptr, queue_);
        rd_kafka_AclBinding_destroy(filter);
        auto* event = answer(RD_KAFKA_EVENT_DESCRIBEACLS_RESULT);
        std::set<Binding> bindings;
        size_t count = 0;
        const auto** found = rd_kafka_DescribeAcls_result_acls(rd_kafka_event_DescribeAcls_result(event), &count);
        for (size_t i = 0; i < count; ++i)
            bindings.insert({rd_kafka_AclBinding_restype(found[i]), rd_kafka_AclBinding_name(found[i]), rd_kafka_AclBinding_resource_pattern_type(found[i]),
                             rd_kafka_AclBinding_operation(found[i]), rd_kafka_AclBinding_permission_type(found[i])});
        rd_kafka_event_destroy(event);
        return bindings;
    }

    void create(const std::string& principal, const std::set<Binding>& bindings) {
        std::vector<rd_kafka_AclBinding_t*> created;
        for (const auto& b : bindings) created.push_back(make(principal, b));
        rd_kafka_CreateAcls(handle_, created.data(), created.size(), nullptr, queue_);
        rd_kafka_AclBinding_destroy_array(created.data(), created.size());
        auto* event = answer(RD_KAFKA_EVENT_CREATEACLS_RESULT);
        size_t count = 0;
        const auto** results = rd_kafka_CreateAcls_result_acls(rd_kafka_event_CreateAcls_result(event), &count);
        std::string problem;
        for (size_t i = 0; i < count; ++i)
            if (const auto* error = rd_kafka_acl_result_error(results[i])) problem = rd_kafka_error_string(error);
        rd_kafka_event_destroy(event);
        if (!problem.empty()) throw std::runtime_error("CreateAcls: " + problem);
    }

    void remove(const std::string& principal, const std::set<Binding>& bindings) {
        std::vector<rd_kafka_AclBindingFilter_t*> filters;
        for (const auto& b : bindings) filters.push_back(make(principal, b));
        rd_kafka_DeleteAcls(handle_, filters.data(), filters.size(), nullptr, queue_);
        rd_kafka_AclBinding_destroy_array(filters.data(), filters.size());
        rd_kafka_event_destroy(answer(RD_KAFKA_EVENT_DELETEACLS_RESULT));
    }

private:
    rd_kafka_AclBinding_t* make(const std::string& principal, const Binding& b) {
        char errstr[512];
        auto* binding = rd_kafka_AclBinding_new(b.type, b.name.c_str(), b.pattern, principal.c_str(), "*", b.operation, b.permission, errstr, sizeof errstr);
        if (!binding) throw std::runtime_error(std::string("AclBinding: ") + errstr);
        return binding;
    }

    rd_kafka_event_t* answer(rd_kafka_event_type_t type) {
        auto* event = rd_kafka_queue_poll(queue_, 30'000);
        if (!event) throw std::runtime_error("no answer from the broker's admin API in 30 s");
        if (rd_kafka_event_type(event) != type || rd_kafka_event_error(event)) {
            std::string problem = rd_kafka_event_error_string(event) ? rd_kafka_event_error_string(event) : "unexpected answer";
            rd_kafka_event_destroy(event);
            throw std::runtime_error("admin API: " + problem);
        }
        return event;
    }

    rd_kafka_t* handle_ = nullptr;
    rd_kafka_queue_t* queue_ = nullptr;
};

// ACLs a test adds for the integrator on its own deployment's topic, removed again whatever happens.
struct GrantedForTheTest {
    Acls& acls;
    std::set<Acls::Binding> bindings;
    GrantedForTheTest(Acls& a, std::set<Acls::Binding> b) : acls(a), bindings(std::move(b)) { acls.create("User:integrator", bindings); }
    ~GrantedForTheTest() {
        try {
            acls.remove("User:integrator", bindings);
        } catch (const std::exception&) {
            // A leftover literal ACL on a deleted test topic grants nothing.
        }
    }
};

// A deployment with some events in its log: a running Debrief and one sign-up.
std::size_t write_some_events(const Deployment& deployment) {
    DebriefProcess debrief(deployment);
    sign_up(debrief.client(), "Broker Access Ltd");
    const auto committed = total_records(deployment.events_topic);
    REQUIRE(committed >= 2);
    return static_cast<std::size_t>(committed);
}

}  // namespace

TEST_CASE("a Kafka client without credentials is refused on the client port: no metadata, no topics, no records") {
    Deployment deployment("anonymous");
    const auto committed = write_some_events(deployment);
    REQUIRE(committed > 0);

    auto anonymous = consumer_as(anonymous_properties(), "anonymous-" + deployment.name);
    RdKafka::Metadata* raw = nullptr;
    const auto listed = anonymous->metadata(true, nullptr, &raw, 5000);
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    CHECK(listed != RdKafka::ERR_NO_ERROR);  // the broker closes the connection before any request
    CHECK(metadata == nullptr);
    CHECK(topic_metadata_error(*anonymous, deployment.events_topic, 5000) != RdKafka::ERR_NO_ERROR);
    // Assigned straight to a partition (no metadata asked), it still gets nothing in a bounded look.
    std::vector<RdKafka::TopicPartition*> all;
    for (int partition = 0; partition < 6; ++partition)
        all.push_back(RdKafka::TopicPartition::create(deployment.events_topic, partition, RdKafka::Topic::OFFSET_BEGINNING));
    anonymous->assign(all);
    RdKafka::TopicPartition::destroy(all);
    std::size_t records = 0;
    eventually(3s, [&] {
        std::unique_ptr<RdKafka::Message> message(anonymous->consume(200));
        if (message->err() == RdKafka::ERR_NO_ERROR) ++records;
        return false;  // watch the whole window
    });
    CHECK(records == 0);
    anonymous->close();

    // A principal with a wrong password is refused too, and told so.
    auto login = integrator_properties();
    login["sasl.password"] = "not-the-password";
    ErrorLog errors;
    auto impostor = consumer_as(login, "integrator-" + deployment.name, &errors);
    CHECK(topic_metadata_error(*impostor, deployment.events_topic, 5000) != RdKafka::ERR_NO_ERROR);
    CHECK(eventually(10s, [&] {
        std::unique_ptr<RdKafka::Message> polled(impostor->consume(100));  // serves the error callback
        return errors.saw(RdKafka::ERR__AUTHENTICATION);
    }));
    impostor->close();
}

TEST_CASE("the integrator reads the events topic and nothing else") {
    const auto integrator = integrator_properties();
    Acls acls;
    // Grants on test topics (it.<deployment>.events) are this test's own; one left by an interrupted run goes first.
    std::set<Acls::Binding> leftovers;
    for (const auto& binding : acls.of_principal("User:integrator"))
        if (binding.type == RD_KAFKA_RESOURCE_TOPIC && binding.name.starts_with("it.")) leftovers.insert(binding);
    if (!leftovers.empty()) acls.remove("User:integrator", leftovers);

    SUBCASE("ops/ granted it READ and DESCRIBE on the literal events topic and READ on integrator- groups, and nothing more") {
        using B = Acls::Binding;
        const auto events_topic = granted_events_topic();
        const std::set<B> expected{
            {RD_KAFKA_RESOURCE_TOPIC, events_topic, RD_KAFKA_RESOURCE_PATTERN_LITERAL, RD_KAFKA_ACL_OPERATION_READ, RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW},
            {RD_KAFKA_RESOURCE_TOPIC, events_topic, RD_KAFKA_RESOURCE_PATTERN_LITERAL, RD_KAFKA_ACL_OPERATION_DESCRIBE,
             RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW},
            {RD_KAFKA_RESOURCE_GROUP, "integrator-", RD_KAFKA_RESOURCE_PATTERN_PREFIXED, RD_KAFKA_ACL_OPERATION_READ, RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW},
        };
        CHECK(acls.of_principal("User:integrator") == expected);

        // And the broker applies them to the production topic names: the events topic may be described (it may not
        // exist on this broker: then it is unknown, not forbidden); every other topic is forbidden, existing or not.
        auto consumer = consumer_as(integrator, "integrator-metadata");
        const auto events = topic_metadata_error(*consumer, events_topic);
        CHECK((events == RdKafka::ERR_NO_ERROR || events == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART));
        for (const std::string topic : {std::string("debrief.credentials"), std::string("debrief.keys"), std::string("debrief.audit"), events_topic + ".dlq",
                                        events_topic + ".v2"}) {
            CAPTURE(topic);
            CHECK(topic_metadata_error(*consumer, topic) == RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
        }
        consumer->close();
    }

    SUBCASE("with the events topic's grant on a deployment's own topic, it reads every event there, and no other topic") {
        Deployment deployment("integrator");
        const auto committed = write_some_events(deployment);
        // The bindings ops/ created for the events topic, as they are, on this deployment's events topic.
        std::set<Acls::Binding> grant;
        for (auto binding : acls.of_principal("User:integrator"))
            if (binding.type == RD_KAFKA_RESOURCE_TOPIC && binding.name == granted_events_topic()) {
                binding.name = deployment.events_topic;
                grant.insert(binding);
            }
        REQUIRE_FALSE(grant.empty());
        GrantedForTheTest granted(acls, grant);

        // In a group of its own prefix it reads every committed event (ACLs reach the broker a moment after CreateAcls).
        std::size_t read = 0;
        CHECK(eventually(60s, [&] {
            auto consumer = consumer_as(integrator, "integrator-" + deployment.name);
            auto [records, error] = read_subscribed(*consumer, deployment.events_topic, committed, 20s);
            read = records;
            return records == committed && error == RdKafka::ERR_NO_ERROR;
        }));
        CHECK(read == committed);

        // The same topic in a group outside the prefix: the group is refused.
        {
            auto consumer = consumer_as(integrator, "crm-sync-" + deployment.name);
            auto [records, error] = read_subscribed(*consumer, deployment.events_topic, committed, 30s);
            CHECK(records == 0);
            CHECK(error == RdKafka::ERR_GROUP_AUTHORIZATION_FAILED);
        }

        // The deployment's credentials and dead letters stay closed.
        auto consumer = consumer_as(integrator, "integrator-" + deployment.name + "-metadata");
        CHECK(topic_metadata_error(*consumer, deployment.credentials_topic) == RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
        CHECK(topic_metadata_error(*consumer, deployment.events_topic + ".dlq") == RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
        consumer->close();
        {
            auto reader = consumer_as(integrator, "integrator-" + deployment.name + "-credentials");
            auto [records, error] = read_subscribed(*reader, deployment.credentials_topic, 1, 30s);
            CHECK(records == 0);
            CHECK(error == RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
        }

        // Reading is all it may do: a record it sends to the topic it reads is refused.
        std::unique_ptr<RdKafka::Conf> config(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
        std::string problem;
        for (const auto& [name, value] : integrator) config->set(name, value, problem);
        config->set("bootstrap.servers", TestServices::get().kafka_brokers, problem);
        config->set("message.timeout.ms", "15000", problem);
        struct Outcome : RdKafka::DeliveryReportCb {
            std::optional<RdKafka::ErrorCode> err;
            void dr_cb(RdKafka::Message& message) override { err = message.err(); }
        } outcome;
        config->set("dr_cb", &outcome, problem);
        std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(config.get(), problem));
        REQUIRE(producer);
        std::string value = "not an envelope";
        REQUIRE(producer->produce(deployment.events_topic, 0, RdKafka::Producer::RK_MSG_COPY, value.data(), value.size(), nullptr, 0, 0, nullptr) ==
                RdKafka::ERR_NO_ERROR);
        CHECK(eventually(30s, [&] {
            producer->poll(100);
            return outcome.err.has_value();
        }));
        CHECK(outcome.err == RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
        CHECK(total_records(deployment.events_topic) == static_cast<std::int64_t>(committed));
    }
}

TEST_CASE("debrief serve with a wrong Kafka password stops at start, at once, and names the refusal") {
    Deployment deployment("wrong_password");
    const auto started = std::chrono::steady_clock::now();
    auto exit = DebriefProcess::failed_start(deployment, {{"DEBRIEF_KAFKA_SASL_PASSWORD", "not-the-password"}}, 60s);
    REQUIRE(exit.has_value());
    CHECK(exit->status == 1);
    // Not retried for the start-up budget (60 s by default): a refused login does not heal by waiting.
    CHECK(std::chrono::steady_clock::now() - started < 30s);
    CAPTURE(exit->log);
    CHECK(exit->log.find(R"("event":"start_failed")") != std::string::npos);
    CHECK(exit->log.find(R"("code":"kafka_authentication_failed")") != std::string::npos);
    CHECK(exit->log.find("Kafka refused Debrief's credentials") != std::string::npos);
    CHECK(exit->log.find("not-the-password") == std::string::npos);  // the start-up line masks it
}
