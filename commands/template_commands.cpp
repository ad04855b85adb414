#include "commands/template_commands.hpp"

#include "commands/template.hpp"

namespace debrief::commands {
using Decision = CommandHandler::Decision;

Result<Accepted> create_template(CommandHandler& handler, const Actor& actor, const CreateTemplateInput& input, const CommandContext& context) {
    const auto& model = handler.model();
    CreateTemplate command{TemplateId{handler.new_id()}, actor, input.kind, input.name, input.subject, input.body, input.organization_wide, input.coach_id};
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto owner = input.organization_wide ? UserId{} : (input.coach_id.empty() ? actor.user_id : input.coach_id);
        return decide(model.state(command.template_id), command, model.state(owner));
    });
}

Result<Accepted> revise_template(CommandHandler& handler, const Actor& actor, const TemplateId& id, const ReviseTemplateInput& input,
                                 const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model.state(id);
        return decide(state, ReviseTemplate{id, actor, input.name, input.subject, input.body}, model.state(state.owner_id));
    });
}

}  // namespace debrief::commands
