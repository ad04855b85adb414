// Summary decisions and folding.
#include "commands/summary.hpp"
#include "commands/text_rules.hpp"

#include "commands/action_item.hpp"
#include "commands/authorization.hpp"
#include "commands/refinement/refiner.hpp"

namespace debrief::commands {

std::string_view to_string(SummaryStatus status) {
    switch (status) {
        case SummaryStatus::draft: return "draft";
        case SummaryStatus::approved: return "approved";
        case SummaryStatus::none: break;
    }
    return "none";
}

namespace {

// The summary must exist in the actor's organization, and the actor must be allowed to act for its coach.
std::optional<Error> check_access(const SummaryState& summary, const Actor& actor, const UserState& coach) {
    if (!summary.exists || !visible_to(actor, summary.organization_id)) return not_found("summary_not_found", "no such summary");
    if (actor.role == "client") return Error{ErrorKind::forbidden, "forbidden", "clients may not change summaries"};
    return refusal_to_act_for_coach(actor, summary.coach_id, coach);
}

}  // namespace

std::optional<Error> refusal_to_refine(const SummaryState& summary, const Actor& actor, const UserState& coach, std::string_view message) {
    if (auto refused = check_access(summary, actor, coach)) return refused;
    if (summary.status == SummaryStatus::approved) return conflict("summary_approved", "the summary is approved; reopen it to change it");
    return refinement::check_message(message);
}

namespace {

// A proposal applies to the content the assistant saw, and gives action items only to the client or the coach.
std::optional<Error> check_proposal(const SummaryState& summary, const refinement::AssistantProposal& proposal, std::uint64_t seen_version) {
    if (summary.version != seen_version)
        return conflict("summary_changed", "the summary changed while the assistant was working on it; send the request again");
    for (const auto& item : proposal.after.action_items)
        if (item.owner_id != summary.client_id.value && item.owner_id != summary.coach_id.value)
            return Error{ErrorKind::internal, "assistant_proposal_invalid", "an action item's owner is neither the client nor the coach"};
    return std::nullopt;
}

}  // namespace

Result<std::vector<events::Payload>> decide(const SummaryState& summary, const RefineSummary& command, const UserState& coach) {
    if (auto refused = refusal_to_refine(summary, command.actor, coach, command.message)) return *refused;
    if (command.assistant && command.assistant->proposal) {
        const auto& proposal = *command.assistant->proposal;
        if (auto bad = check_proposal(summary, proposal, command.assistant->seen_version)) return *bad;
        // A refinement always changes the content (integrators rely on it); the assistant's words still reach the coach.
        if (proposal.after == summary.content) return invalid("refinement_no_change", "the assistant left the summary as it is: " + proposal.reply);
        return std::vector<events::Payload>{
            events::SummaryRefined{command.summary_id, command.message, proposal.reply, summary.content, proposal.after, proposal.refiner,
                                  summary.client_id}};
    }
    const bool assistant_failed = command.assistant.has_value();
    refinement::RefineContext context{command.session_date, summary.client_id, summary.coach_id, assistant_failed};
    auto refined = refinement::refine(summary.content, command.message, context);
    if (!refined) return refined.error();
    auto reply = assistant_failed ? "The assistant is unavailable right now, so the built-in refiner answered: " + refined->reply : refined->reply;
    return std::vector<events::Payload>{events::SummaryRefined{command.summary_id, std::string(command.message), std::move(reply), summary.content,
                                                               refined->after, std::string(refinement::builtin_refiner), summary.client_id}};
}

Result<std::vector<events::Payload>> decide(const SummaryState& summary, const ReviewDraft& command) {
    if (!summary.exists) return not_found("summary_not_found", "no such summary");
    if (summary.status != SummaryStatus::draft) return conflict("summary_approved", "the summary is approved; reopen it to change it");
    if (auto bad = check_proposal(summary, command.proposal, command.seen_version)) return *bad;
    if (command.proposal.after == summary.content) return invalid("refinement_no_change", "the review leaves the draft as it is");
    return std::vector<events::Payload>{events::SummaryRefined{command.summary_id, std::string(automatic_review_message), command.proposal.reply,
                                                               summary.content, command.proposal.after, command.proposal.refiner, summary.client_id}};
}

Result<std::vector<events::Payload>> decide(const SummaryState& summary, const ApproveSummary& command, const UserState& coach) {
    if (auto refused = check_access(summary, command.actor, coach)) return *refused;
    if (summary.status == SummaryStatus::approved) return conflict("summary_already_approved", "the summary is already approved");
    // Approval freezes the summary and turns its action items into action items of their own, in the same append.
    std::vector<events::Payload> events{events::SummaryApproved{command.summary_id, summary.content, summary.client_id}};
    auto items = action_items_from_summary(summary.content, summary.client_id, summary.coach_id, summary.session_id, command.summary_id,
                                           command.spare_ids);
    events.insert(events.end(), std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
    return events;
}

Result<std::vector<events::Payload>> decide(const SummaryState& summary, const ReopenSummary& command, const UserState& coach) {
    if (auto refused = check_access(summary, command.actor, coach)) return *refused;
    if (summary.status != SummaryStatus::approved) return conflict("summary_not_approved", "only an approved summary can be reopened");
    if (command.reason.size() > 2000) return invalid("invalid_field", "reason must be at most 2000 characters");
    if (auto bad = check_text("reason", command.reason, TextKind::multiline)) return *bad;
    return std::vector<events::Payload>{events::SummaryReopened{command.summary_id, command.reason, summary.client_id}};
}

void evolve(SummaryState& state, const events::SummaryDrafted& drafted, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = m.organization_id;
    state.session_id = drafted.session_id;
    state.client_id = drafted.client_id;
    state.coach_id = drafted.coach_id;
    state.status = SummaryStatus::draft;
    state.content = drafted.content;
    state.drafted = drafted.content;
}

void evolve(SummaryState& state, const events::SummaryRefined& refined, const events::Metadata&) {
    state.content = refined.after;
    state.last_reply = refined.reply;
}

void evolve(SummaryState& state, const events::SummaryApproved& approved, const events::Metadata&) {
    state.status = SummaryStatus::approved;
    state.content = approved.content;
}

void evolve(SummaryState& state, const events::SummaryReopened&, const events::Metadata&) {
    state.status = SummaryStatus::draft;
}

}  // namespace debrief::commands
