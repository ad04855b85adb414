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
#include "projections/postgres/batched_inserts.hpp"
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

// A share of the partitions, applied on a connection and a thread of its own. The key, and so the partition, is the
// organization: a partition's events stay in order on one connection, and two workers never write the same
// organization's rows. Across partitions the log has no order, which the live projector's reads interleave anyway.
struct SchemaReplay::Worker {
    explicit Worker(const std::string& connection_string) : connection(connection_string) {}
    pqxx::connection connection;
    std::map<int, std::int64_t> next;  // its partitions: the offset after the last record applied
    std::uint64_t applied = 0, dead_letters = 0;
    // While a read_to runs:
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::vector<events::Record>> queue;
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
    auto next = worker.next;
    std::uint64_t undecodable = 0;
    for (const auto& record : records) {
        next[record.position.partition] = record.position.offset + 1;
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
        std::optional<BatchedInserts> inserts;
        if (!one_by_one) inserts.emplace(tx);
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
        if (inserts) {
            inserts->flush();
            inserts.reset();
        }
        store_projection_offsets(tx, PostgresProjector::name, topic, next);
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
            worker.next = std::move(next);
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
            std::vector<events::Record> records;
            {
                std::unique_lock lock(worker.mutex);
                worker.changed.wait(lock, [&] { return worker.closed || !worker.queue.empty(); });
                if (worker.queue.empty()) return;
                records = std::move(worker.queue.front());
                worker.queue.pop_front();
            }
            worker.changed.notify_all();
            apply(worker, records);
        }
    } catch (...) {
        std::lock_guard lock(worker.mutex);
        worker.failure = std::current_exception();
        worker.queue.clear();
        worker.closed = true;
    }
    worker.changed.notify_all();
}

void SchemaReplay::gather_progress() {
    Progress gathered;
    for (auto& worker : workers_) {
        std::lock_guard lock(worker->mutex);
        gathered.applied += worker->applied;
        gathered.dead_letters += worker->dead_letters;
        gathered.next.insert(worker->next.begin(), worker->next.end());
    }
    progress_ = std::move(gathered);
}

bool SchemaReplay::read_to(const std::map<int, std::int64_t>& ends, const std::function<bool()>& stopping,
                           const std::function<void(const Progress&)>& on_progress) {
    const auto& topic = kafka_.events_topic;
    auto read = progress_.next;  // partition -> the offset after the last record handed to a worker
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
    // Each partition goes to one worker, for the whole replay: the share is by the partition's number.
    auto worker_of = [&](int partition) -> Worker& { return *workers_[static_cast<std::size_t>(partition) % workers_.size()]; };
    auto hand_over = [&](Worker& worker, std::vector<events::Record> records) {
        std::unique_lock lock(worker.mutex);
        worker.changed.wait(lock, [&] { return worker.closed || worker.queue.size() < 2; });  // bounded: two batches wait
        if (worker.failure) std::rethrow_exception(worker.failure);
        worker.queue.push_back(std::move(records));
        lock.unlock();
        worker.changed.notify_all();
    };
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
        gather_progress();
        for (auto& worker : workers_)
            if (worker->failure) std::rethrow_exception(worker->failure);
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
            std::map<Worker*, std::vector<events::Record>> shares;
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
                shares[&worker_of(partition)].push_back(std::move(record));
            }
            // Transaction markers leave gaps: a partition whose consumer passed its end is done (its next offset stays the
            // one after its last record, as the live projector stores it).
            for (auto [partition, next] : consumer_->positions())
                if (auto it = remaining.find(partition); it != remaining.end() && next >= it->second) remaining.erase(it);
            if (records.empty() && std::chrono::steady_clock::now() - last_record > stalled_after)
                throw std::runtime_error("the event log gave nothing for 60 s before the replay's end was reached");
            for (auto& [worker, share] : shares) hand_over(*worker, std::move(share));
            if (on_progress && !shares.empty()) {
                gather_progress();
                on_progress(progress_);
            }
        }
        finish();
        if (on_progress) on_progress(progress_);
        if (read_past_an_end) consumer_.reset();  // the next call reads those records again, from the offsets reached
        return true;
    } catch (...) {
        for (auto& worker : workers_) {  // what waits is not applied
            std::lock_guard lock(worker->mutex);
            worker->queue.clear();
        }
        try {
            finish();
        } catch (...) {
        }
        consumer_.reset();  // what was read and not applied is read again by a later call, if any
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
