#include "commands/summary_commands.hpp"

#include <optional>

#include "commands/follow_up.hpp"
#include "commands/summary.hpp"
#include "commands/templates/template_text.hpp"
#include "commands/user_profile.hpp"

namespace debrief::commands {
namespace {
using Decision = CommandHandler::Decision;

// What the assistant is told about a summary: its content, the transcript, who is who. Reads the write model only.
refinement::AssistantRequest assistant_request(const WriteModel& model, const SummaryState& summary, refinement::AssistantTask task,
                                               std::string message, std::string transcript_excerpt) {
    auto session = model.state(summary.session_id);
    auto client = model.state(summary.client_id);
    auto coach = model.state(summary.coach_id);
    // A prompt template the coach or the organization keeps (not the built-in one, which says nothing the request
    // does not) and the coach's voice profile become standing instructions.
    std::string instructions;
    auto prompt_id = model.default_template(summary.organization_id, summary.coach_id, "prompt");
    if (!prompt_id.starts_with(templates::system_prefix)) {
        auto values = template_values(summary.content, session, client, coach, model.state(summary.organization_id).name);
        values["transcript"] = transcript_excerpt;
        values["message"] = message;
        instructions = templates::render(model.state(TemplateId{prompt_id}).body, values);
    }
    instructions += voice_instructions(coach);
    return {task,
            std::move(message),
            summary.content,
            std::move(transcript_excerpt),
            session.session_date,
            session.session_type,
            client.name,
            coach.name,
            summary.client_id,
            summary.coach_id,
            std::move(instructions)};
}

}  // namespace

Result<Accepted> refine_summary(CommandHandler& handler, const Actor& actor, const SummaryId& summary, std::string message,
                                const CommandContext& context) {
    const auto& model = handler.model();
    // The assistant is slow and fallible: it is asked here, outside the organization's lock, and only for a request
    // that could be accepted now and is no retry of an earlier one. Its answer reaches decide as a fact.
    std::optional<AssistantAnswer> answer;
    if (auto* assistant = handler.assistant()) {
        auto state = model.state(summary);
        if (!handler.is_retry(context) && !refusal_to_refine(state, actor, model.state(state.coach_id), message)) {
            auto transcript = handler.transcript(actor.organization_id, state.session_id);
            auto excerpt = transcript ? refinement::transcript_excerpt(*transcript) : std::string("(the transcript is not available)");
            auto proposal = assistant->propose(assistant_request(model, state, refinement::AssistantTask::refine, message, std::move(excerpt)));
            answer = AssistantAnswer{proposal ? std::optional(std::move(proposal).value()) : std::nullopt, state.version};
        }
    }
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model.state(summary);
        RefineSummary command{summary, actor, message, model.state(state.session_id).session_date, answer};
        return decide(state, command, model.state(state.coach_id));
    });
}

Result<Accepted> review_draft(CommandHandler& handler, const OrganizationId& organization, const SummaryId& summary,
                              std::string transcript_excerpt, const CommandContext& context) {
    const auto& model = handler.model();
    auto* assistant = handler.assistant();
    if (!assistant) return Error{ErrorKind::unavailable, "assistant_not_configured", "no writing assistant is configured"};
    auto state = model.state(summary);
    if (!state.exists || state.organization_id != organization) return not_found("summary_not_found", "no such summary");
    auto proposal = assistant->propose(assistant_request(model, state, refinement::AssistantTask::review, {}, std::move(transcript_excerpt)));
    if (!proposal) return proposal.error();
    return handler.execute(organization, context, [&]() -> Decision {
        return decide(model.state(summary), ReviewDraft{summary, proposal.value(), state.version});
    });
}

Result<Accepted> approve_summary(CommandHandler& handler, const Actor& actor, const SummaryId& summary, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model.state(summary);
        ApproveSummary command{summary, actor, {}};
        for (std::size_t i = 0; i < state.content.action_items.size(); ++i) command.spare_ids.push_back(ActionItemId{handler.new_id()});
        return decide(state, command, model.state(state.coach_id));
    });
}

Result<Accepted> reopen_summary(CommandHandler& handler, const Actor& actor, const SummaryId& summary, std::string reason,
                                const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model.state(summary);
        return decide(state, ReopenSummary{summary, actor, reason}, model.state(state.coach_id));
    });
}

}  // namespace debrief::commands
