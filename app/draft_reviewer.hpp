// The automatic review of the analyser's drafts by the writing assistant, on one background thread so that an
// upload never waits for the provider. The queue lives in memory only: after a restart, a draft not yet reviewed
// stays the analyser's draft (the coach can still refine it).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "commands/command_handler.hpp"

namespace debrief::app {

class DraftReviewer {
public:
    // capacity: DEBRIEF_REVIEW_QUEUE_CAPACITY (the option table holds its default).
    DraftReviewer(commands::CommandHandler& commands, std::size_t capacity);
    ~DraftReviewer();
    DraftReviewer(const DraftReviewer&) = delete;
    DraftReviewer& operator=(const DraftReviewer&) = delete;

    // Queues one draft; when the queue is full (capacity) the draft is not reviewed, and that is logged.
    void enqueue(const OrganizationId& organization, const SummaryId& summary, const std::string& correlation_id, std::string transcript_excerpt);
    // Drops what is queued, lets the review in progress finish, and joins the thread.
    void stop();

private:
    struct Job {
        OrganizationId organization;
        SummaryId summary;
        std::string correlation_id;
        std::string transcript_excerpt;  // at most refinement::max_transcript_excerpt_chars
    };
    void run();

    commands::CommandHandler& commands_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::mutex join_mutex_;  // stop() is safe from any thread, also twice at once: one joins, the other waits
    std::thread thread_;
};

}  // namespace debrief::app
