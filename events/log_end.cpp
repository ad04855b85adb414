// The cached end of the log: inside answers from memory; beyond asks the source once, shared by concurrent callers.
#include "events/log_end.hpp"

namespace debrief::events {

std::optional<LogEnd::Where> LogEnd::cached(const Position& position) const {
    std::lock_guard lock(mutex_);
    if (!partitions_) return std::nullopt;
    if (position.partition >= *partitions_) return Where::beyond;
    auto it = high_watermarks_.find(position.partition);
    if (it == high_watermarks_.end()) return std::nullopt;
    return position.offset < it->second ? Where::inside : Where::beyond;
}

LogEnd::Where LogEnd::locate(const Position& position) {
    if (!position.valid()) return Where::beyond;
    const auto arrived = generation_.load();
    if (cached(position) == Where::inside) return Where::inside;

    std::lock_guard refreshing(refresh_mutex_);
    auto fresh = [&](std::uint64_t asked) { return asked > arrived; };  // asked after this question arrived
    bool partitions_fresh = false;
    {
        std::lock_guard lock(mutex_);
        partitions_fresh = partitions_ && fresh(partitions_generation_);
        if (partitions_ && position.partition < *partitions_) partitions_fresh = true;  // partitions are never removed
    }
    if (!partitions_fresh) {
        const auto asked = ++generation_;
        ++queries_;
        auto count = source_.partition_count();
        if (!count) return Where::unknown;
        std::lock_guard lock(mutex_);
        partitions_ = count.value();
        partitions_generation_ = asked;
    }
    {
        std::lock_guard lock(mutex_);
        if (position.partition >= *partitions_) return Where::beyond;
        auto it = high_watermarks_.find(position.partition);
        if (it != high_watermarks_.end() && position.offset < it->second) return Where::inside;
        auto generation = watermark_generations_.find(position.partition);
        if (it != high_watermarks_.end() && generation != watermark_generations_.end() && fresh(generation->second)) return Where::beyond;
    }
    const auto asked = ++generation_;
    ++queries_;
    auto high = source_.high_watermark(position.partition);
    if (!high) return Where::unknown;
    std::lock_guard lock(mutex_);
    auto& known = high_watermarks_[position.partition];
    known = std::max(known, high.value());  // an answer that raced a newer one never moves the end back
    watermark_generations_[position.partition] = asked;
    return position.offset < known ? Where::inside : Where::beyond;
}

}  // namespace debrief::events
