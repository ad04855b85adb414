// What a client's erasure removes from the PostgreSQL read model: every column, of every table, that holds what
// Debrief knew of the person. The one place that names them all; a new personal column must be added here.
#pragma once

#include <span>

#include "events/event.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/schema_migration.hpp"

namespace debrief::projections {

void apply_to_erasure(pqxx::transaction_base& tx, const events::Event& event);
std::span<const MigrationStep> erasure_migrations();  // none: it owns no table

}  // namespace debrief::projections
