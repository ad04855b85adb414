// librdkafka producer behind EventLog: CloudEvents headers, murmur2 partitioning by organization, durable acks.
#include "events/kafka_event_log.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "events/cloudevents.hpp"
#include "events/kafka_properties.hpp"

namespace debrief::events {
namespace {

// One per append call: counts outstanding deliveries and keeps the last position or the first error.
struct BatchWaiter {
    std::mutex mutex;
    std::condition_variable done;
    std::size_t remaining = 0;
    Position last;
    std::optional<Error> error;
};

class DeliveryReports final : public RdKafka::DeliveryReportCb {
public:
    void dr_cb(RdKafka::Message& message) override {
        auto* waiter = static_cast<BatchWaiter*>(message.msg_opaque());
        if (!waiter) return;
        std::lock_guard lock(waiter->mutex);
        if (message.err() != RdKafka::ERR_NO_ERROR) {
            if (!waiter->error) waiter->error = Error{ErrorKind::unavailable, "event_log_unavailable", "Kafka: " + message.errstr()};
        } else {
            waiter->last = std::max(waiter->last, Position{message.partition(), message.offset()});
        }
        if (--waiter->remaining == 0) waiter->done.notify_all();
    }
};

}  // namespace

struct KafkaEventLog::Impl {
    KafkaSettings settings;
    DeliveryReports reports;
    std::unique_ptr<RdKafka::Producer> producer;
    std::atomic<bool> stopping{false};
    std::thread poller;

    ~Impl() {
        stopping = true;
        if (poller.joinable()) poller.join();
        if (producer) producer->flush(10'000);
    }

    Result<Position> produce(const std::string& topic, const std::string& key, const std::vector<std::pair<std::string, Headers>>& records) {
        BatchWaiter waiter;
        waiter.remaining = records.size();
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto& [value, headers] = records[i];
            auto* kafka_headers = RdKafka::Headers::create();
            for (const auto& [name, header_value] : headers) kafka_headers->add(name, header_value);
            auto err = producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()),
                                         value.size(), key.data(), key.size(), 0, kafka_headers, &waiter);
            if (err != RdKafka::ERR_NO_ERROR) {
                delete kafka_headers;  // ownership passes to librdkafka only on success
                std::unique_lock lock(waiter.mutex);
                waiter.remaining -= records.size() - i;
                waiter.error = Error{ErrorKind::unavailable, "event_log_unavailable", "Kafka: " + RdKafka::err2str(err)};
                waiter.done.wait(lock, [&] { return waiter.remaining == 0; });
                return *waiter.error;
            }
        }
        std::unique_lock lock(waiter.mutex);
        // message.timeout.ms bounds every delivery, so this wait ends with a report either way.
        waiter.done.wait(lock, [&] { return waiter.remaining == 0; });
        if (waiter.error) return *waiter.error;
        return waiter.last;
    }
};

KafkaEventLog::KafkaEventLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaEventLog::~KafkaEventLog() = default;

Result<std::unique_ptr<KafkaEventLog>> KafkaEventLog::open(const KafkaSettings& settings) {
    auto impl = std::make_unique<Impl>();
    impl->settings = settings;
    std::string problem;
    auto config = kafka_config(settings,
                               {
                                   {"enable.idempotence", "true"},
                                   {"acks", "all"},
                                   {"linger.ms", "1"},
                                   {"message.timeout.ms", "15000"},
                                   {"partitioner", "murmur2_random"},  // the Java client's partitioner: integrators agree on placement
                                   {"compression.type", "lz4"},
                               },
                               problem);
    if (!config) return Error{ErrorKind::internal, "kafka_config", problem};
    if (config->set("dr_cb", &impl->reports, problem) != RdKafka::Conf::CONF_OK) return Error{ErrorKind::internal, "kafka_config", problem};
    impl->producer.reset(RdKafka::Producer::create(config.get(), problem));
    if (!impl->producer) return Error{ErrorKind::unavailable, "event_log_unavailable", problem};
    impl->poller = std::thread([raw = impl.get()] {
        while (!raw->stopping) raw->producer->poll(50);
    });
    return std::unique_ptr<KafkaEventLog>(new KafkaEventLog(std::move(impl)));
}

Result<Position> KafkaEventLog::append(std::span<const Event> events) {
    if (events.empty()) return Error{ErrorKind::internal, "nothing_to_append", "empty batch"};
    std::vector<std::pair<std::string, Headers>> records;
    records.reserve(events.size());
    for (const auto& event : events) records.emplace_back(encode(event), cloud_event_headers(event));
    return impl_->produce(impl_->settings.events_topic, events.front().metadata.organization_id.value, records);
}

Result<Position> KafkaEventLog::put_credential(const Credential& credential) {
    return impl_->produce(impl_->settings.credentials_topic, credential.user_id.value,
                          {{encode(credential), Headers{{"content-type", "application/x-flatbuffers;schema=debrief.schema.Credential"}}}});
}

bool KafkaEventLog::reachable(int timeout_ms) {
    RdKafka::Metadata* metadata = nullptr;
    auto err = impl_->producer->metadata(false, nullptr, &metadata, timeout_ms);
    delete metadata;
    return err == RdKafka::ERR_NO_ERROR;
}

Result<bool> KafkaEventLog::ensure_topics(int timeout_ms) {
    rd_kafka_t* rk = impl_->producer->c_ptr();
    const auto& s = impl_->settings;
    char errstr[512];
    rd_kafka_NewTopic_t* topics[2];
    topics[0] = rd_kafka_NewTopic_new(s.events_topic.c_str(), s.partitions, s.replication_factor, errstr, sizeof errstr);
    topics[1] = rd_kafka_NewTopic_new(s.credentials_topic.c_str(), s.partitions, s.replication_factor, errstr, sizeof errstr);
    if (!topics[0] || !topics[1]) return Error{ErrorKind::internal, "kafka_config", errstr};
    rd_kafka_NewTopic_set_config(topics[1], "cleanup.policy", "compact");
    rd_kafka_NewTopic_set_config(topics[0], "retention.ms", "-1");  // the log is the source of truth: keep it all
    rd_kafka_NewTopic_set_config(topics[1], "retention.ms", "-1");
    auto* queue = rd_kafka_queue_new(rk);
    auto* options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_operation_timeout(options, timeout_ms, errstr, sizeof errstr);
    rd_kafka_CreateTopics(rk, topics, 2, options, queue);
    auto* result_event = rd_kafka_queue_poll(queue, timeout_ms + 1000);
    Result<bool> outcome = Error{ErrorKind::unavailable, "event_log_unavailable", "Kafka did not answer CreateTopics in time"};
    if (result_event) {
        if (rd_kafka_event_error(result_event)) {
            outcome = Error{ErrorKind::unavailable, "event_log_unavailable", rd_kafka_event_error_string(result_event)};
        } else {
            const auto* result = rd_kafka_event_CreateTopics_result(result_event);
            size_t count = 0;
            const auto** created = rd_kafka_CreateTopics_result_topics(result, &count);
            outcome = true;
            for (size_t i = 0; i < count; ++i) {
                auto err = rd_kafka_topic_result_error(created[i]);
                if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                    outcome = Error{ErrorKind::unavailable, "event_log_unavailable",
                                    std::string("creating topic ") + rd_kafka_topic_result_name(created[i]) + ": " +
                                        (rd_kafka_topic_result_error_string(created[i]) ? rd_kafka_topic_result_error_string(created[i]) : "")};
                    break;
                }
            }
        }
        rd_kafka_event_destroy(result_event);
    }
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_NewTopic_destroy_array(topics, 2);
    rd_kafka_queue_destroy(queue);
    return outcome;
}

}  // namespace debrief::events
