// Draining the outbox: deliver what is due, record each outcome, sleep until the next due time or a wake-up.
#include "app/outbox_dispatcher.hpp"

#include <algorithm>

#include "commands/follow_up_commands.hpp"
#include "common/json_log.hpp"
#include "common/thread_name.hpp"

namespace debrief::app {

OutboxDispatcher::OutboxDispatcher(commands::WriteModel& model, commands::CommandHandler& commands, delivery::Delivery& delivery,
                                   OutboxSettings settings, Clock clock)
    : model_(model), commands_(commands), delivery_(delivery), settings_(std::move(settings)), clock_(std::move(clock)) {}

OutboxDispatcher::~OutboxDispatcher() { stop(); }

void OutboxDispatcher::start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] {
        name_this_thread("outbox");
        run();
    });
}

void OutboxDispatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeup_.notify_all();
    // The service's shutdown stops it, then the destructor does again: the second call finds nothing to join.
    std::lock_guard join(join_mutex_);
    if (thread_.joinable()) thread_.join();
}

void OutboxDispatcher::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wakeup_.notify_all();
}

bool OutboxDispatcher::record(const commands::WriteModel::OutboxEntry& entry, const commands::DeliveryOutcome& outcome) {
    auto appended = commands::record_delivery(commands_, entry.organization_id, entry.follow_up_id, outcome, settings_.retry);
    if (appended || appended.error().kind == ErrorKind::conflict) {  // a conflict: the log already has a newer outcome
        unrecorded_.erase(entry.follow_up_id.value);
        if (!appended) return true;
        if (outcome.delivered)
            log_info("follow_up_sent", {{"follow_up_id", entry.follow_up_id.value}, {"attempt", outcome.attempt}, {"channel", outcome.channel}});
        else
            log_warn("follow_up_delivery_failed", {{"follow_up_id", entry.follow_up_id.value}, {"attempt", outcome.attempt}, {"error", outcome.error}});
        return true;
    }
    log_warn("outbox_record_failed", {{"follow_up_id", entry.follow_up_id.value}, {"code", appended.error().code}, {"error", appended.error().message}});
    unrecorded_.insert_or_assign(entry.follow_up_id.value, std::pair{entry, outcome});
    return false;
}

std::size_t OutboxDispatcher::drain_once() {
    std::size_t recorded = 0;
    auto retry = unrecorded_;  // copied: record() edits the map
    for (const auto& [id, pending] : retry) recorded += record(pending.first, pending.second) ? 1 : 0;
    for (const auto& entry : model_.outbox_due(clock_())) {
        if (unrecorded_.contains(entry.follow_up_id.value)) continue;  // delivered; only its record is missing
        const auto& state = entry.state;
        delivery::EmailMessage message{commands::message_id_of(entry.follow_up_id), settings_.mail_from, model_.committed_state(state.coach_id).email,
                                       state.recipient, state.subject, state.body, clock_(), entry.follow_up_id.value};
        auto delivered = delivery_.deliver(message);
        commands::DeliveryOutcome outcome{entry.attempt, delivered.ok(), std::string(delivery_.channel()),
                                          delivered ? std::string{} : delivered.error().message};
        recorded += record(entry, outcome) ? 1 : 0;
    }
    return recorded;
}

void OutboxDispatcher::run() {
    for (;;) {
        drain_once();
        std::unique_lock lock(mutex_);
        if (stopping_) return;
        // Wait for the next due time, a wake-up or the idle check; while an outcome waits to be recorded, the idle
        // check only (the due follow-up it belongs to is skipped, and would otherwise wake this at once).
        auto wait = settings_.idle_check;
        if (auto next = model_.next_outbox_time(); next && unrecorded_.empty())
            wait = std::clamp(std::chrono::milliseconds(*next - clock_()), std::chrono::milliseconds(0), settings_.idle_check);
        wakeup_.wait_for(lock, wait, [&] { return stopping_ || woken_; });
        woken_ = false;
        if (stopping_) return;
    }
}

}  // namespace debrief::app
