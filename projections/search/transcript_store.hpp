// The RocksDB read model: each session's transcript document and the search index (search_index.hpp), kept per
// organization by one projector, with its offsets, in one WriteBatch per batch of events.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "events/event.hpp"
#include "events/event_consumer.hpp"
#include "events/keyring.hpp"
#include "events/kafka_settings.hpp"
#include "projections/dead_letter.hpp"
#include "projections/projection_progress.hpp"
#include "projections/projector_health.hpp"

namespace debrief::events {
class DeadLetterPublisher;
}

namespace debrief::projections {

class SearchIndex;

// One record of a batch: its event, or why it could not be decoded.
struct BatchItem {
    const events::Record* record;
    Result<events::Event> event;
};

class TranscriptStore {
public:
    // keys open the sealed fields of the events it is given (events/keyring.hpp).
    static Result<std::unique_ptr<TranscriptStore>> open(const std::string& path, const events::KeyRing& keys);
    const events::KeyRing& keys() const;
    ~TranscriptStore();

    // Phase one of applying a batch: the writes of every event that applies, plus a dead letter (with its bytes) for
    // every record that does not decode or whose change fails, plus the next offsets. Nothing is written yet: the
    // projector first publishes the dead letters to their topic.
    class PreparedBatch {
    public:
        std::vector<DeadLetter> dead;
        PreparedBatch();
        PreparedBatch(PreparedBatch&&) noexcept;
        ~PreparedBatch();

    private:
        friend class TranscriptStore;
        struct Writes;
        std::unique_ptr<Writes> writes_;
    };
    PreparedBatch prepare(const std::vector<BatchItem>& batch, const std::string& topic, const std::map<int, std::int64_t>& next_offsets,
                          std::int64_t now_ms) const;
    // Phase two: one WriteBatch with the documents, the dead letters and the offsets; a crash loses or repeats nothing.
    Result<bool> commit(PreparedBatch& prepared);
    // The index's changes read what they change (the next document number, a term's blocks): the projector holds
    // this from prepare() to commit(), and a dead letter's retry (on an HTTP worker) while it applies, so that
    // neither writes over the other's changes.
    [[nodiscard]] std::unique_lock<std::mutex> exclusive_writes() const { return std::unique_lock(writes_mutex_); }
    // The organization's dead letters, newest first.
    std::vector<DeadLetter> dead_letters(const OrganizationId& organization, std::size_t limit) const;
    // Applies a dead letter again and marks it retried; not_found, or conflict dead_letter_failed / dead_letter_retried.
    Result<DeadLetter> retry_dead_letter(const OrganizationId& organization, const DeadLetterKey& key, const std::string& topic);
    std::map<int, std::int64_t> offsets(const std::string& topic) const;
    // The transcript document as JSON ({"format","text","segments":[...]}), only within the organization.
    std::optional<std::string> transcript_json(const OrganizationId& organization, const SessionId& session) const;
    // The search index the same batches keep (search_index.hpp); the store stays open while the answer is held.
    std::shared_ptr<const SearchIndex> search() const;
    std::string directory() const;

    // A rebuild's switch (search_rebuild.hpp), while no projector writes: readers see the fresh store's contents
    // from now on, and this store's old directory is deleted when the last reader of it lets go.
    void replace_with(std::unique_ptr<TranscriptStore> fresh);
    // The first key where the two stores differ (dead letters aside: they hold the time they were made), or nullopt.
    std::optional<std::string> first_difference(const TranscriptStore& other) const;

private:
    struct Impl;
    explicit TranscriptStore(std::unique_ptr<Impl> impl);
    std::shared_ptr<Impl> current() const;
    mutable std::mutex mutex_;
    mutable std::mutex writes_mutex_;
    std::shared_ptr<Impl> impl_;
};

// Consumes every partition of the events topic into the store, resuming from the store's own offsets.
class SearchProjector {
public:
    inline static const std::string name = "rocksdb";
    static constexpr std::size_t max_batch_records = 500;  // events a poll brings, and so a WriteBatch holds at most
    SearchProjector(TranscriptStore& store, events::KafkaSettings kafka, ProjectionProgress& progress, ProjectorHealth& health,
                    events::DeadLetterPublisher& dead_letters);
    Result<bool> run();
    void stop() { stopping_ = true; }

private:
    TranscriptStore& store_;
    events::KafkaSettings kafka_;
    ProjectionProgress& progress_;
    ProjectorHealth& health_;
    events::DeadLetterPublisher& dead_letters_;
    std::atomic<bool> stopping_{false};
};

}  // namespace debrief::projections
