// The gauges of a running service for GET /metrics: each read model's lag, the WebSocket hub, and the process
// (memory, CPU, threads, open files). Counters and histograms are kept where things happen (HTTP server, event log,
// sockets).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/live/live_hub.hpp"
#include "projections/read_model_status.hpp"

namespace debrief::app {

struct ReadModelLag {
    projections::ReadModelStatus status;
    double seconds_behind = 0;  // 0 when caught up; else since it last applied a batch
};

// Replaces the gauges of an earlier service in this process (tests start several): the latest start wins.
void register_service_metrics(std::function<std::vector<ReadModelLag>()> read_models, const api::live::LiveHub& hub);
// Takes them away again (the service is going): a scrape then shows the process's gauges only.
void unregister_service_metrics();
// What the process holds now: resident and virtual bytes, CPU seconds, threads and open file descriptors.
struct ProcessSample {
    double resident_bytes = 0;
    double virtual_bytes = 0;
    double cpu_seconds = 0;
    double threads = 0;
    double open_fds = 0;
};
ProcessSample sample_process();

}  // namespace debrief::app
