// The follow-ups area's commands: a follow-up drafted from a template, scheduled or sent, and the outbox's record
// of each delivery attempt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"
#include "commands/follow_up.hpp"

namespace debrief::commands {

struct DraftFollowUpInput {
    SummaryId summary_id;
    std::string template_id;  // optional
    std::string recipient;    // optional: the client's e-mail
    std::optional<std::string> subject;
    std::optional<std::string> body;
};

// What the delivery adapter made of one attempt.
struct DeliveryOutcome {
    int attempt = 0;
    bool delivered = false;
    std::string channel;
    std::string error;
};

Result<Accepted> draft_follow_up(CommandHandler& handler, const Actor& actor, const DraftFollowUpInput& input, const CommandContext& context);
// send_at_ms: 0 sends at once.
Result<Accepted> send_follow_up(CommandHandler& handler, const Actor& actor, const FollowUpId& id, std::int64_t send_at_ms,
                                const CommandContext& context);
// The outbox's record of a delivery attempt: sent, or failed and retried per policy.
Result<Accepted> record_delivery(CommandHandler& handler, const OrganizationId& organization, const FollowUpId& id, const DeliveryOutcome& outcome,
                                 const RetryPolicy& policy);

}  // namespace debrief::commands
