// The background readiness probe: one thread, one check per interval, the result kept with the time it was taken.
#include "app/readiness_probe.hpp"
#include "common/thread_name.hpp"

namespace debrief::app {

ReadinessProbe::ReadinessProbe(Check check, ReadinessProbeSettings settings) : check_(std::move(check)), settings_(settings) {}

ReadinessProbe::~ReadinessProbe() { stop(); }

void ReadinessProbe::probe_once() {
    auto result = check_();
    std::lock_guard lock(mutex_);
    last_ = result;
    last_at_ = std::chrono::steady_clock::now();
}

void ReadinessProbe::start() {
    probe_once();
    thread_ = std::thread([this] {
        name_this_thread("readiness");
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            if (wake_.wait_for(lock, settings_.interval, [this] { return stopping_; })) break;
            lock.unlock();
            probe_once();
            lock.lock();
        }
    });
}

void ReadinessProbe::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    std::lock_guard joining(join_mutex_);
    if (thread_.joinable()) thread_.join();
}

api::Readiness ReadinessProbe::current() const {
    std::lock_guard lock(mutex_);
    auto readiness = last_;
    readiness.probed = last_at_ != std::chrono::steady_clock::time_point{} && std::chrono::steady_clock::now() - last_at_ <= settings_.max_age;
    return readiness;
}

}  // namespace debrief::app
