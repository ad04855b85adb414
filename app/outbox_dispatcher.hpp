// The outbox's drain: follow-ups scheduled in the log are handed to the delivery adapter when due, and each
// attempt's outcome is appended (sent, or failed with the time of the retry). The outbox is the write model's
// set of scheduled follow-ups, so it survives restarts: nothing accepted is lost. An outcome the log refuses is
// kept in memory and appended again, so a delivered message is not delivered again while the log is away (only a
// restart in between can repeat it, with the same Message-ID).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/delivery/delivery.hpp"
#include "commands/command_handler.hpp"
#include "commands/follow_up_commands.hpp"
#include "commands/write_model.hpp"

namespace debrief::app {

struct OutboxSettings {
    commands::RetryPolicy retry;
    std::string mail_from = "Debrief <debrief@localhost>";
    std::chrono::milliseconds idle_check{1000};  // how often an idle outbox looks again (also after a failed append)
};

class OutboxDispatcher {
public:
    using Clock = std::function<std::int64_t()>;  // Unix epoch milliseconds
    OutboxDispatcher(commands::WriteModel& model, commands::CommandHandler& commands, delivery::Delivery& delivery, OutboxSettings settings,
                     Clock clock);
    ~OutboxDispatcher();
    OutboxDispatcher(const OutboxDispatcher&) = delete;
    OutboxDispatcher& operator=(const OutboxDispatcher&) = delete;

    void start();
    void stop();
    // Something was scheduled: look now rather than at the next idle check.
    void wake();
    // One pass over what is due; answers how many outcomes were recorded. Used by the thread, and by tests directly.
    std::size_t drain_once();

private:
    void run();
    // Appends one outcome; false when the log refused it (it is then kept and appended again on the next pass).
    bool record(const commands::WriteModel::OutboxEntry& entry, const commands::DeliveryOutcome& outcome);

    commands::WriteModel& model_;
    commands::CommandHandler& commands_;
    delivery::Delivery& delivery_;
    OutboxSettings settings_;
    Clock clock_;
    // Outcomes the log refused, by follow-up: recorded again before anything else, never delivered twice for it.
    std::map<std::string, std::pair<commands::WriteModel::OutboxEntry, commands::DeliveryOutcome>> unrecorded_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    bool stopping_ = false;
    bool woken_ = false;
    std::mutex join_mutex_;  // stop() is safe from any thread, also twice at once: one joins, the other waits
    std::thread thread_;
};

}  // namespace debrief::app
