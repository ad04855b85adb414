#include "commands/metrics_commands.hpp"

#include <map>

#include "commands/authorization.hpp"
#include "commands/metrics_import.hpp"

namespace debrief::commands {
using Decision = CommandHandler::Decision;

std::vector<metrics::Agent> metrics_agents(const CommandHandler& handler, const Actor& actor) {
    const auto& model = handler.model();
    std::vector<metrics::Agent> agents;
    if (refusal_to_import_metrics(actor)) return agents;
    for (const auto& [id, client] : model.clients_in(actor.organization_id))
        if (!refusal_to_manage_client(actor, client.coach_id, model.state(client.coach_id))) agents.push_back({id, client.name, client.email});
    return agents;
}

Result<Accepted> stage_metrics_import(CommandHandler& handler, const Actor& actor, metrics::MetricsFile file, std::string file_name,
                                      const CommandContext& context) {
    const auto& model = handler.model();
    StageMetricsImport command{MetricsImportId{handler.new_id()}, actor, std::move(file_name), std::move(file)};
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        std::map<ClientId, NamedClient> named;
        for (const auto& row : command.file.rows)
            if (!named.contains(row.client_id)) {
                auto client = model.state(row.client_id);
                named.emplace(row.client_id, NamedClient{client, model.state(client.coach_id)});
            }
        return decide(model.state(command.import_id), command, named);
    });
}

Result<Accepted> commit_metrics_import(CommandHandler& handler, const Actor& actor, const MetricsImportId& import, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model.state(import);
        return decide(state, CommitMetricsImport{import, actor}, model.state(state.importer_id));
    });
}

Result<Accepted> discard_metrics_import(CommandHandler& handler, const Actor& actor, const MetricsImportId& import, const CommandContext& context) {
    const auto& model = handler.model();
    return handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model.state(import);
        return decide(state, DiscardMetricsImport{import, actor}, model.state(state.importer_id));
    });
}

}  // namespace debrief::commands
