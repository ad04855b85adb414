// KafkaAuditTrail: produce without waiting, a thread that serves the delivery reports, a flush that waits for them.
#include "events/kafka_audit_trail.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "common/json_log.hpp"
#include "events/kafka_properties.hpp"
#include "common/thread_name.hpp"

namespace debrief::events {

struct KafkaAuditTrail::Impl final : RdKafka::DeliveryReportCb {
    std::string topic;
    std::unique_ptr<RdKafka::Producer> producer;
    std::thread poller;
    std::atomic<bool> stopping{false};
    std::atomic<std::uint64_t> dropped{0};

    std::mutex mutex;
    std::condition_variable settled_changed;
    std::uint64_t sequence = 0;        // of the last record the producer took
    std::set<std::uint64_t> pending;   // records taken and not yet delivered nor given up
    std::map<int, std::int64_t> next_offsets;  // partition -> offset after the newest delivered record

    // Hands a record to the producer; false when it did not take it.
    bool produce(const std::string& key, const void* value, std::size_t size, std::uint64_t record_sequence) {
        auto* headers = RdKafka::Headers::create();
        headers->add("content-type", audit_record_content_type);
        auto err = producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY, const_cast<void*>(value), size,
                                     key.data(), key.size(), 0, headers,
                                     reinterpret_cast<void*>(static_cast<std::uintptr_t>(record_sequence)));
        if (err == RdKafka::ERR_NO_ERROR) return true;
        delete headers;  // produce() takes the headers only when it succeeds
        const auto count = dropped.fetch_add(1) + 1;
        if (count == 1 || count % 1000 == 0)  // the broker is gone for long: say so, without a line per read
            log_error("audit_records_dropped", {{"dropped", count}, {"error", RdKafka::err2str(err)}});
        return false;
    }

    // On the poller thread. A record that failed (its delivery timed out) is sent again.
    void dr_cb(RdKafka::Message& message) override {
        const auto record_sequence = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(message.msg_opaque()));
        if (message.err() != RdKafka::ERR_NO_ERROR && !stopping) {
            log_warn("audit_record_resent", {{"error", message.errstr()}});
            const std::string key = message.key() ? *message.key() : std::string{};
            if (produce(key, message.payload(), message.len(), record_sequence)) return;
        }
        {
            std::lock_guard lock(mutex);
            if (message.err() == RdKafka::ERR_NO_ERROR) {
                auto& next = next_offsets[message.partition()];
                next = std::max(next, message.offset() + 1);
            }
            pending.erase(record_sequence);
        }
        settled_changed.notify_all();
    }
};

KafkaAuditTrail::KafkaAuditTrail(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

KafkaAuditTrail::~KafkaAuditTrail() {
    impl_->producer->flush(5'000);
    impl_->stopping = true;
    if (impl_->poller.joinable()) impl_->poller.join();
}

Result<std::unique_ptr<KafkaAuditTrail>> KafkaAuditTrail::open(const KafkaSettings& settings) {
    auto impl = std::make_unique<Impl>();
    impl->topic = settings.audit_topic;
    std::string problem;
    // Batched: reads come in bursts (a dashboard's lists), and a record may wait a few milliseconds for company.
    auto config = kafka_config(settings, {{"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "50"}}, problem);
    if (!config) return Error{ErrorKind::internal, "kafka_config", problem};
    if (config->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(impl.get()), problem) != RdKafka::Conf::CONF_OK)
        return Error{ErrorKind::internal, "kafka_config", problem};
    impl->producer.reset(RdKafka::Producer::create(config.get(), problem));
    if (!impl->producer) return Error{ErrorKind::unavailable, "event_log_unavailable", problem};
    auto* raw = impl.get();
    impl->poller = std::thread([raw] {
        name_this_thread("audit-reports");
        while (!raw->stopping) raw->producer->poll(100);
    });
    return std::unique_ptr<KafkaAuditTrail>(new KafkaAuditTrail(std::move(impl)));
}

void KafkaAuditTrail::record(AuditRecord record) {
    const auto bytes = encode(record);
    std::lock_guard lock(impl_->mutex);  // sequences in produce order, so that a flush covers what came before it
    const auto sequence = impl_->sequence + 1;
    if (!impl_->produce(record.organization_id.value, bytes.data(), bytes.size(), sequence)) return;
    impl_->sequence = sequence;
    impl_->pending.insert(sequence);
}

std::optional<std::map<int, std::int64_t>> KafkaAuditTrail::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mutex);
    const auto target = impl_->sequence;
    auto covered = [&] { return impl_->pending.empty() || *impl_->pending.begin() > target; };
    if (!impl_->settled_changed.wait_for(lock, timeout, covered)) return std::nullopt;
    return impl_->next_offsets;
}

std::uint64_t KafkaAuditTrail::dropped() const { return impl_->dropped.load(); }

}  // namespace debrief::events
