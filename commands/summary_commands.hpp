// The summaries area's commands: the coach's refinement chat, approval and reopening, and the assistant's review
// of a fresh draft.
#pragma once

#include <string>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"

namespace debrief::commands {

// Asks the writing assistant (when one is set) outside the organization's lock, then decides with its answer.
Result<Accepted> refine_summary(CommandHandler& handler, const Actor& actor, const SummaryId& summary, std::string message,
                                const CommandContext& context);
Result<Accepted> approve_summary(CommandHandler& handler, const Actor& actor, const SummaryId& summary, const CommandContext& context);
Result<Accepted> reopen_summary(CommandHandler& handler, const Actor& actor, const SummaryId& summary, std::string reason,
                                const CommandContext& context);
// Asks the assistant to review the analyser's draft and appends its proposal when it changes the draft. Errors:
// the assistant's failure (nothing appended), refinement_no_change, summary_changed (the coach was quicker).
Result<Accepted> review_draft(CommandHandler& handler, const OrganizationId& organization, const SummaryId& summary,
                              std::string transcript_excerpt, const CommandContext& context);

}  // namespace debrief::commands
