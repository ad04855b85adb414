// A rebuild of the RocksDB read model: a consumer of every partition from the first event, the same prepare and
// commit as the live projector's (dead letters are kept in the fresh store but not published again: the live
// projector published them when it met them), and the switch.
#include "projections/search/search_rebuild.hpp"

#include <chrono>
#include <filesystem>

#include "common/json_log.hpp"
#include "events/codec.hpp"
#include "events/event_consumer.hpp"
#include "events/kafka_watermarks.hpp"
#include "projections/search/index_writer.hpp"

namespace debrief::projections {
namespace {

constexpr std::size_t records_per_batch = 2000;
constexpr int poll_timeout_ms = 200;
constexpr int metadata_timeout_ms = 10'000;

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

struct SearchRebuild::Reader {
    std::unique_ptr<events::EventConsumer> consumer;
};

SearchRebuild::SearchRebuild(std::string id, events::KafkaSettings kafka, const events::KeyRing& keys, std::string directory)
    : kafka_(std::move(kafka)), keys_(keys), reader_(std::make_unique<Reader>()) {
    status_.id = std::move(id);
    status_.directory = std::move(directory);
    status_.started_ms = wall_ms();
    started_steady_ms_ = steady_ms();
}

SearchRebuild::~SearchRebuild() = default;

RebuildStatus SearchRebuild::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void SearchRebuild::fail(const std::string& error) {
    {
        std::lock_guard lock(mutex_);
        status_.state = "failed";
        status_.error = error;
        status_.finished_ms = wall_ms();
        status_.eta_seconds.reset();
    }
    log_error("rebuild_failed", {{"rebuild", status_.id}, {"read_model", status_.read_model}, {"error", error}});
    reader_->consumer.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(status_.directory, ignored);  // a half-built copy is of no use
}

Result<bool> SearchRebuild::open() {
    std::error_code ignored;
    std::filesystem::remove_all(status_.directory, ignored);  // what an earlier, interrupted rebuild left here
    auto store = TranscriptStore::open(status_.directory, keys_);
    if (!store) return store.error();
    store_ = std::move(store).value();
    // From the first event: the fresh store has no offsets.
    auto consumer = events::EventConsumer::all_partitions(kafka_, kafka_.events_topic, [](const std::vector<int>&) { return std::map<int, std::int64_t>{}; });
    if (!consumer) return consumer.error();
    reader_->consumer = std::move(consumer).value();
    return true;
}

Result<bool> SearchRebuild::read_to(const std::map<int, std::int64_t>& ends, bool bounded, const std::atomic<bool>& stopping) {
    const auto& topic = kafka_.events_topic;
    std::map<int, std::int64_t> next = store_->offsets(topic);
    auto remaining = [&] {
        std::int64_t left = 0;
        for (auto [partition, end] : ends) left += std::max<std::int64_t>(0, end - (next.contains(partition) ? next.at(partition) : 0));
        return left;
    };
    auto report = [&] {
        RebuildStatus snapshot;
        {
            std::lock_guard lock(mutex_);
            status_.partitions.clear();
            for (auto [partition, end] : ends) status_.partitions.push_back({partition, next.contains(partition) ? next.at(partition) : 0, end});
            const double seconds = std::max<double>(1, steady_ms() - started_steady_ms_) / 1000.0;
            status_.events_per_second = static_cast<double>(status_.events_applied + status_.dead_letters) / seconds;
            if (status_.events_per_second > 0) status_.eta_seconds = static_cast<double>(remaining()) / status_.events_per_second;
            snapshot = status_;
        }
        if (listener_) listener_(snapshot);
    };
    report();
    while (remaining() > 0) {
        if (stopping) return Error{ErrorKind::unavailable, "rebuild_stopped", "the service is shutting down"};
        auto records = reader_->consumer->poll(records_per_batch, poll_timeout_ms);
        // Transaction markers and compaction leave gaps: a partition whose reader passed its end is done.
        for (auto [partition, position] : reader_->consumer->positions())
            if (!bounded || !ends.contains(partition) || position <= ends.at(partition)) next[partition] = std::max(next[partition], position);
        if (records.empty()) continue;
        std::vector<BatchItem> batch;
        std::map<int, std::int64_t> next_offsets;
        for (const auto& record : records) {
            const auto partition = record.position.partition;
            if (bounded && (!ends.contains(partition) || record.position.offset >= ends.at(partition))) continue;
            next_offsets[partition] = record.position.offset + 1;
            batch.push_back({&record, events::decode(record.value, &keys_)});
        }
        if (batch.empty()) continue;
        auto prepared = store_->prepare(batch, topic, next_offsets, wall_ms());
        auto committed = store_->commit(prepared);
        if (!committed) return committed.error();
        for (auto [partition, offset] : next_offsets) next[partition] = std::max(next[partition], offset);
        {
            std::lock_guard lock(mutex_);
            status_.events_applied += batch.size() - prepared.dead.size();
            status_.dead_letters += prepared.dead.size();
        }
        report();
    }
    report();
    return true;
}

Result<bool> SearchRebuild::build(const std::atomic<bool>& stopping) try {
    if (auto opened = open(); !opened) return opened.error();
    auto watermarks = events::KafkaWatermarks::open(kafka_, /*committed=*/true);
    if (!watermarks) return watermarks.error();
    auto ends = (*watermarks)->ends(kafka_.events_topic, metadata_timeout_ms);
    if (!ends) return ends.error();
    return read_to(ends.value(), false, stopping);
} catch (const IndexDamaged& e) {
    return Error{ErrorKind::internal, "search_index_damaged", e.what()};
}

void SearchRebuild::run(const Live& live, const std::atomic<bool>& stopping) {
    log_info("rebuild_started", {{"rebuild", status_.id}, {"read_model", status_.read_model}, {"directory", status_.directory}});
    if (auto built = build(stopping); !built) return fail(built.error().message);
    {
        std::lock_guard lock(mutex_);
        status_.state = "switching";
    }
    // The live projector stops; the rebuild reads on to exactly where the live store is.
    live.pause();
    Result<bool> reached = true;
    try {
        reached = read_to(live.store.offsets(kafka_.events_topic), true, stopping);
    } catch (const IndexDamaged& e) {
        reached = Error{ErrorKind::internal, "search_index_damaged", e.what()};
    }
    if (!reached) {
        live.resume();
        return fail(reached.error().message);
    }
    const bool comparable = store_->offsets(kafka_.events_topic) == live.store.offsets(kafka_.events_topic);
    std::optional<std::string> difference;
    if (comparable) difference = live.store.first_difference(*store_);
    reader_->consumer.reset();
    live.store.replace_with(std::move(store_));
    live.switched(status_.directory);
    live.resume();
    {
        std::lock_guard lock(mutex_);
        status_.state = "done";
        status_.finished_ms = wall_ms();
        status_.eta_seconds = 0;
        if (comparable) status_.matches_live = !difference;
        status_.first_difference = difference.value_or("");
    }
    log_info("rebuild_done", {{"rebuild", status_.id},
                              {"read_model", status_.read_model},
                              {"events", static_cast<std::int64_t>(status_.events_applied)},
                              {"matches_live", comparable ? (difference ? "false" : "true") : "not compared"}});
}

}  // namespace debrief::projections
