#include "commands/action_item_commands.hpp"

namespace debrief::commands {
using Decision = CommandHandler::Decision;

Result<Accepted> create_action_item(CommandHandler& handler, const Actor& actor, const CreateActionItemInput& input, const CommandContext& context) {
    const auto& model = handler.model();
    CreateActionItem command{ActionItemId{handler.new_id()}, actor, input.client_id, input.title, input.owner_id, input.due_date};
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto client = model.state(command.client_id);
        return decide(model.state(command.action_item_id), command, client, model.state(client.coach_id), model.state(UserId{command.owner_id}));
    });
}

Result<Accepted> change_action_item(CommandHandler& handler, const Actor& actor, const ActionItemId& item, ActionItemChangeKind kind,
                                    std::string value, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model.state(item);
        ChangeActionItem command{item, actor, kind, value, model.state(actor.user_id).client_id};
        return decide(state, command, model.state(state.coach_id), model.state(UserId{value}));
    });
}

}  // namespace debrief::commands
