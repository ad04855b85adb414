// Replays the log into a schema (schema_replay.hpp): one consumer of every partition, batches bounded by the ends
// asked for, applied by a few workers. A record read past an end is not applied; the next call then starts a
// consumer of its own at the offsets reached, so nothing read too early is lost.
#include "projections/postgres/schema_replay.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "common/json_log.hpp"
#include "events/codec.hpp"
#include "events/event_consumer.hpp"
#include "projections/dead_letter.hpp"
#include "projections/postgres/gathered_writes.hpp"
#include "projections/postgres/database_failure.hpp"
#include "projections/postgres/dead_letter_table.hpp"
#include "projections/postgres/migrations.hpp"
#include "projections/postgres/postgres_projector.hpp"
#include "projections/postgres/projection_offsets.hpp"
#include "projections/postgres/savepoint.hpp"

namespace debrief::projections {
namespace {

constexpr int poll_timeout_ms = 200;
constexpr auto stalled_after = std::chrono::seconds(60);  // no record while an end is not reached: the replay fails

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

struct SchemaReplay::Database {
    explicit Database(const std::string& connection_string) : connection(connection_string) {}
    pqxx::connection connection;
};

// A share of the organizations, applied on a connection and a thread of its own. An organization's events (its id is
// the records' key) stay in order on one connection, and two workers never write the same organization's rows.
// Between organizations the log has no order: the live projector's reads of the partitions interleave them anyway.
struct SchemaReplay::Worker {
    explicit Worker(const std::string& connection_string) : connection(connection_string) {
        // A replay's commits need not wait for the disk: a crash before the switch throws the copy away, and the
        // switch's own commit is durable, with everything written before it.
        pqxx::nontransaction{connection}.exec("set synchronous_commit to off");
    }
    struct Batch {
        std::vector<events::Record> records;
        std::map<int, std::int64_t> first;  // partition -> its first offset in the batch: not applied before it is
    };
    pqxx::connection connection;
    std::uint64_t applied = 0, dead_letters = 0;
    // While a read_to runs:
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Batch> queue;  // the front one is being applied, and leaves once it is
    bool closed = false;
    std::exception_ptr failure;
    std::thread thread;
};

SchemaReplay::SchemaReplay(std::string connection_string, events::KafkaSettings kafka, const events::KeyRing& keys, std::string schema,
                           std::size_t batch_size, std::size_t workers)
    : connection_string_(std::move(connection_string)),
      kafka_(std::move(kafka)),
      keys_(keys),
      schema_(std::move(schema)),
      batch_size_(batch_size),
      workers_wanted_(std::max<std::size_t>(1, workers)) {}

SchemaReplay::~SchemaReplay() = default;

pqxx::connection_base& SchemaReplay::connection() {
    if (!database_) throw std::logic_error("SchemaReplay::create() opens the connection");
    return database_->connection;
}

void SchemaReplay::create() {
    database_ = std::make_unique<Database>(connection_string_);
    // Held as long as this connection lives: a start of another instance does not take the schema for a leftover.
    if (!pqxx::nontransaction{database_->connection}.exec_params1("select pg_try_advisory_lock(hashtext($1))", schema_)[0].as<bool>())
        throw std::runtime_error("schema " + schema_ + " is being built by another instance");
    pqxx::work tx{database_->connection};
    tx.exec("drop schema if exists " + tx.quote_name(schema_) + " cascade");
    tx.exec("create schema " + tx.quote_name(schema_));
    tx.exec("set local search_path to " + tx.quote_name(schema_));
    for (const auto& step : migration_steps()) tx.exec(std::string(step.sql));
    tx.commit();
    consumer_.reset();
    workers_.clear();
    failed_ = false;
    progress_ = {};
}

void SchemaReplay::analyze() {
    pqxx::nontransaction tx{connection()};  // VACUUM runs outside a transaction block
    for (const auto& row : tx.exec_params("select tablename from pg_tables where schemaname = $1", schema_))
        tx.exec("vacuum (analyze) " + tx.quote_name(schema_) + "." + tx.quote_name(row[0].as<std::string>()));
}

void SchemaReplay::drop_leftovers(const std::string& connection_string, const std::string& prefix) {
    try {
        pqxx::connection connection{connection_string};
        pqxx::nontransaction tx{connection};
        for (const auto& row : tx.exec_params("select nspname from pg_namespace where starts_with(nspname, $1)", prefix)) {
            const auto schema = row[0].as<std::string>();
            if (!tx.exec_params1("select pg_try_advisory_lock(hashtext($1))", schema)[0].as<bool>()) continue;  // a replay of now
            log_info("replay_schema_removed", {{"schema", schema}});
            tx.exec("drop schema if exists " + tx.quote_name(schema) + " cascade");
            tx.exec_params("select pg_advisory_unlock(hashtext($1))", schema);
        }
    } catch (const std::exception& e) {
        log_warn("replay_schema_cleanup_failed", {{"prefix", prefix}, {"error", e.what()}});
    }
}

void SchemaReplay::drop(const std::string& connection_string, const std::string& schema) {
    try {
        pqxx::connection connection{connection_string};
        pqxx::work tx{connection};
        tx.exec("drop schema if exists " + tx.quote_name(schema) + " cascade");
        tx.commit();
    } catch (const std::exception& e) {
        log_warn("schema_drop_failed", {{"schema", schema}, {"error", e.what()}});
    }
}

void SchemaReplay::apply(Worker& worker, const std::vector<events::Record>& records) {
    const auto& topic = kafka_.events_topic;
    std::vector<events::Event> batch;
    std::vector<const events::Record*> kept;
    std::uint64_t undecodable = 0;
    for (const auto& record : records) {
        auto event = events::decode(record.value, &keys_);
        if (!event) {
            ++undecodable;  // the live projector dead-letters it too: it changed no table
            continue;
        }
        batch.push_back(std::move(event).value());
        kept.push_back(&record);
    }
    auto attempt = [&](bool one_by_one) {
        pqxx::work tx{worker.connection};
        tx.exec("set local search_path to " + tx.quote_name(schema_));
        std::optional<GatheredWrites> writes;
        if (!one_by_one) writes.emplace(tx);
        std::uint64_t dead = 0;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (!one_by_one) {
                PostgresProjector::apply_event(tx, batch[i]);
                continue;
            }
            try {
                under_savepoint(tx, [&] { PostgresProjector::apply_event(tx, batch[i]); });
            } catch (const std::exception& e) {
                if (classify_current_exception() != FailureCause::event) throw;
                record_dead_letter(tx, dead_letter_of(*kept[i], PostgresProjector::name, topic, e.what(), wall_ms()), kept[i]->value);
                ++dead;
            }
        }
        if (writes) {
            writes->flush();
            writes.reset();
        }
        tx.commit();
        return dead;
    };
    // A deadlock with another worker (two organizations' rows meeting in a unique index) rolls back; the batch goes again.
    constexpr int tries = 5;
    for (int i = 1;; ++i) {
        try {
            std::uint64_t dead = 0;
            try {
                dead = attempt(false);
            } catch (const std::exception&) {
                if (classify_current_exception() != FailureCause::event) throw;
                dead = attempt(true);
            }
            std::lock_guard lock(worker.mutex);
            worker.applied += batch.size() - dead;
            worker.dead_letters += dead + undecodable;
            return;
        } catch (const std::exception&) {
            if (classify_current_exception() != FailureCause::transient || i == tries) throw;
        }
    }
}

void SchemaReplay::run(Worker& worker) {
    try {
        while (true) {
            const std::vector<events::Record>* records = nullptr;
            {
                std::unique_lock lock(worker.mutex);
                worker.changed.wait(lock, [&] { return worker.closed || !worker.queue.empty(); });
                if (worker.queue.empty()) return;
                records = &worker.queue.front().records;  // a deque's front stays where it is while others are pushed
            }
            apply(worker, *records);
            {
                std::lock_guard lock(worker.mutex);
                worker.queue.pop_front();
            }
            worker.changed.notify_all();
        }
    } catch (...) {
        std::lock_guard lock(worker.mutex);
        worker.failure = std::current_exception();
        worker.queue.clear();
        worker.closed = true;
    }
    worker.changed.notify_all();
}

void SchemaReplay::gather_progress(const std::map<int, std::int64_t>& read, const std::map<Worker*, std::vector<events::Record>>& waiting) {
    Progress gathered;
    gathered.next = read;
    auto not_past = [&](int partition, std::int64_t offset) {
        if (auto it = gathered.next.find(partition); it != gathered.next.end()) it->second = std::min(it->second, offset);
    };
    for (auto& worker : workers_) {
        std::lock_guard lock(worker->mutex);
        gathered.applied += worker->applied;
        gathered.dead_letters += worker->dead_letters;
        for (const auto& batch : worker->queue)
            for (auto [partition, first] : batch.first) not_past(partition, first);
    }
    for (const auto& [worker, records] : waiting)
        for (const auto& record : records) not_past(record.position.partition, record.position.offset);
    progress_ = std::move(gathered);
}

bool SchemaReplay::read_to(const std::map<int, std::int64_t>& ends, const std::function<bool()>& stopping,
                           const std::function<void(const Progress&)>& on_progress) {
    const auto& topic = kafka_.events_topic;
    if (failed_) throw std::logic_error("a replay that failed is not read on: create() starts it again");
    auto read = progress_.next;  // partition -> the offset after the last record read (and kept)
    auto reached = [&](int partition) { return read.contains(partition) ? read.at(partition) : 0; };
    std::map<int, std::int64_t> remaining;
    for (auto [partition, end] : ends)
        if (reached(partition) < end) remaining[partition] = end;
    if (remaining.empty()) return true;
    if (!consumer_) {
        auto from = progress_.next;
        auto consumer = events::EventConsumer::all_partitions(kafka_, topic, [from](const std::vector<int>&) { return from; });
        if (!consumer) throw std::runtime_error(consumer.error().message);
        consumer_ = std::move(consumer).value();
    }
    while (workers_.size() < workers_wanted_) workers_.push_back(std::make_unique<Worker>(connection_string_));
    for (auto& worker : workers_) {
        worker->closed = false;
        worker->failure = nullptr;
        worker->thread = std::thread([this, w = worker.get()] { run(*w); });
    }
    // Each organization goes to one worker, by its id (the record's key).
    auto worker_of = [&](const events::Record& record) -> Worker& { return *workers_[std::hash<std::string>{}(record.key) % workers_.size()]; };
    auto hand_over = [&](Worker& worker, std::vector<events::Record> records) {
        Worker::Batch batch{std::move(records), {}};
        for (const auto& record : batch.records) batch.first.try_emplace(record.position.partition, record.position.offset);
        std::unique_lock lock(worker.mutex);
        worker.changed.wait(lock, [&] { return worker.closed || worker.queue.size() < 3; });  // bounded: one applied, two wait
        if (worker.failure) std::rethrow_exception(worker.failure);
        worker.queue.push_back(std::move(batch));
        lock.unlock();
        worker.changed.notify_all();
    };
    std::map<Worker*, std::vector<events::Record>> shares;  // read, not handed over yet
    auto finish = [&] {
        for (auto& worker : workers_) {
            {
                std::lock_guard lock(worker->mutex);
                worker->closed = true;
            }
            worker->changed.notify_all();
        }
        for (auto& worker : workers_)
            if (worker->thread.joinable()) worker->thread.join();
        for (auto& worker : workers_)
            if (worker->failure) std::rethrow_exception(worker->failure);
        gather_progress(read, shares);
    };
    try {
        bool read_past_an_end = false;
        auto last_record = std::chrono::steady_clock::now();
        while (!remaining.empty()) {
            if (stopping()) {
                finish();
                return false;
            }
            auto records = consumer_->poll(batch_size_, poll_timeout_ms);
            for (auto& record : records) {
                last_record = std::chrono::steady_clock::now();
                const auto partition = record.position.partition;
                auto end = remaining.find(partition);
                if (end == remaining.end() || record.position.offset >= end->second || record.position.offset < reached(partition)) {
                    read_past_an_end = read_past_an_end || record.position.offset >= reached(partition);
                    continue;
                }
                read[partition] = record.position.offset + 1;
                if (read[partition] >= end->second) remaining.erase(end);
                shares[&worker_of(record)].push_back(std::move(record));
            }
            // Transaction markers leave gaps: a partition whose consumer passed its end is done (its next offset stays the
            // one after its last record, as the live projector stores it).
            for (auto [partition, next] : consumer_->positions())
                if (auto it = remaining.find(partition); it != remaining.end() && next >= it->second) remaining.erase(it);
            if (records.empty() && std::chrono::steady_clock::now() - last_record > stalled_after)
                throw std::runtime_error("the event log gave nothing for 60 s before the replay's end was reached");
            // A worker's share waits for a batch's worth, or for the log to have nothing more for now.
            bool handed = false;
            for (auto& [worker, share] : shares)
                if (!share.empty() && (share.size() >= batch_size_ || records.empty() || remaining.empty())) {
                    hand_over(*worker, std::move(share));
                    share.clear();
                    handed = true;
                }
            if (on_progress && handed) {
                gather_progress(read, shares);
                on_progress(progress_);
            }
        }
        finish();
        // Every record read is applied: the schema's offsets say so, in one transaction.
        pqxx::work tx{connection()};
        tx.exec("set local search_path to " + tx.quote_name(schema_));
        store_projection_offsets(tx, PostgresProjector::name, topic, progress_.next);
        tx.commit();
        if (on_progress) on_progress(progress_);
        if (read_past_an_end) consumer_.reset();  // the next call reads those records again, from the offsets reached
        return true;
    } catch (...) {
        failed_ = true;
        for (auto& worker : workers_) {  // what waits is not applied
            {
                std::lock_guard lock(worker->mutex);
                while (worker->queue.size() > 1) worker->queue.pop_back();  // the front one may be being applied
                worker->closed = true;
            }
            worker->changed.notify_all();
        }
        for (auto& worker : workers_)
            if (worker->thread.joinable()) worker->thread.join();
        consumer_.reset();
        throw;
    }
}

void describe_progress(RebuildStatus& status, const SchemaReplay::Progress& progress, const std::map<int, std::int64_t>& ends, double seconds) {
    status.events_applied = progress.applied;
    status.dead_letters = progress.dead_letters;
    status.events_per_second = seconds > 0 ? static_cast<double>(progress.applied + progress.dead_letters) / seconds : 0;
    status.partitions.clear();
    std::int64_t left = 0;
    for (auto [partition, end] : ends) {
        const auto next = progress.next.contains(partition) ? std::min(progress.next.at(partition), end) : 0;
        status.partitions.push_back({partition, next, end});
        left += end - next;
    }
    status.eta_seconds = status.events_per_second > 0 ? std::optional<double>(static_cast<double>(left) / status.events_per_second) : std::nullopt;
}

}  // namespace debrief::projections
