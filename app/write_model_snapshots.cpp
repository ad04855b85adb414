#include "app/write_model_snapshots.hpp"

#include <chrono>

#include "commands/write_model.hpp"
#include "common/json_log.hpp"
#include "common/thread_name.hpp"

namespace debrief::app {
namespace {

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
std::int64_t since_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

// Why a snapshot cannot stand for the log now: another topic, or offsets the log does not reach (the topic was
// deleted and created again, or the data directory belongs to another cluster).
std::optional<std::string> unusable(const Snapshot& snapshot, const std::string& topic, const std::map<int, std::int64_t>& log_ends) {
    if (snapshot.topic != topic) return "it was folded from topic " + snapshot.topic;
    for (auto [partition, next] : snapshot.offsets) {
        auto end = log_ends.find(partition);
        if (end == log_ends.end()) return "partition " + std::to_string(partition) + " no longer exists";
        if (next > end->second)
            return "partition " + std::to_string(partition) + " ends at " + std::to_string(end->second) + ", before its offset " + std::to_string(next);
    }
    return std::nullopt;
}

}  // namespace

WriteModelSnapshots::WriteModelSnapshots(std::unique_ptr<SnapshotStore> store, commands::WriteModel& model, std::string topic, std::int64_t every_events)
    : store_(std::move(store)), model_(model), topic_(std::move(topic)), every_events_(every_events) {}

WriteModelSnapshots::~WriteModelSnapshots() { end_thread(); }

Result<std::unique_ptr<WriteModelSnapshots>> WriteModelSnapshots::open(const std::string& directory, commands::WriteModel& model, std::string topic,
                                                                      std::int64_t every_events) {
    auto store = SnapshotStore::open(directory);
    if (!store) return store.error();
    return std::unique_ptr<WriteModelSnapshots>(new WriteModelSnapshots(std::move(store).value(), model, std::move(topic), every_events));
}

std::map<int, std::int64_t> WriteModelSnapshots::restore(const LogEnds& log_ends) {
    const auto started = std::chrono::steady_clock::now();
    auto snapshot = store_->latest();
    if (!snapshot) return {};
    auto ends = log_ends();
    if (!ends) {
        log_warn("snapshot_not_used", {{"reason", "the log's end is unknown: " + ends.error().message}});
        return {};
    }
    if (auto why = unusable(*snapshot, topic_, ends.value())) {
        log_warn("snapshot_not_used", {{"reason", *why}});
        return {};
    }
    if (!model_.restore(snapshot->bytes)) {
        log_warn("snapshot_not_used", {{"reason", "it was written for another layout of the write model, or is corrupt"}});
        return {};
    }
    std::lock_guard lock(take_mutex_);
    covered_events_ = model_.event_count();
    log_info("snapshot_restored", {{"events", covered_events_.load()}, {"bytes", snapshot->bytes.size()}, {"ms", since_ms(started)},
                                   {"written_at_ms", snapshot->written_at_ms}});
    return model_.next_offsets();
}

bool WriteModelSnapshots::take(std::string_view reason) {
    std::lock_guard lock(take_mutex_);
    if (model_.event_count() == covered_events_) return false;
    const auto started = std::chrono::steady_clock::now();
    auto state = model_.snapshot();
    if (!state) return false;  // a command is pending: its folds are not durable yet
    const auto encoded_ms = since_ms(started);
    Snapshot snapshot{topic_, std::move(state->next_offsets), state->events, wall_ms(), std::move(state->bytes)};
    auto saved = store_->save(snapshot);
    if (!saved) {
        log_error("snapshot_failed", {{"code", saved.error().code}, {"error", saved.error().message}});
        return false;
    }
    covered_events_ = snapshot.events;
    log_info("snapshot_written", {{"reason", std::string(reason)}, {"events", snapshot.events}, {"bytes", snapshot.bytes.size()},
                                  {"encode_ms", encoded_ms}, {"ms", since_ms(started)}});
    return true;
}

// Encoding holds the write model's lock for as long as the whole state takes (half a second at 1,000,000 events), so
// while serving a snapshot waits for a quiet second: no event folded since the last check.
void WriteModelSnapshots::start() {
    thread_ = std::thread([this] {
        name_this_thread("snapshots");
        std::unique_lock lock(mutex_);
        std::size_t seen = model_.event_count();
        while (!stopping_) {
            wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
            if (stopping_) break;
            lock.unlock();
            const auto now = model_.event_count();
            if (now == seen && static_cast<std::int64_t>(now - covered_events_) >= every_events_) take("quiet");
            seen = now;
            lock.lock();
        }
    });
}

void WriteModelSnapshots::end_thread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void WriteModelSnapshots::stop() {
    end_thread();
    take("shutdown");
}

}  // namespace debrief::app
