// What a projector tells readiness and the admins: whether it is applying, failing or stopped (or handing its read
// model over to a rebuilt copy), why it last failed (a code and a cause, never an event's contents), and how many
// events it set aside.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace debrief::projections {

// switching: a rebuild's switch stopped the live projector on purpose and its successor is joining the group; the
// read model serves meanwhile (the switched-in copy), so this is not an outage.
enum class ProjectorState { starting, running, failing, stopped, switching };

inline const char* to_string(ProjectorState state) {
    switch (state) {
        case ProjectorState::starting: return "starting";
        case ProjectorState::running: return "running";
        case ProjectorState::failing: return "failing";
        case ProjectorState::stopped: return "stopped";
        case ProjectorState::switching: return "switching";
    }
    return "stopped";
}

class ProjectorHealth {
public:
    struct Snapshot {
        ProjectorState state = ProjectorState::starting;
        std::string last_error;              // describe_failure()'d, empty when it never failed
        std::int64_t failing_since_ms = 0;   // steady-clock ms; 0 while not failing
        std::uint64_t dead_letters = 0;      // set aside since start
        std::uint64_t applied_events = 0;    // applied since start
        std::int64_t last_progress_ms = now_ms();     // steady-clock ms of the last batch applied (or of the start)
        std::map<int, std::int64_t> positions;        // the consumer's next offset per partition it reads
    };

    void running() {
        std::lock_guard lock(mutex_);
        snapshot_.state = ProjectorState::running;
        snapshot_.failing_since_ms = 0;
    }
    void failing(std::string error) {
        std::lock_guard lock(mutex_);
        if (snapshot_.state != ProjectorState::failing) snapshot_.failing_since_ms = now_ms();
        snapshot_.state = ProjectorState::failing;
        snapshot_.last_error = std::move(error);
    }
    void stopped() {
        std::lock_guard lock(mutex_);
        snapshot_.state = ProjectorState::stopped;
    }
    // After the projector stopped for a switch, until its successor runs(). Counted from now, like a new start.
    void switching() {
        std::lock_guard lock(mutex_);
        snapshot_.state = ProjectorState::switching;
        snapshot_.last_progress_ms = now_ms();
    }
    void applied(std::uint64_t events, std::uint64_t dead_letters) {
        std::lock_guard lock(mutex_);
        snapshot_.applied_events += events;
        snapshot_.dead_letters += dead_letters;
        snapshot_.last_progress_ms = now_ms();
    }
    // After every poll, also an empty one: an idle consumer moves past commit markers, so this is where it stands.
    void positions(std::map<int, std::int64_t> next) {
        std::lock_guard lock(mutex_);
        snapshot_.positions = std::move(next);
    }
    Snapshot snapshot() const {
        std::lock_guard lock(mutex_);
        return snapshot_;
    }
    static std::int64_t now_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    }

private:
    mutable std::mutex mutex_;
    Snapshot snapshot_;
};

}  // namespace debrief::projections
