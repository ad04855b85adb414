// librdkafka producer behind EventLog: transactional group commit, CloudEvents headers, murmur2 partitioning by
// organization, durable acks. Each append becomes visible to read_committed readers whole or not at all.
#include "events/kafka_event_log.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "common/json_log.hpp"
#include "common/metrics.hpp"
#include "common/thread_name.hpp"
#include "events/cloudevents.hpp"
#include "events/kafka_client_errors.hpp"
#include "events/kafka_properties.hpp"
#include "events/personal_data.hpp"

namespace debrief::events {
namespace {

constexpr std::size_t max_appends_per_transaction = 500;
constexpr std::size_t max_bytes_per_transaction = 8 * 1024 * 1024;

// A record with the topic and key it goes to: an append is usually one topic's, but the first seal of a data
// subject brings its key, for the keys topic, into the same transaction.
struct OutgoingRecord {
    std::string topic;
    std::string key;
    std::string value;
    Headers headers;
    bool reported = true;    // its position is one of those the append's owner is told (a key's is not)
    bool tombstone = false;  // no value at all: compaction then deletes the key's records
};
using Records = std::vector<OutgoingRecord>;

bool refused_for_size(RdKafka::ErrorCode code);

// What a record weighs against the producer's message.max.bytes: key, value and headers.
std::size_t record_size(const std::string& key, const std::string& value, const Headers& headers) {
    std::size_t bytes = key.size() + value.size();
    for (const auto& [name, header] : headers) bytes += name.size() + header.size();
    return bytes;
}

// One append in the queue or in a transaction, with what its owner is told when it is done.
struct PendingAppend {
    Records records;
    std::vector<std::string> new_key_subjects;     // keys of data subjects this append stores (see KeyRing::stored)
    std::vector<std::string> erased_key_subjects;  // keys this append deletes (a client's erasure)
    std::size_t bytes = 0;
    std::shared_ptr<QueuedAppend> owner;
    std::vector<Position> positions;  // filled by delivery reports
    bool refused_for_size = false;    // the broker or the producer refused one of its records as too large
    bool withdrawn() const { return owner->withdrawn.load(); }
};
using Batch = std::vector<PendingAppend*>;

// One transaction's messages in flight: delivery reports fill in positions and count down.
struct TransactionDeliveries {
    struct Tag {
        PendingAppend* append;
        std::size_t index;
    };
    std::vector<Tag> tags;
    std::mutex mutex;
    std::condition_variable delivered;
    std::size_t outstanding = 0;
    std::optional<std::string> first_error;
};

class DeliveryReports final : public RdKafka::DeliveryReportCb {
public:
    void dr_cb(RdKafka::Message& message) override {
        auto* tag = static_cast<TransactionDeliveries::Tag*>(message.msg_opaque());
        auto* owner = current.load();
        if (!tag || !owner) return;
        std::lock_guard lock(owner->mutex);
        // A report that outlived its transaction (after a timed-out wait) must not touch the current one.
        if (owner->tags.empty() || tag < owner->tags.data() || tag >= owner->tags.data() + owner->tags.size()) return;
        if (message.err() != RdKafka::ERR_NO_ERROR) {
            if (!owner->first_error) owner->first_error = message.errstr();
            if (refused_for_size(message.err())) tag->append->refused_for_size = true;
        } else {
            tag->append->positions[tag->index] = Position{message.partition(), message.offset()};
        }
        if (--owner->outstanding == 0) owner->delivered.notify_all();
    }
    std::atomic<TransactionDeliveries*> current{nullptr};
};

bool refused_for_size(RdKafka::ErrorCode code) {
    return code == RdKafka::ERR_MSG_SIZE_TOO_LARGE || code == RdKafka::ERR_RECORD_LIST_TOO_LARGE || code == RdKafka::ERR_INVALID_MSG_SIZE;
}

Error too_large(std::size_t bytes, std::size_t limit) {
    return Error{ErrorKind::too_large, "event_too_large",
                 "an event of " + std::to_string(bytes) + " bytes is larger than the event log accepts (" + std::to_string(limit) + " bytes)"};
}

// The broker is away or failed a transaction: nothing was written, and a retry in a second may succeed.
Error unavailable(std::string message) { return Error{ErrorKind::unavailable, "event_log_unavailable", std::move(message), {}, 1}; }

// The brokers refused Debrief's credentials (--kafka-sasl-username and its password, or the mechanism): until they
// are corrected, every retry is refused the same way.
Error authentication_failed(const std::string& reason) {
    return Error{ErrorKind::unauthorized, "kafka_authentication_failed",
                 "Kafka refused Debrief's credentials (check DEBRIEF_KAFKA_SASL_USERNAME, its password and DEBRIEF_KAFKA_SASL_MECHANISM): " +
                     reason};
}

Error overloaded() {
    return Error{ErrorKind::unavailable, "overloaded", "too many commands are waiting for the event log; retry in a second", {}, 1};
}

// Takes ownership of a librdkafka transactional error and turns it into our Error (or nothing).
std::optional<std::string> take(RdKafka::Error* error, bool* fatal = nullptr, bool* requires_abort = nullptr) {
    if (!error) return std::nullopt;
    std::unique_ptr<RdKafka::Error> owned(error);
    if (fatal) *fatal = owned->is_fatal();
    if (requires_abort) *requires_abort = owned->txn_requires_abort();
    return owned->str();
}

}  // namespace

struct KafkaEventLog::Impl {
    KafkaSettings settings;
    std::shared_ptr<KeyRing> keys;  // seals personal data; none: events are written in clear (tests of the log itself)
    DeliveryReports reports;
    std::unique_ptr<RdKafka::Conf> config;  // kept to create the producer again (see recreate_producer)
    // Replaced only on the committer thread, which may read it without the mutex; other threads take a copy.
    std::shared_ptr<RdKafka::Producer> producer;
    std::mutex producer_mutex;
    // Committer thread only: when the current transaction began, and whether one since the last commit was open
    // for longer than the transaction timeout (the broker then aborts it itself).
    std::chrono::steady_clock::time_point transaction_began_at;
    bool outlived_timeout = false;
    int restarts_without_commit = 0;  // writer restarts since the last commit (see fail)
    std::atomic<bool> stopping{false};
    std::thread poller;
    std::thread committer;

    std::shared_ptr<RdKafka::Producer> current_producer() {
        std::lock_guard lock(producer_mutex);
        return producer;
    }

    std::mutex init_mutex;
    std::mutex mutex;
    std::condition_variable work_ready;
    std::condition_variable work_done;
    std::deque<std::unique_ptr<PendingAppend>> queue;
    std::size_t appends_in_flight = 0;  // queued or in the transaction being committed
    std::size_t bytes_in_flight = 0;
    bool writer_ready = false;         // init_transactions succeeded
    std::atomic<bool> commit_stalled{false};  // a commit timed out and is being resumed: new commands are refused
    // An abort that timed out (the broker was away): librdkafka keeps the transaction aborting until abort is called
    // again and succeeds; no new transaction can begin before that. Only the committer thread touches it.
    bool abort_pending = false;
    std::optional<Error> fenced;       // fatal: another writer with our transactional id took over

    ~Impl() {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        work_ready.notify_all();
        if (committer.joinable()) committer.join();
        if (poller.joinable()) poller.join();
    }

    // Not under `mutex`: init_transactions waits for the broker, and commands must still be queued or refused
    // meanwhile. `init_mutex` keeps the start-up's call and the committer's apart.
    Result<bool> init_writer(int timeout_ms) {
        std::lock_guard init_lock(init_mutex);
        {
            std::lock_guard lock(mutex);
            if (writer_ready) return true;
            if (fenced) return *fenced;
        }
        bool fatal = false;
        // Also completes or aborts whatever a previous writer with this id left open, so readers are not held back.
        auto problem = take(current_producer()->init_transactions(timeout_ms), &fatal);
        std::lock_guard lock(mutex);
        if (problem) {
            if (!fatal) return unavailable("Kafka transactions: " + *problem);
            fenced = Error{ErrorKind::unavailable, "event_log_fenced", "this writer failed for good: " + *problem};
            return *fenced;
        }
        writer_ready = true;
        return true;
    }

    std::optional<Error> submit(Records records, std::shared_ptr<QueuedAppend> owner, std::vector<std::string> new_key_subjects = {},
                                std::vector<std::string> erased_key_subjects = {}) {
        auto append = std::make_unique<PendingAppend>();
        append->new_key_subjects = std::move(new_key_subjects);
        append->erased_key_subjects = std::move(erased_key_subjects);
        for (const auto& record : records) append->bytes += record_size(record.key, record.value, record.headers);
        append->positions.resize(records.size());
        append->records = std::move(records);
        append->owner = std::move(owner);
        std::lock_guard lock(mutex);
        if (fenced) return *fenced;
        if (stopping) return unavailable("the event log is closing");
        // Behind a commit the broker does not answer, a command would wait as long as the broker is away.
        if (commit_stalled) return unavailable("the event log's broker does not answer a commit; retry later");
        if (appends_in_flight >= settings.max_queued_appends || (appends_in_flight > 0 && bytes_in_flight + append->bytes > settings.max_queued_bytes))
            return overloaded();
        ++appends_in_flight;
        bytes_in_flight += append->bytes;
        queue.push_back(std::move(append));
        work_ready.notify_one();
        return std::nullopt;
    }

    // Group commit: every append waiting when a transaction starts goes into it (one transaction gathers in the queue
    // while the previous one commits); owners are told in queue order, after the commit, on this thread.
    void commit_loop() {
        while (true) {
            std::vector<std::unique_ptr<PendingAppend>> taken;
            {
                std::unique_lock lock(mutex);
                work_ready.wait(lock, [&] { return stopping || !queue.empty(); });
                if (queue.empty()) return;  // stopping, and nothing left to write
                std::size_t bytes = 0;
                while (!queue.empty() && taken.size() < max_appends_per_transaction && (taken.empty() || bytes < max_bytes_per_transaction)) {
                    bytes += queue.front()->bytes;
                    taken.push_back(std::move(queue.front()));
                    queue.pop_front();
                }
            }
            Batch batch;
            for (auto& append : taken) batch.push_back(append.get());
            commit_isolating_refusals(live(batch));
            std::lock_guard lock(mutex);
            for (auto& append : taken) {
                --appends_in_flight;
                bytes_in_flight -= append->bytes;
            }
        }
    }

    // The appends of a batch their owners still want.
    static Batch live(const Batch& batch) {
        Batch out;
        for (auto* append : batch)
            if (!append->withdrawn()) out.push_back(append);
        return out;
    }

    void answer(PendingAppend& append, const Result<bool>& outcome) {
        if (outcome && keys) {
            for (const auto& subject : append.new_key_subjects) keys->stored(subject);
            for (const auto& subject : append.erased_key_subjects) keys->forget(subject);
        }
        if (append.withdrawn()) return;
        if (!outcome) return append.owner->done(outcome.error());
        std::vector<Position> positions;
        positions.reserve(append.positions.size());
        for (std::size_t i = 0; i < append.records.size(); ++i)
            if (append.records[i].reported) positions.push_back(append.positions[i]);
        append.owner->done(std::move(positions));
    }

    // Commits the batch and tells its owners. A record the broker refuses as too large fails only its own append: the
    // batch is split in queue order into runs without a refused append, committed together, and each refused append,
    // tried alone once more (it may only have shared a partition's batch with the large record). Order is kept, and
    // an owner told of a failure withdraws what it decided on top of it before the next run starts.
    void commit_isolating_refusals(const Batch& batch) {
        if (batch.empty()) return;
        auto outcome = commit(batch);
        const bool any_refused = std::any_of(batch.begin(), batch.end(), [](const PendingAppend* a) { return a->refused_for_size; });
        if (outcome || !any_refused || outcome.error().code == "event_log_fenced") {
            for (auto* append : batch) answer(*append, outcome);
            return;
        }
        Batch run;
        auto flush_run = [&] {
            if (!run.empty()) commit_isolating_refusals(live(run));
            run.clear();
        };
        for (auto* append : batch) {
            if (!append->refused_for_size) {
                run.push_back(append);
                continue;
            }
            flush_run();
            if (append->withdrawn()) continue;
            append->refused_for_size = false;
            auto alone = commit_after_refusal({append});
            if (!alone && append->refused_for_size) alone = too_large(record_bytes(*append), settings.max_event_bytes);
            answer(*append, alone);
        }
        flush_run();
    }

    // The first transaction after a refused record may fail on the sequence gap that record left (the producer then
    // bumps its epoch when it aborts): that failure is not the batch's, so it is tried once more.
    Result<bool> commit_after_refusal(const Batch& batch) {
        auto outcome = commit(batch);
        bool refused = std::any_of(batch.begin(), batch.end(), [](const PendingAppend* append) { return append->refused_for_size; });
        if (!outcome && !refused && outcome.error().code != "event_log_fenced") outcome = commit(batch);
        return outcome;
    }

    static void count_transaction(std::size_t commands, bool committed, std::chrono::steady_clock::duration took) {
        auto& registry = metrics::registry();
        const metrics::Labels outcome{{"outcome", committed ? "committed" : "failed"}};
        registry.histogram("debrief_kafka_transaction_seconds", "the event log's transactions, from begin to commit or failure", outcome)
                .observe(std::chrono::duration<double>(took).count());
        registry.histogram("debrief_kafka_transaction_commands", "commands one transaction of the event log carried", outcome,
                           {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000})
                .observe(static_cast<double>(commands));
    }

    static std::size_t record_bytes(const PendingAppend& append) {
        std::size_t largest = 0;
        for (const auto& record : append.records) largest = std::max(largest, record_size(record.key, record.value, record.headers));
        return largest;
    }

    // One transaction, timed: whether one outlived the transaction timeout tells the broker's fence from another's.
    Result<bool> commit(const Batch& batch) {
        transaction_began_at = std::chrono::steady_clock::now();
        auto outcome = commit_once(batch);
        count_transaction(batch.size(), outcome.ok(), std::chrono::steady_clock::now() - transaction_began_at);
        if (outcome) {
            outlived_timeout = false;
            restarts_without_commit = 0;
        } else if (std::chrono::steady_clock::now() - transaction_began_at >= std::chrono::milliseconds(settings.transaction_timeout_ms)) {
            outlived_timeout = true;
        }
        return outcome;
    }

    Result<bool> commit_once(const Batch& batch) {
        if (auto ready = init_writer(settings.transaction_timeout_ms); !ready) return ready.error();
        if (abort_pending) {
            bool fatal = false;
            if (auto problem = take(producer->abort_transaction(settings.transaction_timeout_ms), &fatal)) {
                if (fatal) return fail(*problem, true);
                return unavailable("Kafka: the previous transaction is still being aborted: " + *problem);
            }
            abort_pending = false;
            log_info("kafka_abort_completed", {});
        }
        TransactionDeliveries deliveries;
        std::size_t total = 0;
        for (auto* append : batch) total += append->records.size();
        deliveries.tags.reserve(total);  // tags are handed to librdkafka by address: no reallocation
        deliveries.outstanding = total;
        reports.current = &deliveries;
        struct ClearCurrent {
            DeliveryReports& reports;
            ~ClearCurrent() { reports.current = nullptr; }
        } clear_current{reports};

        bool fatal = false, requires_abort = false;
        if (auto problem = take(producer->begin_transaction(), &fatal)) return fail(*problem, fatal);
        std::optional<std::string> produce_problem;
        for (auto* append : batch) {
            for (std::size_t i = 0; i < append->records.size() && !produce_problem; ++i) {
                const auto& record = append->records[i];
                deliveries.tags.push_back({append, i});
                auto* kafka_headers = RdKafka::Headers::create();
                for (const auto& [name, header_value] : record.headers) kafka_headers->add(name, header_value);
                auto err = producer->produce(record.topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                                             record.tombstone ? nullptr : const_cast<char*>(record.value.data()), record.value.size(),
                                             record.key.data(), record.key.size(), 0, kafka_headers, &deliveries.tags.back());
                if (err != RdKafka::ERR_NO_ERROR) {
                    delete kafka_headers;  // ownership passes to librdkafka only on success
                    deliveries.tags.pop_back();
                    produce_problem = RdKafka::err2str(err);
                    if (refused_for_size(err)) append->refused_for_size = true;
                }
            }
            if (produce_problem) break;
        }
        if (produce_problem) {
            {
                std::lock_guard lock(deliveries.mutex);
                deliveries.outstanding -= total - deliveries.tags.size();
            }
            abort(deliveries);
            return unavailable("Kafka: " + *produce_problem);
        }
        // Wait for the delivery reports first (the poller thread serves them): commit_transaction's own flush would
        // otherwise miss them and sleep in 10 ms steps (librdkafka 2.0), adding that to every command.
        {
            std::unique_lock lock(deliveries.mutex);
            deliveries.delivered.wait_for(lock, std::chrono::milliseconds(settings.transaction_timeout_ms), [&] { return deliveries.outstanding == 0; });
            // Only a transaction whose every record has its position is committed, so a commit is always answered
            // with positions, never as a failure.
            if (deliveries.outstanding != 0 || deliveries.first_error) {
                auto delivery_problem = deliveries.first_error.value_or("no delivery report in time");
                lock.unlock();
                // A fenced or failed writer learns it here, from its failed reports: fail() tells which.
                std::string fatal_problem;
                if (producer->fatal_error(fatal_problem) != RdKafka::ERR_NO_ERROR) return fail(fatal_problem, true);
                abort(deliveries);
                return unavailable("Kafka delivery: " + delivery_problem);
            }
        }
        // A commit that timed out may still complete, and librdkafka refuses an abort after it: the commit is called
        // again until the broker answers it for good (committed, or aborted by the broker). Meanwhile new commands
        // are refused at once (submit, commit_stalled); what is in this transaction is never answered as a failure
        // if it committed.
        std::optional<std::string> problem;
        for (int attempt = 1;; ++attempt) {
            bool retriable = false;
            RdKafka::Error* error = producer->commit_transaction(settings.transaction_timeout_ms);
            if (error) retriable = error->is_retriable();
            problem = take(error, &fatal, &requires_abort);
            if (!problem || !retriable || stopping) break;
            commit_stalled = true;
            if (attempt % 3 == 0) log_warn("kafka_commit_unresolved", {{"error", *problem}, {"attempts", std::to_string(attempt)}});
        }
        commit_stalled = false;
        if (problem) {
            if (fatal) return fail(*problem, true);
            abort(deliveries);
            return unavailable("Kafka commit: " + *problem);
        }
        return true;  // committed: every record is durable, and its position was reported before the commit
    }

    void abort(TransactionDeliveries& deliveries) {
        bool fatal = false;
        if (auto problem = take(producer->abort_transaction(settings.transaction_timeout_ms), &fatal)) {
            log_error("kafka_abort_failed", {{"error", *problem}, {"retry", fatal ? "false" : "true"}});
            if (fatal) fail(*problem, true);
            else abort_pending = true;  // finished before the next transaction begins
        }
        // Aborted messages still get (failed) delivery reports; wait for them so no tag outlives this transaction.
        std::unique_lock lock(deliveries.mutex);
        deliveries.delivered.wait_for(lock, std::chrono::milliseconds(settings.transaction_timeout_ms), [&] { return deliveries.outstanding == 0; });
    }

    static constexpr int max_restarts_without_commit = 3;

    Error fail(const std::string& problem, bool fatal) {
        if (!fatal) return unavailable("Kafka transaction: " + problem);
        // A fatal error ends this producer. Another writer with our transactional id fences us at any moment, and
        // that is for good. But a broker that was stopped or unreachable past transaction.timeout.ms aborts our open
        // transaction itself, and librdkafka 2.0 then reports a fence too, as if another writer had taken over; and
        // a broker still settling that abort may answer the next producer's transaction with another fatal error
        // (INVALID_TXN_STATE). So a fence after a transaction of ours outlived the timeout, and any fatal error that
        // is no fence, start the writer again (a few times at most before a commit succeeds).
        std::string fatal_problem;
        const auto code = producer->fatal_error(fatal_problem);
        const bool fence = code == RdKafka::ERR__FENCED || code == RdKafka::ERR_PRODUCER_FENCED || code == RdKafka::ERR_INVALID_PRODUCER_EPOCH;
        const auto open_for = std::chrono::steady_clock::now() - transaction_began_at;
        const bool ours = !fence || outlived_timeout || open_for >= std::chrono::milliseconds(settings.transaction_timeout_ms);
        if (ours && restarts_without_commit < max_restarts_without_commit && recreate_producer(problem)) {
            ++restarts_without_commit;
            return unavailable("Kafka: the writer failed (" + problem + ") and starts again");
        }
        std::lock_guard lock(mutex);
        fenced = Error{ErrorKind::unavailable, "event_log_fenced", "this writer was fenced or failed for good: " + problem};
        log_error("kafka_writer_fenced", {{"error", problem}});
        return *fenced;
    }

    // A new producer with the same transactional id; its init_transactions (at the next commit) bumps the epoch.
    bool recreate_producer(const std::string& problem) {
        std::string error;
        std::shared_ptr<RdKafka::Producer> fresh(RdKafka::Producer::create(config.get(), error));
        if (!fresh) {
            log_error("kafka_writer_recreate_failed", {{"error", error}});
            return false;
        }
        std::shared_ptr<RdKafka::Producer> old;
        {
            std::lock_guard lock(producer_mutex);
            old = std::exchange(producer, std::move(fresh));
        }
        old->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
        {
            std::lock_guard lock(mutex);
            writer_ready = false;
        }
        abort_pending = false;
        outlived_timeout = false;  // a fence of the new producer is another writer's, unless it outlives the timeout too
        log_warn("kafka_writer_recreated", {{"error", problem}});
        return true;
    }
};

KafkaEventLog::KafkaEventLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaEventLog::~KafkaEventLog() = default;

Result<std::unique_ptr<KafkaEventLog>> KafkaEventLog::open(const KafkaSettings& settings, std::shared_ptr<KeyRing> keys) {
    auto impl = std::make_unique<Impl>();
    impl->settings = settings;
    impl->keys = std::move(keys);
    std::string problem;
    auto config = kafka_config(settings,
                               {
                                   {"transactional.id", settings.transactional_id},
                                   {"enable.idempotence", "true"},
                                   {"acks", "all"},
                                   {"linger.ms", "1"},
                                   {"transaction.timeout.ms", std::to_string(settings.transaction_timeout_ms)},
                                   {"message.timeout.ms", std::to_string(settings.transaction_timeout_ms / 2)},
                                   {"partitioner", "murmur2_random"},  // the Java client's partitioner: integrators agree on placement
                                   {"compression.type", settings.compression},
                                   {"message.max.bytes", std::to_string(settings.max_event_bytes + record_framing_bytes)},
                               },
                               problem);
    if (!config) return Error{ErrorKind::internal, "kafka_config", problem};
    if (config->set("dr_cb", &impl->reports, problem) != RdKafka::Conf::CONF_OK) return Error{ErrorKind::internal, "kafka_config", problem};
    impl->producer.reset(RdKafka::Producer::create(config.get(), problem));
    if (!impl->producer) return Error{ErrorKind::unavailable, "event_log_unavailable", problem};
    impl->config = std::move(config);
    impl->poller = std::thread([raw = impl.get()] {
        name_this_thread("log-reports");
        while (!raw->stopping) raw->current_producer()->poll(50);
    });
    impl->committer = std::thread([raw = impl.get()] {
        name_this_thread("log-committer");
        raw->commit_loop();
    });
    return std::unique_ptr<KafkaEventLog>(new KafkaEventLog(std::move(impl)));
}

Result<bool> KafkaEventLog::init_writer(int timeout_ms) { return impl_->init_writer(timeout_ms); }

bool KafkaEventLog::fenced() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->fenced.has_value();
}

std::optional<Error> KafkaEventLog::enqueue(std::span<const Event> events, std::shared_ptr<QueuedAppend> append) {
    if (events.empty()) return Error{ErrorKind::internal, "nothing_to_append", "empty batch"};
    const auto& key = events.front().metadata.organization_id.value;
    const auto& s = impl_->settings;
    Records records;
    records.reserve(events.size());
    std::vector<std::string> new_key_subjects, erased_key_subjects;
    for (const auto& event : events) {
        std::string bytes;
        if (impl_->keys) {
            auto sealed = encode_sealed(event, *impl_->keys, event.metadata.occurred_at_ms);
            if (!sealed) return sealed.error();
            for (auto& subject_key : sealed->new_keys) {  // before the events that need them, in the same transaction
                if (std::find(new_key_subjects.begin(), new_key_subjects.end(), subject_key.subject) != new_key_subjects.end()) continue;
                new_key_subjects.push_back(subject_key.subject);
                auto subject = subject_key.subject;
                records.push_back({s.keys_topic, std::move(subject), encode(subject_key), Headers{{"content-type", subject_key_content_type}}, false});
            }
            bytes = std::move(sealed->bytes);
        } else {
            bytes = encode(event);
        }
        records.push_back({s.events_topic, key, std::move(bytes), cloud_event_headers(event)});
        // Refused before it joins a transaction, where the producer would fail every command sharing it.
        auto size = record_size(key, records.back().value, records.back().headers);
        if (size > s.max_event_bytes) return too_large(size, s.max_event_bytes);
        // An erasure deletes its subjects' keys in the same transaction: once it is visible, they are gone.
        if (const auto* erased = std::get_if<ClientErased>(&event.payload); erased && impl_->keys)
            for (const auto& subject : erased->subjects) {
                records.push_back({s.keys_topic, subject, {}, {}, false, true});
                erased_key_subjects.push_back(subject);
                // A client login's credential (e-mail and hash) goes too: the credentials topic is keyed by user id.
                if (auto login = personal_data::subject_id<UserId>(subject)) records.push_back({s.credentials_topic, login->value, {}, {}, false, true});
            }
    }
    return impl_->submit(std::move(records), std::move(append), std::move(new_key_subjects), std::move(erased_key_subjects));
}

Result<Position> KafkaEventLog::put_private(const PrivateRecord& record) {
    const auto& s = impl_->settings;
    Records records;
    std::vector<std::string> new_key_subjects;
    std::string bytes;
    if (impl_->keys) {
        auto sealed = encode_sealed(record, *impl_->keys, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                              std::chrono::system_clock::now().time_since_epoch()).count());
        if (!sealed) return sealed.error();
        for (auto& subject_key : sealed->new_keys) {  // in the same transaction, before the record that needs it
            new_key_subjects.push_back(subject_key.subject);
            records.push_back({s.keys_topic, subject_key.subject, encode(subject_key), Headers{{"content-type", subject_key_content_type}}, false});
        }
        bytes = std::move(sealed->bytes);
    } else {
        bytes = encode(record);
    }
    records.push_back({s.credentials_topic, private_record_key(record), std::move(bytes), Headers{{"content-type", private_record_content_type(record)}}});
    auto append = std::make_shared<QueuedAppend>();
    Signal signal;
    std::optional<Result<std::vector<Position>>> outcome;
    append->done = [&](Result<std::vector<Position>> result) {
        outcome = std::move(result);
        signal.set();
    };
    if (auto refused = impl_->submit(std::move(records), append, std::move(new_key_subjects))) return *refused;
    signal.wait();
    if (!*outcome) return outcome->error();
    return outcome->value().front();
}

bool KafkaEventLog::reachable(int timeout_ms) {
    RdKafka::Metadata* metadata = nullptr;
    auto err = impl_->current_producer()->metadata(false, nullptr, &metadata, timeout_ms);
    delete metadata;
    return err == RdKafka::ERR_NO_ERROR;
}

Result<bool> KafkaEventLog::ensure_topics(int timeout_ms) {
    auto producer = impl_->current_producer();
    rd_kafka_t* rk = producer->c_ptr();
    const auto& s = impl_->settings;
    char errstr[512];
    const auto dead_letters = s.dead_letter_topic();
    constexpr std::size_t count = 5;
    rd_kafka_NewTopic_t* topics[count];
    topics[0] = rd_kafka_NewTopic_new(s.events_topic.c_str(), s.partitions, s.replication_factor, errstr, sizeof errstr);
    topics[1] = rd_kafka_NewTopic_new(s.credentials_topic.c_str(), s.partitions, s.replication_factor, errstr, sizeof errstr);
    topics[2] = rd_kafka_NewTopic_new(dead_letters.c_str(), s.partitions, s.replication_factor, errstr, sizeof errstr);
    topics[3] = rd_kafka_NewTopic_new(s.keys_topic.c_str(), s.partitions, s.replication_factor, errstr, sizeof errstr);
    topics[4] = rd_kafka_NewTopic_new(s.audit_topic.c_str(), s.partitions, s.replication_factor, errstr, sizeof errstr);
    if (!topics[0] || !topics[1] || !topics[2] || !topics[3] || !topics[4]) return Error{ErrorKind::internal, "kafka_config", errstr};
    rd_kafka_NewTopic_set_config(topics[1], "cleanup.policy", "compact");
    rd_kafka_NewTopic_set_config(topics[3], "cleanup.policy", "compact");  // a subject's newest record (or tombstone) is its key
    rd_kafka_NewTopic_set_config(topics[0], "retention.ms", "-1");  // the log is the source of truth: keep it all
    rd_kafka_NewTopic_set_config(topics[1], "retention.ms", "-1");
    rd_kafka_NewTopic_set_config(topics[2], "retention.ms", "-1");  // a dead letter waits for a fix, however long
    rd_kafka_NewTopic_set_config(topics[3], "retention.ms", "-1");
    const auto audit_retention = std::to_string(s.audit_retention_days * 24 * 3600 * 1000);  // then the records are deleted
    rd_kafka_NewTopic_set_config(topics[4], "retention.ms", audit_retention.c_str());
    // An erasure's tombstones must physically replace the records they delete (a wrapped key, a credential) soon, not
    // whenever the log cleaner gets to a 7-day segment: segments roll hourly, and are compacted within the hour.
    for (auto* topic : {topics[1], topics[3]}) {
        rd_kafka_NewTopic_set_config(topic, "segment.ms", "3600000");
        rd_kafka_NewTopic_set_config(topic, "max.compaction.lag.ms", "3600000");
    }
    const auto max_message = std::to_string(topic_max_message_bytes);  // explicit: a broker with a lower default would refuse events
    for (auto* topic : topics) rd_kafka_NewTopic_set_config(topic, "max.message.bytes", max_message.c_str());
    auto* queue = rd_kafka_queue_new(rk);
    auto* options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_operation_timeout(options, timeout_ms, errstr, sizeof errstr);
    const auto asked_at = std::chrono::steady_clock::now();
    rd_kafka_CreateTopics(rk, topics, count, options, queue);
    // Polled in slices: a broker that refuses our credentials never answers, and no retry would change that.
    rd_kafka_event_t* result_event = nullptr;
    std::optional<std::string> refused;
    const auto deadline = asked_at + std::chrono::milliseconds(timeout_ms + 1000);
    while (!result_event && !refused && std::chrono::steady_clock::now() < deadline) {
        result_event = rd_kafka_queue_poll(queue, 100);
        if (!result_event) refused = authentication_failure_since(asked_at);
    }
    Result<bool> outcome = Error{ErrorKind::unavailable, "event_log_unavailable", "Kafka did not answer CreateTopics in time"};
    if (refused) outcome = authentication_failed(*refused);
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
                    const std::string problem = std::string("creating topic ") + rd_kafka_topic_result_name(created[i]) + ": " +
                                                (rd_kafka_topic_result_error_string(created[i]) ? rd_kafka_topic_result_error_string(created[i]) : "");
                    const bool forbidden = err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED || err == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED;
                    outcome = forbidden ? Error{ErrorKind::forbidden, "kafka_authorization_failed",
                                                problem + " (the brokers' ACLs do not let Debrief's principal create or describe its topics)"}
                                        : Error{ErrorKind::unavailable, "event_log_unavailable", problem};
                    break;
                }
            }
        }
        rd_kafka_event_destroy(result_event);
    }
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_NewTopic_destroy_array(topics, count);
    rd_kafka_queue_destroy(queue);
    return outcome;
}

}  // namespace debrief::events
