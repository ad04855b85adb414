// PostgreSQL schema migrations for the dashboard read models, applied in order at start.
#pragma once

#include <string>

#include "common/result.hpp"

namespace debrief::projections {

// Applies every migration not yet recorded in schema_migrations; safe when several instances start at once.
Result<int> migrate(const std::string& connection_string);

}  // namespace debrief::projections
