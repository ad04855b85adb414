// A plain librdkafka consumer handle that never subscribes or reads: it only asks for metadata and watermarks.
#include "events/kafka_watermarks.hpp"

#include <algorithm>

#include <librdkafka/rdkafkacpp.h>

#include "events/kafka_properties.hpp"

namespace debrief::events {
namespace {
Error unavailable(std::string message) { return Error{ErrorKind::unavailable, "event_log_unavailable", std::move(message)}; }
}  // namespace

struct KafkaWatermarks::Impl {
    std::unique_ptr<RdKafka::Consumer> handle;
};

KafkaWatermarks::KafkaWatermarks(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaWatermarks::~KafkaWatermarks() = default;

Result<std::unique_ptr<KafkaWatermarks>> KafkaWatermarks::open(const KafkaSettings& settings, bool committed) {
    std::string problem;
    auto config = kafka_config(settings, {{"isolation.level", committed ? "read_committed" : "read_uncommitted"}, {"client.id", "debrief-watermarks"}},
                               problem);
    if (!config) return Error{ErrorKind::internal, "kafka_config", problem};
    auto impl = std::make_unique<Impl>();
    impl->handle.reset(RdKafka::Consumer::create(config.get(), problem));
    if (!impl->handle) return unavailable(problem);
    return std::unique_ptr<KafkaWatermarks>(new KafkaWatermarks(std::move(impl)));
}

Result<int> KafkaWatermarks::partition_count(const std::string& topic, int timeout_ms) {
    std::string problem;
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(impl_->handle.get(), topic, nullptr, problem));
    if (!handle) return unavailable("Kafka topic " + topic + ": " + problem);
    RdKafka::Metadata* raw = nullptr;
    auto err = impl_->handle->metadata(false, handle.get(), &raw, timeout_ms);
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    if (err != RdKafka::ERR_NO_ERROR) return unavailable("Kafka metadata: " + RdKafka::err2str(err));
    for (const auto* described : *metadata->topics())
        if (described->topic() == topic) {
            if (described->err() != RdKafka::ERR_NO_ERROR) return unavailable("Kafka topic " + topic + ": " + RdKafka::err2str(described->err()));
            return static_cast<int>(described->partitions()->size());
        }
    return unavailable("Kafka metadata does not describe topic " + topic);
}

Result<std::map<int, std::int64_t>> KafkaWatermarks::ends(const std::string& topic, int timeout_ms) {
    auto partitions = partition_count(topic, timeout_ms);
    if (!partitions) return partitions.error();
    std::map<int, std::int64_t> ends;
    for (int partition = 0; partition < partitions.value(); ++partition) {
        auto high = high_watermark(topic, partition, timeout_ms);
        if (!high) return high.error();
        ends[partition] = high.value();
    }
    return ends;
}

Result<std::int64_t> KafkaWatermarks::high_watermark(const std::string& topic, int partition, int timeout_ms) {
    std::int64_t low = 0, high = 0;
    auto err = impl_->handle->query_watermark_offsets(topic, partition, &low, &high, timeout_ms);
    if (err != RdKafka::ERR_NO_ERROR) return unavailable("Kafka watermarks of " + topic + ": " + RdKafka::err2str(err));
    return high;
}

Result<std::int64_t> KafkaWatermarks::offset_for_time(const std::string& topic, int partition, std::int64_t epoch_ms, int timeout_ms) {
    // Negative times are Kafka's sentinels (-1 latest, -2 earliest, others refused by the broker): a time before the
    // epoch asks for the first record at or after it, which is the first record at or after 0.
    std::vector<RdKafka::TopicPartition*> partitions{RdKafka::TopicPartition::create(topic, partition, std::max<std::int64_t>(epoch_ms, 0))};
    auto err = impl_->handle->offsetsForTimes(partitions, timeout_ms);
    const auto found = partitions[0]->offset();
    const auto partition_err = partitions[0]->err();
    RdKafka::TopicPartition::destroy(partitions);
    if (err != RdKafka::ERR_NO_ERROR) return unavailable("Kafka offsets for times of " + topic + ": " + RdKafka::err2str(err));
    if (partition_err != RdKafka::ERR_NO_ERROR) return unavailable("Kafka offsets for times of " + topic + ": " + RdKafka::err2str(partition_err));
    if (found < 0) return high_watermark(topic, partition, timeout_ms);  // no record that late
    return found;
}

}  // namespace debrief::events
