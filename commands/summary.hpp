// The summary aggregate: one per client per session, drafted by the analyser, refined by the coach, approved.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "commands/aggregate.hpp"
#include "commands/actor.hpp"
#include "commands/refinement/assistant.hpp"
#include "common/result.hpp"
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

// What the writing assistant answered, asked before the command ran: a proposal for the version it saw, or that
// it was configured but failed. Absent when no assistant is configured.
struct AssistantAnswer {
    std::optional<refinement::AssistantProposal> proposal;  // empty: the assistant failed
    std::uint64_t seen_version = 0;                         // the summary's version the proposal was made for
};

struct RefineSummary {
    SummaryId summary_id;
    Actor actor;
    std::string message;
    std::string session_date;  // resolves "by Friday" in the message
    std::optional<AssistantAnswer> assistant;
};

// The assistant's automatic review of the analyser's draft, run by the system after the parse.
struct ReviewDraft {
    SummaryId summary_id;
    refinement::AssistantProposal proposal;
    std::uint64_t seen_version = 0;
};

inline constexpr std::string_view automatic_review_message = "(automatic) review of the analyser's draft";

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
// Only a draft still as the assistant saw it changes (else summary_changed); a review that changes nothing is
// refinement_no_change and appends nothing.
Result<std::vector<events::Payload>> decide(const SummaryState& summary, const ReviewDraft& command);

// Why the actor may not refine the summary now (nothing: they may): the checks RefineSummary makes before anything
// else, so that the command handler asks the assistant only for a request that can be accepted.
std::optional<Error> refusal_to_refine(const SummaryState& summary, const Actor& actor, const UserState& coach, std::string_view message);

// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
void evolve(SummaryState& state, const events::SummaryDrafted& event, const events::Metadata& metadata);
void evolve(SummaryState& state, const events::SummaryRefined& event, const events::Metadata& metadata);
void evolve(SummaryState& state, const events::SummaryApproved& event, const events::Metadata& metadata);
void evolve(SummaryState& state, const events::SummaryReopened& event, const events::Metadata& metadata);
using Summary = Aggregate<SummaryId, SummaryState>;

}  // namespace debrief::commands
