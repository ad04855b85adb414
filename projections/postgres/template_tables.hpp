// The templates table: e-mail and prompt templates, organization-wide or a coach's own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "events/event.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/schema_migration.hpp"

namespace debrief::projections {

// Applies one event inside the projector's transaction; the projector makes sure each event is applied once.
void apply_to_template_tables(pqxx::transaction_base& tx, const events::Event& event);
// The area's parts of the numbered schema migrations (see schema_migration.hpp).
std::span<const MigrationStep> template_migrations();

struct TemplateRow {
    std::string id;
    std::string kind;
    std::string name;
    std::string subject;
    std::string body;
    std::string owner_id;  // empty: organization-wide; "system" for the built-in defaults
    std::uint64_t version = 0;
    std::string updated_at;
};

// The organization-wide templates and those of the coaches the actor may act for (an admin: all), newest first.
std::vector<TemplateRow> list_templates(pqxx::connection_base& connection, const commands::Actor& actor, const std::string& kind);

}  // namespace debrief::projections
