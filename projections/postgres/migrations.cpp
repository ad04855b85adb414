// The migrator, and the migrations of the projector's own tables: where it is in each partition, what it set aside.
#include "projections/postgres/migrations.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <array>

#include "projections/postgres/audit_table.hpp"
#include "projections/postgres/table_areas.hpp"

namespace debrief::projections {
namespace {

constexpr std::array<MigrationStep, 2> projector_steps{{
        // 1: where the projector is in each partition.
        {1, R"sql(
create table projection_offsets (
  projector text not null,
  topic text not null,
  partition int not null,
  next_offset bigint not null,
  primary key (projector, topic, partition)
);
)sql"},
        // 12: events the PostgreSQL projector set aside (also on the dead-letter topic), with their bytes for a retry.
        {12, R"sql(
create table projection_dead_letters (
  projector text not null,
  topic text not null,
  partition int not null,
  "offset" bigint not null,
  organization_id text not null,
  event_type text not null,
  event_id text not null,
  error text not null,
  payload bytea not null,
  status text not null,
  at timestamptz not null,
  retried_at timestamptz,
  primary key (projector, topic, partition, "offset")
);
create index projection_dead_letters_by_organization on projection_dead_letters (organization_id, at desc);
)sql"},
}};

}  // namespace

std::vector<MigrationStep> migration_steps() {
    std::vector<MigrationStep> steps;
    for (const auto& area : table_areas)
        for (const auto& step : area.migrations()) steps.push_back(step);
    steps.insert(steps.end(), projector_steps.begin(), projector_steps.end());
    const auto audit = audit_migrations();  // the audit read model, fed by the audit topic, not by events
    steps.insert(steps.end(), audit.begin(), audit.end());
    std::stable_sort(steps.begin(), steps.end(), [](const MigrationStep& a, const MigrationStep& b) { return a.version < b.version; });
    return steps;
}

std::optional<std::string> misnumbered(const std::vector<MigrationStep>& steps) {
    int expected = 1;
    for (const auto& step : steps) {
        if (step.sql.find_first_not_of(" \n") == std::string_view::npos)
            return "migration " + std::to_string(step.version) + " has a step without SQL";
        if (step.version == expected - 1 && expected > 1) continue;  // another area's part of the same number
        if (step.version != expected)
            return "migration " + std::to_string(expected) + " is missing (the next step is numbered " + std::to_string(step.version) + ")";
        ++expected;
    }
    return std::nullopt;
}

Result<int> migrate(const std::string& connection_string) {
    auto steps = migration_steps();
    if (auto why = misnumbered(steps)) return Error{ErrorKind::internal, "migrations_misnumbered", *why};
    try {
        pqxx::connection connection{connection_string};
        pqxx::work tx{connection};
        tx.exec("select pg_advisory_xact_lock(734210)");  // one migrator at a time across instances
        tx.exec("create table if not exists schema_migrations (version int primary key, applied_at timestamptz not null default now())");
        auto applied = tx.exec("select coalesce(max(version), 0) from schema_migrations")[0][0].as<int>();
        int count = 0;
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const auto version = steps[i].version;
            if (version <= applied) continue;
            tx.exec(std::string(steps[i].sql));
            if (i + 1 < steps.size() && steps[i + 1].version == version) continue;  // the number's other parts first
            tx.exec_params("insert into schema_migrations (version) values ($1)", version);
            ++count;
        }
        tx.commit();
        return count;
    } catch (const std::exception& e) {
        return Error{ErrorKind::unavailable, "database_unavailable", std::string("migrations: ") + e.what()};
    }
}

}  // namespace debrief::projections
