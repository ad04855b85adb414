#include "commands/api_key_commands.hpp"

#include "commands/api_key.hpp"

namespace debrief::commands {
using Decision = CommandHandler::Decision;

Result<Accepted> create_api_key(CommandHandler& handler, const Actor& actor, const ApiKeyId& id, std::string name, std::vector<std::string> scopes,
                                std::string secret_hash, const CommandContext& context) {
    const auto& model = handler.model();
    CreateApiKey command{id, actor, std::move(name), std::move(scopes)};
    auto decide_now = [&]() -> Decision { return decide(model.state(id), command, model.live_api_keys(actor.organization_id)); };
    if (!handler.is_retry(context)) {
        // Refused before anything is stored when it would be refused anyway; the decision under the lock has the last word.
        if (auto check = decide_now(); !check) return check.error();
        if (auto stored = handler.store_private(events::ApiKeySecret{id, actor.organization_id, std::move(secret_hash)}); !stored)
            return stored.error();
    }
    return handler.execute(actor.organization_id, context, decide_now);
}

Result<Accepted> revoke_api_key(CommandHandler& handler, const Actor& actor, const ApiKeyId& id, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision { return decide(model.state(id), RevokeApiKey{id, actor}); });
}

Result<Accepted> record_api_key_use(CommandHandler& handler, const Actor& actor, const ApiKeyId& id, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto key = model.state(id);
        if (!key.exists || key.organization_id != actor.organization_id || key.revoked_at_ms != 0)
            return not_found("api_key_not_found", "no such API key");
        return std::vector<events::Payload>{events::ApiKeyUsed{id}};
    });
}

}  // namespace debrief::commands
