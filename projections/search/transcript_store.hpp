// The RocksDB read model of the first slice: each session's transcript document, kept per organization.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "commands/result.hpp"
#include "events/event.hpp"
#include "events/kafka_settings.hpp"
#include "projections/projection_progress.hpp"

namespace debrief::projections {

class TranscriptStore {
public:
    static Result<std::unique_ptr<TranscriptStore>> open(const std::string& path);
    ~TranscriptStore();

    // Applies events and records the next offsets in the same WriteBatch: a crash loses or repeats nothing.
    Result<bool> apply(const std::vector<events::Event>& batch, const std::string& topic, const std::map<int, std::int64_t>& next_offsets);
    std::map<int, std::int64_t> offsets(const std::string& topic) const;
    // The transcript document as JSON ({"format","text","segments":[...]}), only within the organization.
    std::optional<std::string> transcript_json(const OrganizationId& organization, const SessionId& session) const;

private:
    struct Impl;
    explicit TranscriptStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Consumes every partition of the events topic into the store, resuming from the store's own offsets.
class SearchProjector {
public:
    inline static const std::string name = "rocksdb";
    SearchProjector(TranscriptStore& store, events::KafkaSettings kafka, ProjectionProgress& progress);
    Result<bool> run();
    void stop() { stopping_ = true; }

private:
    TranscriptStore& store_;
    events::KafkaSettings kafka_;
    ProjectionProgress& progress_;
    std::atomic<bool> stopping_{false};
};

}  // namespace debrief::projections
