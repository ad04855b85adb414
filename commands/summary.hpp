// The summary aggregate: one per client per session, drafted by the analyser, refined by the coach, approved.
#pragma once

#include <cstdint>
#include <string>

#include "commands/actor.hpp"
#include "commands/result.hpp"
#include "commands/user.hpp"
#include "events/event.hpp"

namespace debrief::commands {

enum class SummaryStatus { none, draft, approved };
std::string_view to_string(SummaryStatus status);

struct SummaryState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    SessionId session_id;
    ClientId client_id;
    UserId coach_id;
    SummaryStatus status = SummaryStatus::none;
    events::SummaryContent content;        // as it reads now
    events::SummaryContent drafted;        // as the analyser wrote it
    std::string last_reply;                // the refiner's answer to the latest refinement
};

struct RefineSummary {
    SummaryId summary_id;
    Actor actor;
    std::string message;
    std::string session_date;  // resolves "by Friday" in the message
};

struct ApproveSummary {
    SummaryId summary_id;
    Actor actor;
    std::vector<ActionItemId> spare_ids;  // one per action item of the summary, for the items approval creates
};

struct ReopenSummary {
    SummaryId summary_id;
    Actor actor;
    std::string reason;
};

// coach: the state of the summary's coach, for the role rules. Refining and approving need a draft; reopening an
// approved summary makes it a draft again.
Result<std::vector<events::Payload>> decide(const SummaryState& summary, const RefineSummary& command, const UserState& coach);
Result<std::vector<events::Payload>> decide(const SummaryState& summary, const ApproveSummary& command, const UserState& coach);
Result<std::vector<events::Payload>> decide(const SummaryState& summary, const ReopenSummary& command, const UserState& coach);

SummaryState evolve(SummaryState state, const events::Payload& event, const OrganizationId& organization_id);

}  // namespace debrief::commands
