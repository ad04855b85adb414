// Where the Kafka log ends, asked of the cluster: partitions of a topic and each partition's high watermark, as a
// read_uncommitted reader sees them (a read_committed one would be told the last stable offset, which trails a
// just-committed transaction until the broker writes its marker).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "events/kafka_settings.hpp"

namespace debrief::events {

class KafkaWatermarks {
public:
    // committed: the ends a read_committed reader reaches (the last stable offsets) instead of the high watermarks.
    static Result<std::unique_ptr<KafkaWatermarks>> open(const KafkaSettings& settings, bool committed = false);
    ~KafkaWatermarks();

    // How many partitions a topic has, from the cluster's metadata.
    Result<int> partition_count(const std::string& topic, int timeout_ms);
    // The high watermark of one partition: the offset its next record will get.
    Result<std::int64_t> high_watermark(const std::string& topic, int partition, int timeout_ms);
    // Every partition's high watermark (partition -> the offset its next record will get).
    Result<std::map<int, std::int64_t>> ends(const std::string& topic, int timeout_ms);
    // The first offset of a partition whose record timestamp is at or after epoch_ms (Kafka's offsets for times);
    // the high watermark when there is none.
    Result<std::int64_t> offset_for_time(const std::string& topic, int partition, std::int64_t epoch_ms, int timeout_ms);

private:
    struct Impl;
    explicit KafkaWatermarks(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::events
