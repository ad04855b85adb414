// The follow-up aggregate: an e-mail to a client drafted from an approved summary and a template, scheduled into
// the outbox, then sent by the delivery adapter or failed and retried with backoff until it gives up.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/actor.hpp"
#include "commands/client.hpp"
#include "common/result.hpp"
#include "commands/session.hpp"
#include "commands/summary.hpp"
#include "commands/template.hpp"
#include "commands/user.hpp"
#include "events/event.hpp"

namespace debrief::commands {

enum class FollowUpStatus { none, draft, scheduled, sent, failed };
std::string_view to_string(FollowUpStatus status);

struct FollowUpState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    SummaryId summary_id;
    ClientId client_id;
    UserId coach_id;
    std::string recipient;
    std::string subject;
    std::string body;
    FollowUpStatus status = FollowUpStatus::none;
    std::int64_t next_attempt_ms = 0;  // scheduled: when the outbox sends it (first time or retry)
    int attempts = 0;                  // delivery attempts since it was last scheduled
    std::string last_error;
};

// How the outbox retries: attempt n waits base * 2^(n-1), at most max_delay; after max_attempts it gives up.
struct RetryPolicy {
    std::int64_t base_delay_ms = 30'000;
    std::int64_t max_delay_ms = 3'600'000;
    int max_attempts = 8;
    std::int64_t delay_after(int attempt) const;
};

struct DraftFollowUp {
    FollowUpId follow_up_id;  // chosen by the handler
    Actor actor;
    SummaryId summary_id;
    std::string template_id;  // resolved by the handler: the request's, else the coach's, else the organization's, else system:email
    std::string recipient;    // optional: the client's e-mail
    std::optional<std::string> subject;  // optional overrides of the rendered text
    std::optional<std::string> body;
};

// Everything the text is rendered from; states are empty when the handler found nothing.
struct FollowUpFacts {
    const SummaryState& summary;
    const SessionState& session;
    const ClientState& client;
    const UserState& coach;
    const std::string& organization_name;
    const TemplateState& chosen_template;  // empty state: no such template
};

struct SendFollowUp {
    FollowUpId follow_up_id;
    Actor actor;
    std::int64_t now_ms = 0;
    std::int64_t send_at_ms = 0;  // 0: now
};

// A delivery attempt's outcome, recorded by the outbox (a system action).
struct RecordDelivery {
    FollowUpId follow_up_id;
    int attempt = 0;  // must be the next attempt: a stale outcome is refused
    bool delivered = false;
    std::string channel;
    std::string error;
    std::int64_t now_ms = 0;
    RetryPolicy policy;
};

inline constexpr std::size_t max_follow_up_body_length = 50000;
inline constexpr std::int64_t max_schedule_ahead_ms = 366LL * 24 * 3600 * 1000;

Result<std::vector<events::Payload>> decide(const FollowUpState& state, const DraftFollowUp& command, const FollowUpFacts& facts);
// coach: the follow-up's coach, for the role rules.
Result<std::vector<events::Payload>> decide(const FollowUpState& state, const SendFollowUp& command, const UserState& coach);
Result<std::vector<events::Payload>> decide(const FollowUpState& state, const RecordDelivery& command);
// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
void evolve(FollowUpState& state, const events::FollowUpDrafted& event, const events::Metadata& metadata);
void evolve(FollowUpState& state, const events::FollowUpScheduled& event, const events::Metadata& metadata);
void evolve(FollowUpState& state, const events::FollowUpSent& event, const events::Metadata& metadata);
void evolve(FollowUpState& state, const events::FollowUpDeliveryFailed& event, const events::Metadata& metadata);
using FollowUp = Aggregate<FollowUpId, FollowUpState>;

// The values a summary or e-mail template is rendered with.
std::map<std::string, std::string> template_values(const events::SummaryContent& content, const SessionState& session, const ClientState& client,
                                                   const UserState& coach, const std::string& organization_name);
// A summary written out with a summary template (kind "summary"), e.g. for a coach's notes or a PDF export.
Result<std::string> render_summary(const TemplateState& chosen, const SummaryState& summary, const SessionState& session, const ClientState& client,
                                   const UserState& coach, const std::string& organization_name);
// The RFC 5322 Message-ID of a follow-up: the same for every attempt, so a receiver can drop a duplicate.
std::string message_id_of(const FollowUpId& id);

}  // namespace debrief::commands
