// Readiness computed in the background: /readyz reads the last result and never waits on Kafka or PostgreSQL.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "api/readiness.hpp"

namespace debrief::app {

struct ReadinessProbeSettings {
    std::chrono::milliseconds interval{1000};  // pause between two probes
    std::chrono::milliseconds max_age{5000};   // an older result (the probe hangs) reports not ready
};

class ReadinessProbe {
public:
    // `check` asks every dependency and may block for its own timeouts; `probed` is set by the probe, not by it.
    using Check = std::function<api::Readiness()>;
    ReadinessProbe(Check check, ReadinessProbeSettings settings);
    ~ReadinessProbe();
    ReadinessProbe(const ReadinessProbe&) = delete;
    ReadinessProbe& operator=(const ReadinessProbe&) = delete;

    // Probes once now (so the first /readyz is true), then every interval on its own thread.
    void start();
    void stop();
    // The last result, at once.
    api::Readiness current() const;

private:
    void probe_once();

    Check check_;
    ReadinessProbeSettings settings_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    api::Readiness last_;
    std::chrono::steady_clock::time_point last_at_{};
    bool stopping_ = false;
    std::mutex join_mutex_;  // stop() is safe from any thread, also twice at once: one joins, the other waits
    std::thread thread_;
};

}  // namespace debrief::app
