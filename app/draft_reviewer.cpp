// The review queue and its worker.
#include "app/draft_reviewer.hpp"

#include "commands/summary_commands.hpp"
#include "common/json_log.hpp"

namespace debrief::app {

DraftReviewer::DraftReviewer(commands::CommandHandler& commands, std::size_t capacity)
    : commands_(commands), capacity_(capacity), thread_([this] { run(); }) {}

DraftReviewer::~DraftReviewer() { stop(); }

void DraftReviewer::enqueue(const OrganizationId& organization, const SummaryId& summary, const std::string& correlation_id,
                            std::string transcript_excerpt) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < capacity_) {
            queue_.push_back({organization, summary, correlation_id, std::move(transcript_excerpt)});
            wake_.notify_one();
            return;
        }
    }
    log_warn("draft_review_skipped", {{"summary_id", summary.value}, {"correlation_id", correlation_id}, {"reason", "queue full or stopping"}});
}

void DraftReviewer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    // The service's shutdown stops it, then the destructor does again: the second call finds nothing to join.
    std::lock_guard join(join_mutex_);
    if (thread_.joinable()) thread_.join();
}

void DraftReviewer::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        // A system command: no actor and no idempotency key, only the upload's correlation id.
        commands::CommandContext context;
        context.cause.correlation_id = job.correlation_id;
        auto reviewed = commands::review_draft(commands_, job.organization, job.summary, std::move(job.transcript_excerpt), context);
        log_info("draft_reviewed", {{"summary_id", job.summary.value},
                                    {"correlation_id", job.correlation_id},
                                    {"outcome", reviewed ? std::string("refined") : reviewed.error().code}});
    }
}

}  // namespace debrief::app
