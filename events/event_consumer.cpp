// librdkafka consumer: group or whole-topic assignment, starting offsets from the read model's own store.
#include "events/event_consumer.hpp"

#include <chrono>
#include <thread>

#include "events/kafka_properties.hpp"
#include "events/kafka_watermarks.hpp"

namespace debrief::events {
namespace {

std::vector<RdKafka::TopicPartition*> with_offsets(const std::string& topic, const std::vector<int>& partitions,
                                                   const EventConsumer::OffsetLoader& load) {
    auto stored = load(partitions);
    std::vector<RdKafka::TopicPartition*> assignment;
    for (int partition : partitions) {
        auto it = stored.find(partition);
        assignment.push_back(RdKafka::TopicPartition::create(topic, partition, it == stored.end() ? RdKafka::Topic::OFFSET_BEGINNING : it->second));
    }
    return assignment;
}

class ResumeFromStoredOffsets final : public RdKafka::RebalanceCb {
public:
    ResumeFromStoredOffsets(std::string topic, EventConsumer::OffsetLoader load) : topic_(std::move(topic)), load_(std::move(load)) {}
    void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err, std::vector<RdKafka::TopicPartition*>& partitions) override {
        if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
            std::vector<int> numbers;
            for (auto* tp : partitions) numbers.push_back(tp->partition());
            try {
                auto assignment = with_offsets(topic_, numbers, load_);
                consumer->assign(assignment);
                RdKafka::TopicPartition::destroy(assignment);
            } catch (const std::exception& e) {
                // Without the stored offsets any start would lose or repeat events: take nothing, let the owner retry.
                failure_ = e.what();
                consumer->unassign();
            }
        } else {
            consumer->unassign();
        }
    }
    const std::string& failure() const { return failure_; }

private:
    std::string topic_;
    EventConsumer::OffsetLoader load_;
    std::string failure_;
};

}  // namespace

struct EventConsumer::Impl {
    std::string topic;
    std::unique_ptr<ResumeFromStoredOffsets> rebalance;
    std::unique_ptr<RdKafka::KafkaConsumer> consumer;
    ~Impl() {
        if (consumer) consumer->close();
    }
};

EventConsumer::EventConsumer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventConsumer::~EventConsumer() = default;

static Result<std::unique_ptr<RdKafka::KafkaConsumer>> make_consumer(const KafkaSettings& settings, const std::string& group_id,
                                                                     RdKafka::RebalanceCb* rebalance) {
    std::string problem;
    auto config = kafka_config(settings,
                               {{"group.id", group_id},
                                {"enable.auto.commit", "false"},  // offsets live with the read model, in its own transaction
                                {"enable.auto.offset.store", "false"},
                                {"auto.offset.reset", "earliest"},
                                {"isolation.level", "read_committed"},
                                {"enable.partition.eof", "false"},
                                // A crashed instance's partitions move to the others after 10 s, not the default 45 s.
                                {"session.timeout.ms", "10000"},
                                {"heartbeat.interval.ms", "1000"}},
                               problem);
    if (!config) return Error{ErrorKind::internal, "kafka_config", problem};
    if (rebalance && config->set("rebalance_cb", rebalance, problem) != RdKafka::Conf::CONF_OK)
        return Error{ErrorKind::internal, "kafka_config", problem};
    std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(config.get(), problem));
    if (!consumer) return Error{ErrorKind::unavailable, "event_log_unavailable", problem};
    return consumer;
}

Result<std::unique_ptr<EventConsumer>> EventConsumer::join_group(const KafkaSettings& settings, const std::string& topic,
                                                                 const std::string& group_id, OffsetLoader offsets) {
    auto impl = std::make_unique<Impl>();
    impl->topic = topic;
    impl->rebalance = std::make_unique<ResumeFromStoredOffsets>(topic, std::move(offsets));
    auto consumer = make_consumer(settings, group_id, impl->rebalance.get());
    if (!consumer) return consumer.error();
    impl->consumer = std::move(consumer).value();
    if (auto err = impl->consumer->subscribe({topic}); err != RdKafka::ERR_NO_ERROR)
        return Error{ErrorKind::unavailable, "event_log_unavailable", RdKafka::err2str(err)};
    return std::unique_ptr<EventConsumer>(new EventConsumer(std::move(impl)));
}

Result<std::unique_ptr<EventConsumer>> EventConsumer::all_partitions(const KafkaSettings& settings, const std::string& topic,
                                                                     OffsetLoader offsets) {
    auto impl = std::make_unique<Impl>();
    impl->topic = topic;
    // A group id is required by librdkafka but unused: nothing is subscribed or committed.
    auto consumer = make_consumer(settings, "debrief-reader-unused", nullptr);
    if (!consumer) return consumer.error();
    impl->consumer = std::move(consumer).value();
    RdKafka::Metadata* metadata = nullptr;
    std::string problem;
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(impl->consumer.get(), topic, nullptr, problem));
    auto err = impl->consumer->metadata(false, handle.get(), &metadata, 10'000);
    std::unique_ptr<RdKafka::Metadata> metadata_owner(metadata);
    if (err != RdKafka::ERR_NO_ERROR) return Error{ErrorKind::unavailable, "event_log_unavailable", "metadata: " + RdKafka::err2str(err)};
    std::vector<int> partitions;
    for (const auto* t : *metadata->topics())
        if (t->topic() == topic) {
            if (t->err() != RdKafka::ERR_NO_ERROR)
                return Error{ErrorKind::unavailable, "event_log_unavailable", "topic " + topic + ": " + RdKafka::err2str(t->err())};
            for (const auto* p : *t->partitions()) partitions.push_back(p->id());
        }
    if (partitions.empty()) return Error{ErrorKind::unavailable, "event_log_unavailable", "topic " + topic + " has no partitions"};
    auto assignment = with_offsets(topic, partitions, offsets);
    err = impl->consumer->assign(assignment);
    RdKafka::TopicPartition::destroy(assignment);
    if (err != RdKafka::ERR_NO_ERROR) return Error{ErrorKind::unavailable, "event_log_unavailable", RdKafka::err2str(err)};
    return std::unique_ptr<EventConsumer>(new EventConsumer(std::move(impl)));
}

std::vector<Record> EventConsumer::poll(std::size_t max_records, int timeout_ms) {
    std::vector<Record> records;
    int wait_ms = timeout_ms;
    while (records.size() < max_records) {
        std::unique_ptr<RdKafka::Message> message(impl_->consumer->consume(wait_ms));
        wait_ms = 0;  // after the first record, take only what is already fetched
        if (!message) break;
        if (message->err() == RdKafka::ERR__TIMED_OUT) break;
        if (message->err() != RdKafka::ERR_NO_ERROR) continue;  // transient errors are retried by librdkafka
        Record record;
        if (message->key()) record.key = *message->key();
        record.value.assign(static_cast<const char*>(message->payload()), message->len());
        if (auto* headers = message->headers())
            for (const auto& header : headers->get_all())
                record.headers.emplace_back(header.key(), std::string(static_cast<const char*>(header.value()), header.value_size()));
        record.position = {message->partition(), message->offset()};
        records.push_back(std::move(record));
    }
    return records;
}

std::optional<std::string> EventConsumer::assignment_failure() const {
    if (!impl_->rebalance || impl_->rebalance->failure().empty()) return std::nullopt;
    return impl_->rebalance->failure();
}

std::map<int, std::int64_t> EventConsumer::positions() {
    std::vector<RdKafka::TopicPartition*> assignment;
    impl_->consumer->assignment(assignment);
    impl_->consumer->position(assignment);
    std::map<int, std::int64_t> next;
    for (auto* tp : assignment)
        if (tp->offset() >= 0) next[tp->partition()] = tp->offset();
    RdKafka::TopicPartition::destroy(assignment);
    return next;
}

std::vector<int> EventConsumer::assigned_partitions() {
    std::vector<RdKafka::TopicPartition*> assignment;
    impl_->consumer->assignment(assignment);
    std::vector<int> partitions;
    for (auto* tp : assignment) partitions.push_back(tp->partition());
    RdKafka::TopicPartition::destroy(assignment);
    return partitions;
}

Result<std::size_t> read_to_end(const KafkaSettings& settings, const std::string& topic, const std::function<void(const Record&)>& on_record,
                                int timeout_ms, const std::map<int, std::int64_t>& from) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    // Where the reading ends is asked of a handle of its own, before reading starts: behind the reader's fetches, which
    // wait up to fetch.wait.max.ms for data, each partition's question took half a second.
    auto watermarks = KafkaWatermarks::open(settings, /*committed=*/true);
    if (!watermarks) return watermarks.error();
    auto ends = [&] { return (*watermarks)->ends(topic, std::min(timeout_ms, 10'000)); };
    // A topic created a moment ago may still be electing leaders ("not leader for partition"): ask again until the deadline.
    auto marks = ends();
    while (!marks && std::chrono::steady_clock::now() + std::chrono::milliseconds(200) < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // backoff between attempts
        marks = ends();
    }
    if (!marks) return marks.error();
    auto consumer = EventConsumer::all_partitions(settings, topic, [&from](const std::vector<int>&) { return from; });
    if (!consumer) return consumer.error();
    std::map<int, std::int64_t> remaining;
    for (auto [partition, high] : marks.value()) {
        auto start = from.find(partition);
        if (high > (start == from.end() ? 0 : start->second)) remaining[partition] = high;
    }
    std::size_t count = 0;
    while (!remaining.empty()) {
        if (std::chrono::steady_clock::now() > deadline)
            return Error{ErrorKind::unavailable, "event_log_unavailable", "timed out reading " + topic + " to its end"};
        for (const auto& record : (*consumer)->poll(1000, 200)) {
            on_record(record);
            ++count;
            auto it = remaining.find(record.position.partition);
            if (it != remaining.end() && record.position.offset + 1 >= it->second) remaining.erase(it);
        }
        // Transaction markers and compaction leave gaps: a partition is done once its position reaches the mark.
        for (auto [partition, next] : (*consumer)->positions())
            if (auto it = remaining.find(partition); it != remaining.end() && next >= it->second) remaining.erase(it);
    }
    return count;
}

}  // namespace debrief::events
