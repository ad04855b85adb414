// Writes a generated coaching history (bench/bench_history.hpp) into fresh Debrief topics, as Debrief would have
// appended it over time: each event keyed by its organization (murmur2, so one organization stays on one
// partition, in order), credentials on their compacted topic. With a master key file the events are written as
// today's log writer writes them, each personal field sealed with its data subject's key, and the keys go to the
// keys topic; without one, in clear, as events written before sealing are. For bench/startup and bench/projectors:
// a start of `debrief serve` on those topics then reads that many events.
// With --coaching, the history is generate_coaching()'s (a whole product's mix over that many organizations, for
// bench/replay) of at least that many events, and the people of each organization are written to the file named, one
// line each: organization admin lead coach client-user client (ids), for tokens that act as them.
// Usage: history_to_kafka <brokers> <topic prefix> <sessions> [<master key file>]
//        history_to_kafka <brokers> <topic prefix> <events> <master key file> --coaching <organizations> <people file>
//   topics: <prefix>.events, <prefix>.credentials, <prefix>.keys (and the others Debrief creates, named alike)
#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench/bench_history.hpp"
#include "bench/kafka_login.hpp"
#include "events/codec.hpp"
#include "events/kafka_event_log.hpp"
#include "events/keyring.hpp"

using namespace debrief;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "history_to_kafka: %s\n", message.c_str());
    std::exit(1);
}

class FailedReports final : public RdKafka::DeliveryReportCb {
public:
    void dr_cb(RdKafka::Message& message) override {
        if (message.err() != RdKafka::ERR_NO_ERROR) ++failed;
    }
    long failed = 0;
};

void produce(RdKafka::Producer& producer, const std::string& topic, const std::string& key, const std::string& value) {
    while (true) {
        auto err = producer.produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()),
                                    value.size(), key.data(), key.size(), 0, nullptr);
        if (err == RdKafka::ERR_NO_ERROR) return;
        if (err != RdKafka::ERR__QUEUE_FULL) fail(RdKafka::err2str(err));
        producer.poll(100);  // the local queue is full: let deliveries drain it
    }
}

}  // namespace

int main(int argc, char** argv) {
    const bool coaching = argc == 8 && std::string(argv[5]) == "--coaching";
    if (argc != 4 && argc != 5 && !coaching)
        fail("usage: history_to_kafka <brokers> <topic prefix> <sessions> [<master key file>]\n"
             "       history_to_kafka <brokers> <topic prefix> <events> <master key file> --coaching <organizations> <people file>");
    events::KafkaSettings settings;
    settings.brokers = argv[1];
    settings.security = bench::kafka_login();
    const std::string prefix = argv[2];
    settings.events_topic = prefix + ".events";
    settings.credentials_topic = prefix + ".credentials";
    settings.keys_topic = prefix + ".keys";
    settings.audit_topic = prefix + ".audit";
    settings.transactional_id = "history-to-kafka-" + prefix;
    const int sessions = std::atoi(argv[3]);
    if (sessions <= 0) fail("sessions must be positive");
    std::unique_ptr<events::KeyRing> keys;
    if (argc >= 5) {
        auto master = events::MasterKey::from_file(argv[4]);
        if (!master) fail(master.error().message);
        keys = std::make_unique<events::KeyRing>(std::move(master).value());
    }
    {
        auto creator = events::KafkaEventLog::open(settings);
        if (!creator) fail(creator.error().message);
        if (auto created = creator.value()->ensure_topics(10000); !created) fail(created.error().message);
    }
    auto started = Clock::now();
    bench::History history;
    if (coaching) {
        auto generated = bench::generate_coaching(static_cast<std::size_t>(sessions), std::atoi(argv[6]));
        FILE* people = std::fopen(argv[7], "w");
        if (!people) fail(std::string("cannot write ") + argv[7]);
        for (const auto& p : generated.people)
            std::fprintf(people, "%s %s %s %s %s %s\n", p.organization.c_str(), p.admin.c_str(), p.lead.c_str(), p.coach.c_str(), p.client_user.c_str(),
                         p.client.c_str());
        std::fclose(people);
        history = std::move(static_cast<bench::History&>(generated));
    } else {
        history = bench::generate(sessions);
    }
    std::printf("generated %d sessions, %zu events in %.1f s\n", history.sessions, history.events.size(),
                std::chrono::duration<double>(Clock::now() - started).count());

    std::string problem;
    std::unique_ptr<RdKafka::Conf> config(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    for (const auto& [key, value] : settings.security.properties())
        if (config->set(key, value, problem) != RdKafka::Conf::CONF_OK) fail(key + ": " + problem);
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"bootstrap.servers", settings.brokers},
             {"enable.idempotence", "true"},
             {"acks", "all"},
             {"linger.ms", "20"},
             {"partitioner", "murmur2_random"},
             {"compression.type", "lz4"},
         })
        if (config->set(key, value, problem) != RdKafka::Conf::CONF_OK) fail(key + ": " + problem);
    FailedReports reports;
    if (config->set("dr_cb", &reports, problem) != RdKafka::Conf::CONF_OK) fail(problem);
    std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(config.get(), problem));
    if (!producer) fail(problem);
    started = Clock::now();
    for (const auto& credential : history.credentials)
        produce(*producer, settings.credentials_topic, credential.user_id.value, events::encode(credential));
    std::size_t key_records = 0;
    for (std::size_t i = 0; i < history.events.size(); ++i) {
        if (!keys) {
            produce(*producer, settings.events_topic, history.keys[i], history.events[i]);
            continue;
        }
        auto event = events::decode(history.events[i], nullptr);
        if (!event) fail(event.error().message);
        auto sealed = events::encode_sealed(event.value(), *keys, 1'800'000'000'000);
        if (!sealed) fail(sealed.error().message);
        for (const auto& record : sealed->new_keys) {  // before the events they open, as in the writer's transaction
            produce(*producer, settings.keys_topic, record.subject, events::encode(record));
            keys->stored(record.subject);
            ++key_records;
        }
        produce(*producer, settings.events_topic, history.keys[i], sealed->bytes);
    }
    if (producer->flush(120'000) != RdKafka::ERR_NO_ERROR) fail("not every record was delivered in time");
    if (reports.failed > 0) fail(std::to_string(reports.failed) + " records were not delivered");
    std::printf("produced %zu %s events, %zu credentials and %zu subject keys in %.1f s\n", history.events.size(), keys ? "sealed" : "clear",
                history.credentials.size(), key_records, std::chrono::duration<double>(Clock::now() - started).count());
    return 0;
}
