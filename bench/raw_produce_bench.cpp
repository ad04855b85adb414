// Benchmark baseline for bench/write_path: transactional produce straight to the broker with librdkafka, with the
// producer settings, record size and headers of Debrief's own writer (KafkaEventLog), and nothing else: no HTTP, no
// decision, no fold. Prints, per transaction size, transactions/s, records/s and the commit latency (begin to
// commit returned) at p50 and p99, as "RAW <records per transaction> <txn/s> <records/s> <p50 ms> <p99 ms>".
// Usage: raw_produce_bench <brokers> <topic> <seconds per size> [records per transaction ...]   (default 1 100 1000)
#include <librdkafka/rdkafkacpp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench/percentile.hpp"
#include "bench/kafka_login.hpp"
#include "events/cloudevents.hpp"
#include "events/codec.hpp"
#include "events/kafka_event_log.hpp"
#include "events/kafka_settings.hpp"

using namespace debrief;
using debrief::bench::percentile;
using Clock = std::chrono::steady_clock;

namespace {

// A note of the size the benchmark's commands append, encoded and with its CloudEvents headers, as Debrief writes it.
events::Event sample_event(int i) {
    events::Metadata metadata{"0b6f3c1e-5f5a-4d8e-9a51-" + std::to_string(100000000000 + i), OrganizationId{"3f1c2a9e-0d4b-4c6a-8e2f-5b7d9a1c3e5f"},
                              "7a2b4c6d-8e0f-4a1b-9c3d-5e7f9a1b3c5d", 1, 1796000000000, {}};
    metadata.cause.actor_id = UserId{"1d3f5a7c-9e1b-4d3f-8a5c-7e9b1d3f5a7c"};
    metadata.cause.correlation_id = metadata.event_id;
    events::NoteAdded note{NoteId{metadata.aggregate_id}, ClientId{"2c4e6a8c-0e2a-4c4e-9b6d-8f0a2c4e6a8c"}, metadata.cause.actor_id, "bench note"};
    return {metadata, note};
}

// As Debrief's writer, the bench takes delivery reports: without a callback librdkafka's flush (inside
// commit_transaction) has nothing to wake it and sleeps in 10 ms steps.
class CountReports final : public RdKafka::DeliveryReportCb {
public:
    void dr_cb(RdKafka::Message& message) override {
        if (message.err() != RdKafka::ERR_NO_ERROR) failed = true;
    }
    bool failed = false;
};


void fail(const std::string& what) {
    std::fprintf(stderr, "raw_produce_bench: %s\n", what.c_str());
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) fail("usage: raw_produce_bench <brokers> <topic> <seconds per size> [records per transaction ...]");
    const std::string brokers = argv[1], topic = argv[2];
    const double seconds = std::atof(argv[3]);
    std::vector<int> sizes;
    for (int i = 4; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty()) sizes = {1, 100, 1000};
    // As Debrief's writer compresses: its default, or DEBRIEF_KAFKA_COMPRESSION when the benchmark sets it for both.
    const char* compression_env = std::getenv("DEBRIEF_KAFKA_COMPRESSION");
    const std::string compression = compression_env ? compression_env : events::KafkaSettings{}.compression;

    // The topic as Debrief creates its own (partitions, retention), through the same code.
    events::KafkaSettings settings;
    settings.brokers = brokers;
    settings.security = bench::kafka_login();
    settings.events_topic = topic;
    settings.credentials_topic = topic + ".credentials";
    settings.transactional_id = "raw-produce-bench-topics";
    {
        auto creator = events::KafkaEventLog::open(settings);
        if (!creator) fail(creator.error().message);
        if (auto created = creator.value()->ensure_topics(10000); !created) fail(created.error().message);
    }

    std::string problem;
    std::unique_ptr<RdKafka::Conf> config(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    for (const auto& [key, value] : settings.security.properties())
        if (config->set(key, value, problem) != RdKafka::Conf::CONF_OK) fail(key + ": " + problem);
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"bootstrap.servers", brokers},
             {"transactional.id", "raw-produce-bench-" + std::to_string(::getpid())},
             {"enable.idempotence", "true"},
             {"acks", "all"},
             {"linger.ms", "1"},
             {"transaction.timeout.ms", "30000"},
             {"partitioner", "murmur2_random"},
             {"compression.type", compression},
         })
        if (config->set(key, value, problem) != RdKafka::Conf::CONF_OK) fail(key + ": " + problem);
    CountReports reports;
    if (config->set("dr_cb", &reports, problem) != RdKafka::Conf::CONF_OK) fail(problem);
    std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(config.get(), problem));
    if (!producer) fail(problem);
    if (auto* error = producer->init_transactions(30000)) fail(error->str());

    const auto key = sample_event(0).metadata.organization_id.value;
    std::vector<std::pair<std::string, events::Headers>> records;
    for (int i = 0; i < 1000; ++i) {
        auto event = sample_event(i);
        records.emplace_back(events::encode(event), events::cloud_event_headers(event));
    }

    for (int size : sizes) {
        std::vector<double> commit_ms;
        long long produced = 0;
        const auto start = Clock::now();
        while (std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
            const auto begun = Clock::now();
            if (auto* error = producer->begin_transaction()) fail(error->str());
            for (int i = 0; i < size; ++i) {
                const auto& [value, headers] = records[static_cast<std::size_t>(i) % records.size()];
                auto* kafka_headers = RdKafka::Headers::create();
                for (const auto& [name, header] : headers) kafka_headers->add(name, header);
                auto err = producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()),
                                             value.size(), key.data(), key.size(), 0, kafka_headers, nullptr);
                if (err != RdKafka::ERR_NO_ERROR) fail(RdKafka::err2str(err));
            }
            if (auto* error = producer->commit_transaction(30000)) fail(error->str());
            if (reports.failed) fail("a delivery report failed");
            commit_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begun).count());
            produced += size;
            producer->poll(0);
        }
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        std::printf("RAW %d %.1f %.1f %.3f %.3f\n", size, static_cast<double>(commit_ms.size()) / elapsed, static_cast<double>(produced) / elapsed,
                    percentile(commit_ms, 0.50), percentile(commit_ms, 0.99));
        std::fflush(stdout);
    }
    return 0;
}
