// Builds and keeps the read models of past moments (as_of_models.hpp): one builder thread, a queue of cuts, a
// bounded cache of schemas.
#include "projections/postgres/as_of_models.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>

#include "common/json_log.hpp"
#include "events/codec.hpp"
#include "events/event_consumer.hpp"
#include "events/kafka_watermarks.hpp"
#include "projections/postgres/batched_inserts.hpp"
#include "projections/postgres/database_failure.hpp"
#include "projections/postgres/migrations.hpp"
#include "projections/postgres/postgres_projector.hpp"
#include "projections/postgres/projection_offsets.hpp"
#include "projections/postgres/savepoint.hpp"

namespace debrief::projections {
namespace {

constexpr int kafka_timeout_ms = 10'000;
constexpr auto stalled_after = std::chrono::seconds(60);  // no record while the cut is not reached: the build fails

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void read_schema(pqxx::transaction_base& tx, const std::string& schema) {
    if (!schema.empty()) tx.exec("set local search_path to " + tx.quote_name(schema));
}

std::string as_of_schema(const std::map<int, std::int64_t>& cut) {
    std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over "partition:offset;" of each partition
    for (const auto& [partition, offset] : cut)
        for (char c : std::to_string(partition) + ":" + std::to_string(offset) + ";") hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    char name[32];
    std::snprintf(name, sizeof name, "as_of_%016llx", static_cast<unsigned long long>(hash));
    return name;
}

struct AsOfModels::Entry {
    AsOfModel model;
    std::map<int, std::int64_t> cut;
    std::chrono::steady_clock::time_point last_used;
};

AsOfModels::AsOfModels(AsOfSettings settings, events::KafkaSettings kafka, const events::KeyRing& keys)
    : settings_(std::move(settings)), kafka_(std::move(kafka)), keys_(keys) {
    if (auto opened = events::KafkaWatermarks::open(kafka_, /*committed=*/true)) watermarks_ = std::move(opened).value();
    try {  // an earlier process's cuts: its cache is gone, so are they
        pqxx::connection connection{settings_.connection_string};
        pqxx::work tx{connection};
        for (const auto& r : tx.exec("select nspname from pg_namespace where nspname like 'as\\_of\\_%'"))
            tx.exec("drop schema if exists " + r[0].as<std::string>() + " cascade");
        tx.commit();
    } catch (const std::exception& e) {
        log_warn("as_of_cleanup_failed", {{"error", e.what()}});
    }
    builder_ = std::thread([this] { run(); });
}

AsOfModels::~AsOfModels() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (builder_.joinable()) builder_.join();
}

Result<AsOfModel> AsOfModels::at(std::int64_t as_of_ms) {
    std::map<int, std::int64_t> cut;
    {
        std::lock_guard lock(watermarks_mutex_);
        if (!watermarks_) return Error{ErrorKind::unavailable, "event_log_unavailable", "the event log cannot be asked where it stood"};
        auto partitions = watermarks_->partition_count(settings_.topic, kafka_timeout_ms);
        if (!partitions) return partitions.error();
        for (int partition = 0; partition < partitions.value(); ++partition) {
            auto offset = watermarks_->offset_for_time(settings_.topic, partition, as_of_ms, kafka_timeout_ms);
            if (!offset) return offset.error();
            cut[partition] = offset.value();
        }
    }
    const auto schema = as_of_schema(cut);
    std::lock_guard lock(mutex_);
    auto found = entries_.find(schema);
    if (found == entries_.end()) {
        std::size_t pending = 0;
        for (const auto& [name, e] : entries_) pending += e->model.status.state == "queued" || e->model.status.state == "running" ? 1 : 0;
        if (pending >= settings_.max_models)
            return Error{ErrorKind::unavailable, "as_of_busy", "other past moments are being built; retry in a while"};
        found = entries_.emplace(schema, std::make_shared<Entry>()).first;
        auto& entry = found->second;
        entry->model.as_of_ms = as_of_ms;
        entry->model.schema = schema;
        entry->cut = cut;
        auto& status = entry->model.status;
        status.id = schema;
        status.read_model = "postgres_as_of";
        status.state = "queued";
        status.started_ms = wall_ms();
        status.directory = schema;
        for (auto [partition, end] : cut) status.partitions.push_back({partition, 0, end});
        queue_.push_back(entry);
        wake_.notify_all();
    }
    found->second->last_used = std::chrono::steady_clock::now();
    auto model = found->second->model;
    evict_beyond_limit();
    return model;
}

std::optional<RebuildStatus> AsOfModels::status(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    return it->second->model.status;
}

void AsOfModels::evict_beyond_limit() {
    while (entries_.size() > settings_.max_models) {
        // The least recently used of those not queued or building.
        std::shared_ptr<Entry> oldest;
        for (const auto& [schema, entry] : entries_) {
            const auto& state = entry->model.status.state;
            if (state != "done" && state != "failed") continue;
            if (!oldest || entry->last_used < oldest->last_used) oldest = entry;
        }
        if (!oldest) return;  // every one is still to build: the queue bounds them
        oldest->model.status.state = "dropped";
        queue_.push_back(oldest);  // the builder drops its schema
        entries_.erase(oldest->model.schema);
    }
}

void AsOfModels::run() {
    while (true) {
        std::shared_ptr<Entry> entry;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            entry = queue_.front();
            queue_.pop_front();
        }
        if (entry->model.status.state == "dropped") {
            try {
                pqxx::connection connection{settings_.connection_string};
                pqxx::work tx{connection};
                tx.exec("drop schema if exists " + entry->model.schema + " cascade");
                tx.commit();
            } catch (const std::exception& e) {
                log_warn("as_of_drop_failed", {{"schema", entry->model.schema}, {"error", e.what()}});
            }
            continue;
        }
        build(*entry);
    }
}

void AsOfModels::build(Entry& entry) {
    const auto& schema = entry.model.schema;
    auto update = [&](auto change) {
        std::lock_guard lock(mutex_);
        change(entry.model.status);
    };
    update([](RebuildStatus& s) { s.state = "running"; });
    const auto started = std::chrono::steady_clock::now();
    try {
        pqxx::connection connection{settings_.connection_string};
        {
            pqxx::work tx{connection};
            tx.exec("drop schema if exists " + schema + " cascade");
            tx.exec("create schema " + schema);
            tx.exec("set local search_path to " + schema);
            for (const auto& step : migration_steps()) tx.exec(std::string(step.sql));
            tx.commit();
        }
        std::map<int, std::int64_t> remaining;
        for (auto [partition, end] : entry.cut)
            if (end > 0) remaining[partition] = end;
        std::uint64_t target = 0;
        for (auto [partition, end] : remaining) target += static_cast<std::uint64_t>(end);
        auto consumer = events::EventConsumer::all_partitions(kafka_, settings_.topic, [](const std::vector<int>&) { return std::map<int, std::int64_t>{}; });
        if (!consumer) throw std::runtime_error(consumer.error().message);
        std::uint64_t applied = 0, skipped = 0;
        auto last_record = std::chrono::steady_clock::now();
        while (!remaining.empty()) {
            {
                std::lock_guard lock(mutex_);
                if (stopping_) return;
            }
            std::vector<events::Event> batch;
            for (auto& record : (*consumer)->poll(settings_.batch_size, 200)) {
                last_record = std::chrono::steady_clock::now();
                auto end = remaining.find(record.position.partition);
                if (end == remaining.end() || record.position.offset >= end->second) continue;
                if (record.position.offset + 1 >= end->second) remaining.erase(end);
                auto event = events::decode(record.value, &keys_);
                if (!event) {
                    ++skipped;  // the live projector dead-letters it too: it changed no table
                    continue;
                }
                batch.push_back(std::move(event).value());
            }
            const auto positions = (*consumer)->positions();
            for (auto [partition, next] : positions)
                if (auto it = remaining.find(partition); it != remaining.end() && next >= it->second) remaining.erase(it);
            if (batch.empty() && std::chrono::steady_clock::now() - last_record > stalled_after)
                throw std::runtime_error("the event log gave nothing for 60 s before the cut was reached");
            // All together with their inserts gathered; when an event fails, one by one under savepoints, skipping it.
            auto apply = [&](bool one_by_one) {
                pqxx::work tx{connection};
                tx.exec("set local search_path to " + schema);
                std::optional<BatchedInserts> inserts;
                if (!one_by_one) inserts.emplace(tx);
                for (const auto& event : batch) {
                    if (!one_by_one) {
                        PostgresProjector::apply_event(tx, event);
                        continue;
                    }
                    try {
                        under_savepoint(tx, [&] { PostgresProjector::apply_event(tx, event); });
                    } catch (const std::exception&) {
                        if (classify_current_exception() != FailureCause::event) throw;
                        ++skipped;
                    }
                }
                if (inserts) {
                    inserts->flush();
                    inserts.reset();
                }
                std::map<int, std::int64_t> reached;
                for (auto [partition, next] : positions) reached[partition] = std::min(next, entry.cut.at(partition));
                store_projection_offsets(tx, PostgresProjector::name, settings_.topic, reached);
                tx.commit();
            };
            try {
                apply(false);
            } catch (const std::exception&) {
                if (classify_current_exception() != FailureCause::event) throw;
                apply(true);
            }
            applied += batch.size();
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            update([&](RebuildStatus& s) {
                s.events_applied = applied;
                s.dead_letters = skipped;
                s.events_per_second = seconds > 0 ? static_cast<double>(applied) / seconds : 0;
                std::uint64_t reached = 0;
                for (auto& p : s.partitions) {
                    if (auto it = positions.find(p.partition); it != positions.end()) p.offset = std::min(it->second, p.end);
                    reached += static_cast<std::uint64_t>(p.offset);
                }
                const double rate = seconds > 0 ? static_cast<double>(reached) / seconds : 0;
                s.eta_seconds = rate > 0 && target > reached ? std::optional<double>(static_cast<double>(target - reached) / rate) : std::nullopt;
            });
        }
        update([&](RebuildStatus& s) {
            s.state = "done";
            s.finished_ms = wall_ms();
            s.eta_seconds = 0.0;
            for (auto& p : s.partitions) p.offset = p.end;
        });
        log_info("as_of_built", {{"schema", schema}, {"as_of_ms", entry.model.as_of_ms}, {"events", applied}, {"skipped", skipped}});
    } catch (const std::exception& e) {
        update([&](RebuildStatus& s) {
            s.state = "failed";
            s.error = e.what();
            s.finished_ms = wall_ms();
        });
        log_error("as_of_build_failed", {{"schema", schema}, {"error", e.what()}});
    }
}

}  // namespace debrief::projections
