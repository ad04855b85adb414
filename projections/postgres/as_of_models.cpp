// Builds and keeps the read models of past moments (as_of_models.hpp): one builder thread, a queue of cuts, a
// bounded cache of schemas.
#include "projections/postgres/as_of_models.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <random>

#include "common/json_log.hpp"
#include "events/kafka_watermarks.hpp"
#include "projections/postgres/schema_replay.hpp"

namespace debrief::projections {
namespace {

constexpr int kafka_timeout_ms = 10'000;

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void read_schema(pqxx::transaction_base& tx, const std::string& schema) {
    if (!schema.empty()) tx.exec("set local search_path to " + tx.quote_name(schema));
}

// A cut's schema: its process's part keeps two instances building the same cut out of each other's way.
std::string as_of_schema(const std::map<int, std::int64_t>& cut) {
    static const std::uint32_t process = std::random_device{}();
    std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over "partition:offset;" of each partition
    for (const auto& [partition, offset] : cut)
        for (char c : std::to_string(partition) + ":" + std::to_string(offset) + ";") hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    char name[48];
    std::snprintf(name, sizeof name, "as_of_%08x_%016llx", process, static_cast<unsigned long long>(hash));
    return name;
}

struct AsOfModels::Entry {
    AsOfModel model;
    std::map<int, std::int64_t> cut;
    std::chrono::steady_clock::time_point last_used;
    // The replay that built it, kept for its connection's lock on the schema (see SchemaReplay::drop_leftovers).
    std::unique_ptr<SchemaReplay> replay;
};

AsOfModels::AsOfModels(AsOfSettings settings, events::KafkaSettings kafka, const events::KeyRing& keys)
    : settings_(std::move(settings)), kafka_(std::move(kafka)), keys_(keys) {
    if (auto opened = events::KafkaWatermarks::open(kafka_, /*committed=*/true)) watermarks_ = std::move(opened).value();
    SchemaReplay::drop_leftovers(settings_.connection_string, "as_of_");  // an earlier process's cuts: its cache is gone, so are they
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
            SchemaReplay::drop(settings_.connection_string, entry->model.schema);
            entry->replay.reset();
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
        entry.replay = std::make_unique<SchemaReplay>(settings_.connection_string, kafka_, keys_, schema, settings_.batch_size,
                                                     settings_.replay_workers);
        auto& replay = *entry.replay;
        replay.create();
        auto stopping = [this] {
            std::lock_guard lock(mutex_);
            return stopping_;
        };
        auto progress = [&](const SchemaReplay::Progress& progress) {
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            update([&](RebuildStatus& s) { describe_progress(s, progress, entry.cut, seconds); });
        };
        if (!replay.read_to(entry.cut, stopping, progress)) return;
        replay.analyze();
        update([&](RebuildStatus& s) {
            s.state = "done";
            s.finished_ms = wall_ms();
            s.eta_seconds = 0.0;
            for (auto& p : s.partitions) p.offset = p.end;
        });
        log_info("as_of_built", {{"schema", schema}, {"as_of_ms", entry.model.as_of_ms}, {"events", replay.progress().applied},
                                 {"skipped", replay.progress().dead_letters}});
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
