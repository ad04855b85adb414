// Reading the log: a consumer that starts each partition where its reader last committed (offsets the reader stores).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "events/cloudevents.hpp"
#include "events/event.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::events {

struct Record {
    std::string key;
    std::string value;
    Headers headers;
    Position position;
};

class EventConsumer {
public:
    // partition -> next offset to read; partitions missing from the answer start at the beginning.
    using OffsetLoader = std::function<std::map<int, std::int64_t>(const std::vector<int>& partitions)>;

    // Joins a consumer group: partitions are shared with other instances; each assignment resumes from the loader.
    static Result<std::unique_ptr<EventConsumer>> join_group(const KafkaSettings& settings, const std::string& topic,
                                                             const std::string& group_id, OffsetLoader offsets);
    // Reads every partition of the topic (a local read model each instance keeps whole).
    static Result<std::unique_ptr<EventConsumer>> all_partitions(const KafkaSettings& settings, const std::string& topic,
                                                                 OffsetLoader offsets);
    ~EventConsumer();

    // Up to max_records, waiting at most timeout_ms for the first one.
    std::vector<Record> poll(std::size_t max_records, int timeout_ms);
    // partition -> next offset this consumer will read, for partitions it has read from.
    std::map<int, std::int64_t> positions();
    // Set when an assignment could not load its stored offsets (and so took no partitions); the consumer must be
    // recreated to try again.
    std::optional<std::string> assignment_failure() const;
    // Partitions this consumer currently owns.
    std::vector<int> assigned_partitions();

private:
    struct Impl;
    explicit EventConsumer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Reads a topic up to its current end, each partition from `from` (partition -> next offset; from the beginning
// where absent): how the write side rebuilds its state at start, after its snapshot.
Result<std::size_t> read_to_end(const KafkaSettings& settings, const std::string& topic, const std::function<void(const Record&)>& on_record,
                                int timeout_ms, const std::map<int, std::int64_t>& from = {});

}  // namespace debrief::events
