#include "app/service_metrics.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "common/metrics.hpp"

namespace debrief::app {

ProcessSample sample_process() {
    ProcessSample sample;
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    std::ifstream statm("/proc/self/statm");
    double pages_virtual = 0, pages_resident = 0;
    if (statm >> pages_virtual >> pages_resident) {
        sample.virtual_bytes = pages_virtual * page;
        sample.resident_bytes = pages_resident * page;
    }
    std::ifstream stat_file("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    // After the command name in parentheses (which may hold spaces): field 3 on; utime and stime are 14 and 15,
    // num_threads 20.
    if (auto close = stat.rfind(')'); close != std::string::npos) {
        std::istringstream fields(stat.substr(close + 2));
        std::vector<std::string> values;
        for (std::string value; fields >> value;) values.push_back(value);
        const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
        if (values.size() > 17) {
            sample.cpu_seconds = (std::stod(values[11]) + std::stod(values[12])) / ticks;
            sample.threads = std::stod(values[17]);
        }
    }
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++sample.open_fds;
    return sample;
}

namespace {
const char* const service_gauges[] = {"debrief_read_model_lag_events", "debrief_read_model_lag_seconds", "debrief_read_model_dead_letters",
                                      "debrief_read_model_ready",      "debrief_live_subscriptions",     "debrief_live_kept_messages",
                                      "debrief_live_kept_bytes"};
}

void unregister_service_metrics() {
    for (const char* name : service_gauges) metrics::registry().gauge(name, "", {});
}

void register_service_metrics(std::function<std::vector<ReadModelLag>()> read_models, const api::live::LiveHub& hub) {
    using Samples = std::vector<std::pair<metrics::Labels, double>>;
    auto& registry = metrics::registry();
    auto per_read_model = [read_models](auto value) {
        return [read_models, value] {
            Samples samples;
            for (const auto& lag : read_models()) samples.push_back({{{"read_model", lag.status.name}}, value(lag)});
            return samples;
        };
    };
    registry.gauge("debrief_read_model_lag_events", "events (offsets) between what a read model applied and the log end",
                   per_read_model([](const ReadModelLag& lag) { return static_cast<double>(lag.status.lag_events); }));
    registry.gauge("debrief_read_model_lag_seconds", "0 when a read model is caught up; else seconds since it last applied a batch",
                   per_read_model([](const ReadModelLag& lag) { return lag.seconds_behind; }));
    registry.gauge("debrief_read_model_dead_letters", "events a read model set aside since start",
                   per_read_model([](const ReadModelLag& lag) { return static_cast<double>(lag.status.dead_letters); }));
    registry.gauge("debrief_read_model_ready", "1 when a read model is running within its bounds",
                   per_read_model([](const ReadModelLag& lag) { return lag.status.ready() ? 1.0 : 0.0; }));
    auto hub_value = [&hub](auto value) { return [&hub, value] { return Samples{{{}, value(hub.stats())}}; }; };
    registry.gauge("debrief_live_subscriptions", "WebSocket subscriptions",
                   hub_value([](const api::live::LiveHub::Stats& s) { return static_cast<double>(s.subscriptions); }));
    registry.gauge("debrief_live_kept_messages", "messages the WebSocket hub keeps for clients that reconnect",
                   hub_value([](const api::live::LiveHub::Stats& s) { return static_cast<double>(s.messages); }));
    registry.gauge("debrief_live_kept_bytes", "bytes of those messages",
                   hub_value([](const api::live::LiveHub::Stats& s) { return static_cast<double>(s.bytes); }));
    auto process_value = [](auto value) { return [value] { return Samples{{{}, value(sample_process())}}; }; };
    registry.gauge("process_resident_memory_bytes", "resident memory", process_value([](const ProcessSample& p) { return p.resident_bytes; }));
    registry.gauge("process_virtual_memory_bytes", "virtual memory", process_value([](const ProcessSample& p) { return p.virtual_bytes; }));
    registry.gauge("process_cpu_seconds", "user and system CPU time spent", process_value([](const ProcessSample& p) { return p.cpu_seconds; }));
    registry.gauge("process_threads", "threads", process_value([](const ProcessSample& p) { return p.threads; }));
    registry.gauge("process_open_fds", "open file descriptors", process_value([](const ProcessSample& p) { return p.open_fds; }));
}

}  // namespace debrief::app
