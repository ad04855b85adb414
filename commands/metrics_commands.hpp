// The metrics area's commands: a KPI file staged for a preview, then committed or discarded.
#pragma once

#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"
#include "commands/metrics/metrics_file.hpp"

namespace debrief::commands {

// The clients a metrics file of this actor may name: those the actor may manage.
std::vector<metrics::Agent> metrics_agents(const CommandHandler& handler, const Actor& actor);
// file: already read and checked whole (metrics::read_metrics_file); decide checks roles and every named client.
Result<Accepted> stage_metrics_import(CommandHandler& handler, const Actor& actor, metrics::MetricsFile file, std::string file_name,
                                      const CommandContext& context);
Result<Accepted> commit_metrics_import(CommandHandler& handler, const Actor& actor, const MetricsImportId& import, const CommandContext& context);
Result<Accepted> discard_metrics_import(CommandHandler& handler, const Actor& actor, const MetricsImportId& import, const CommandContext& context);

}  // namespace debrief::commands
