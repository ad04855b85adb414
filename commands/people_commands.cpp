#include "commands/people_commands.hpp"

#include "commands/client.hpp"
#include "commands/organization.hpp"
#include "commands/user.hpp"

namespace debrief::commands {
using Decision = CommandHandler::Decision;

Result<Accepted> sign_up(CommandHandler& handler, const SignUpInput& input, const CommandContext& context) {
    const auto& model = handler.model();
    SignUp command{OrganizationId{handler.new_id()}, UserId{handler.new_id()}, input.organization_name, input.name, input.email, input.password};
    return handler.register_login(command.organization_id, command.user_id, input.email, input.password, context, [&]() -> Decision {
        return decide(model.state(command.organization_id), command, model.email_taken(normalize_email(input.email), command.user_id));
    });
}

Result<Accepted> invite_user(CommandHandler& handler, const Actor& actor, const InviteUserInput& input, const CommandContext& context) {
    const auto& model = handler.model();
    InviteUser command{UserId{handler.new_id()}, actor, input.name, input.email, input.role, input.password, input.lead_id, input.client_id};
    return handler.register_login(actor.organization_id, command.user_id, input.email, input.password, context, [&]() -> Decision {
        auto client = model.state(command.client_id);
        InviteFacts facts{model.email_taken(normalize_email(input.email), command.user_id), model.state(command.lead_id), client, model.state(client.coach_id)};
        return decide(model.state(command.user_id), command, facts);
    });
}

Result<Accepted> register_client(CommandHandler& handler, const Actor& actor, const RegisterClientInput& input, const CommandContext& context) {
    const auto& model = handler.model();
    RegisterClient command{ClientId{handler.new_id()}, actor, input.name, input.email, input.tags, input.team, input.coach_id.value_or(actor.user_id)};
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        return decide(model.state(command.client_id), command, model.state(command.coach_id), model.client_named(command.coach_id, command.name).has_value());
    });
}

Result<Accepted> erase_client(CommandHandler& handler, const Actor& actor, const ClientId& client, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        return decide(model.state(client), EraseClient{client, actor, model.subjects_of_client(client)});
    });
}

Result<Accepted> change_role(CommandHandler& handler, const Actor& actor, const UserId& user, std::string role, const UserId& lead,
                             const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        return decide(model.state(user), ChangeRole{user, actor, role, lead}, model.state(lead));
    });
}

Result<Accepted> set_user_active(CommandHandler& handler, const Actor& actor, const UserId& user, bool active, std::string reason,
                                 const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision { return decide(model.state(user), SetUserActive{user, actor, active, reason}); });
}

Result<Accepted> set_voice_profile(CommandHandler& handler, const Actor& actor, const SetVoiceProfile& command, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision { return decide(model.state(command.user_id), command); });
}

Result<Accepted> set_notification_preferences(CommandHandler& handler, const Actor& actor, const SetNotificationPreferences& command,
                                              const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision { return decide(model.state(command.user_id), command); });
}

}  // namespace debrief::commands
