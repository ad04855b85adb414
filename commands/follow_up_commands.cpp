#include "commands/follow_up_commands.hpp"

namespace debrief::commands {
using Decision = CommandHandler::Decision;

Result<Accepted> draft_follow_up(CommandHandler& handler, const Actor& actor, const DraftFollowUpInput& input, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto summary = model.state(input.summary_id);
        auto template_id = input.template_id.empty() ? model.default_template(actor.organization_id, summary.coach_id, "email") : input.template_id;
        auto chosen = model.template_named(actor.organization_id, template_id);
        auto organization_name = model.state(actor.organization_id).name;
        auto session = model.state(summary.session_id);
        auto client = model.state(summary.client_id);
        auto coach = model.state(summary.coach_id);
        DraftFollowUp command{FollowUpId{handler.new_id()}, actor, input.summary_id, template_id, input.recipient, input.subject, input.body};
        return decide(model.state(command.follow_up_id), command, FollowUpFacts{summary, session, client, coach, organization_name, chosen});
    });
}

Result<Accepted> send_follow_up(CommandHandler& handler, const Actor& actor, const FollowUpId& id, std::int64_t send_at_ms,
                                const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model.state(id);
        return decide(state, SendFollowUp{id, actor, handler.now_ms(), send_at_ms}, model.state(state.coach_id));
    });
}

Result<Accepted> record_delivery(CommandHandler& handler, const OrganizationId& organization, const FollowUpId& id, const DeliveryOutcome& outcome,
                                 const RetryPolicy& policy) {
    const auto& model = handler.model();
    CommandContext context;
    context.cause.correlation_id = id.value;  // a system action: no actor; the follow-up names the chain
    return handler.execute(organization, context, [&]() -> Decision {
        RecordDelivery command{id, outcome.attempt, outcome.delivered, outcome.channel, outcome.error, handler.now_ms(), policy};
        return decide(model.state(id), command);
    });
}

}  // namespace debrief::commands
