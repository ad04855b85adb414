// How a read model stands against the log, for /readyz: its state and how many offsets it is behind the log end.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "projections/projector_health.hpp"

namespace debrief::projections {

struct ReadinessBounds {
    std::int64_t max_lag_events = 10'000;        // behind by more: lagging
    std::int64_t stuck_after_ms = 30'000;        // behind, and nothing applied for this long: stuck
    std::int64_t failing_grace_ms = 5'000;       // failing for longer than this is not ready (a blip is retried)
};

struct ReadModelStatus {
    std::string name;
    // running (caught up or catching up within the bounds), switching (to a rebuilt copy), lagging, stuck, failing,
    // starting or stopped
    std::string state;
    std::int64_t lag_events = 0;  // offsets between what it applied and the log end, commit markers included
    std::uint64_t dead_letters = 0;
    std::string last_error;
    bool ready() const { return state == "running" || state == "switching"; }
};

// next_offsets: what the read model applied per partition (its stored offsets, and for partitions this instance
// consumes the consumer's own position, which moves past commit markers); log_end: each partition's high watermark.
ReadModelStatus read_model_status(std::string name, const ProjectorHealth::Snapshot& health, const std::map<int, std::int64_t>& next_offsets,
                                  const std::map<int, std::int64_t>& log_end, std::int64_t now_ms, const ReadinessBounds& bounds);

}  // namespace debrief::projections
