// The rule /readyz applies to every read model.
#include "projections/read_model_status.hpp"

#include <algorithm>

namespace debrief::projections {

ReadModelStatus read_model_status(std::string name, const ProjectorHealth::Snapshot& health, const std::map<int, std::int64_t>& next_offsets,
                                  const std::map<int, std::int64_t>& log_end, std::int64_t now_ms, const ReadinessBounds& bounds) {
    ReadModelStatus status{std::move(name), "running", 0, health.dead_letters, health.last_error};
    for (auto [partition, end] : log_end) {
        auto it = next_offsets.find(partition);
        auto next = it == next_offsets.end() ? 0 : it->second;
        status.lag_events += std::max<std::int64_t>(0, end - next);
    }
    switch (health.state) {
        case ProjectorState::starting: status.state = "starting"; return status;
        case ProjectorState::stopped: status.state = "stopped"; return status;
        case ProjectorState::switching:
            // Its copy is served meanwhile; a successor that never takes over is stuck.
            status.state = now_ms - health.last_progress_ms > bounds.stuck_after_ms ? "stuck" : "switching";
            return status;
        case ProjectorState::failing:
            if (now_ms - health.failing_since_ms > bounds.failing_grace_ms) {
                status.state = "failing";
                return status;
            }
            break;
        case ProjectorState::running: break;
    }
    // A commit marker per partition may stay behind an idle reader; only more than that is being behind.
    const auto markers = static_cast<std::int64_t>(log_end.size());
    if (status.lag_events > markers && now_ms - health.last_progress_ms > bounds.stuck_after_ms) status.state = "stuck";
    else if (status.lag_events > bounds.max_lag_events) status.state = "lagging";
    return status;
}

}  // namespace debrief::projections
