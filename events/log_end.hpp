// Where the log ends, per partition, known cheaply: a cached view of the high watermarks, asked of Kafka again only
// when a position beyond the cached end comes (another instance may have appended since). Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>

#include "common/result.hpp"
#include "events/event.hpp"

namespace debrief::events {

class LogEnd {
public:
    struct Source {
        std::function<Result<int>()> partition_count;
        std::function<Result<std::int64_t>(int partition)> high_watermark;  // the offset the next record will get
    };
    enum class Where { inside, beyond, unknown };  // unknown: the source did not answer

    explicit LogEnd(Source source) : source_(std::move(source)) {}

    Where locate(const Position& position);
    // How many times the source was asked, for tests and metrics.
    std::uint64_t queries() const { return queries_.load(); }

private:
    std::optional<Where> cached(const Position& position) const;

    Source source_;
    std::mutex refresh_mutex_;  // one question to Kafka at a time; others reuse its answer
    mutable std::mutex mutex_;  // the cache: held only for lookups, never while Kafka is asked
    std::optional<int> partitions_;
    std::map<int, std::int64_t> high_watermarks_;
    // Generation at which each answer was asked for: an answer asked after a question arrived is fresh enough for it.
    std::uint64_t partitions_generation_ = 0;
    std::map<int, std::uint64_t> watermark_generations_;
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<std::uint64_t> queries_{0};
};

}  // namespace debrief::events
