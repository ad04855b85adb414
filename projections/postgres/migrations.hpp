// PostgreSQL schema migrations for the read models, gathered from every table area and applied in order at start.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "projections/postgres/schema_migration.hpp"

namespace debrief::projections {

// Every area's steps and the projector's own (offsets, dead letters), ordered by number, then by area.
std::vector<MigrationStep> migration_steps();
// Why these steps cannot be applied: a number missing, below 1, or a step without SQL. nullopt when they can.
std::optional<std::string> misnumbered(const std::vector<MigrationStep>& steps);

// Applies every migration not yet recorded in schema_migrations; safe when several instances start at once.
Result<int> migrate(const std::string& connection_string);

}  // namespace debrief::projections
