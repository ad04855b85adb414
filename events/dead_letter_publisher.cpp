// A small idempotent producer for the dead-letter topic; it never joins the writer's transactions.
#include "events/dead_letter_publisher.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <mutex>

#include "events/kafka_properties.hpp"

namespace debrief::events {
namespace {

class CountDeliveries final : public RdKafka::DeliveryReportCb {
public:
    void dr_cb(RdKafka::Message& message) override {
        if (message.err() != RdKafka::ERR_NO_ERROR) failures.fetch_add(1);
        delivered.fetch_add(1);
    }
    std::atomic<std::uint64_t> delivered{0};
    std::atomic<std::uint64_t> failures{0};
};

}  // namespace

struct DeadLetterPublisher::Impl {
    std::string topic;
    CountDeliveries reports;
    std::unique_ptr<RdKafka::Producer> producer;
    std::mutex mutex;  // one publish at a time: the delivery counters belong to it
};

DeadLetterPublisher::DeadLetterPublisher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DeadLetterPublisher::~DeadLetterPublisher() {
    if (impl_ && impl_->producer) impl_->producer->flush(5'000);
}

Result<std::unique_ptr<DeadLetterPublisher>> DeadLetterPublisher::open(const KafkaSettings& settings) {
    auto impl = std::make_unique<Impl>();
    impl->topic = settings.dead_letter_topic();
    std::string problem;
    auto config = kafka_config(settings, {{"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "0"}}, problem);
    if (!config) return Error{ErrorKind::internal, "kafka_config", problem};
    if (config->set("dr_cb", &impl->reports, problem) != RdKafka::Conf::CONF_OK) return Error{ErrorKind::internal, "kafka_config", problem};
    impl->producer.reset(RdKafka::Producer::create(config.get(), problem));
    if (!impl->producer) return Error{ErrorKind::unavailable, "event_log_unavailable", problem};
    return std::unique_ptr<DeadLetterPublisher>(new DeadLetterPublisher(std::move(impl)));
}

Result<bool> DeadLetterPublisher::publish(const Record& original, const std::string& topic, const std::string& projector,
                                          const std::string& error, int timeout_ms) {
    std::lock_guard lock(impl_->mutex);
    auto* headers = RdKafka::Headers::create();
    for (const auto& [name, value] : original.headers) headers->add(name, value.data(), value.size());
    headers->add(dlq_topic_header, topic);
    headers->add(dlq_partition_header, std::to_string(original.position.partition));
    headers->add(dlq_offset_header, std::to_string(original.position.offset));
    headers->add(dlq_projector_header, projector);
    headers->add(dlq_error_header, error);
    const auto delivered_before = impl_->reports.delivered.load();
    const auto failures_before = impl_->reports.failures.load();
    auto err = impl_->producer->produce(impl_->topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                                        const_cast<char*>(original.value.data()), original.value.size(), original.key.data(),
                                        original.key.size(), 0, headers, nullptr);
    if (err != RdKafka::ERR_NO_ERROR) {
        delete headers;  // produce() takes the headers only when it succeeds
        return Error{ErrorKind::unavailable, "event_log_unavailable", "dead-letter topic: " + RdKafka::err2str(err)};
    }
    if (impl_->producer->flush(timeout_ms) != RdKafka::ERR_NO_ERROR || impl_->reports.delivered.load() == delivered_before)
        return Error{ErrorKind::unavailable, "event_log_unavailable", "dead-letter topic: no acknowledgement in time"};
    if (impl_->reports.failures.load() != failures_before)
        return Error{ErrorKind::unavailable, "event_log_unavailable", "dead-letter topic: the broker refused the record"};
    return true;
}

}  // namespace debrief::events
