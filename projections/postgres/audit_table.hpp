// The audit read model: audit_records, one row per record of the `debrief.audit` topic, for the admins' query.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "events/audit_record.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/schema_migration.hpp"

namespace debrief::projections {

std::span<const MigrationStep> audit_migrations();

// Kept once however often it is delivered (the topic is at-least-once across a crash).
void insert_audit_record(pqxx::transaction_base& tx, const events::AuditRecord& record);
// Deletes the records older than the retention; answers how many.
std::int64_t purge_audit_records(pqxx::transaction_base& tx, std::int64_t retention_days);

struct AuditQuery {
    OrganizationId organization_id;
    std::string subject_id;  // empty: any
    std::string actor_id;    // empty: any
    std::optional<std::int64_t> from_ms;  // at or after
    std::optional<std::int64_t> to_ms;    // before
    std::size_t limit = 100;
};
// Newest first.
std::vector<events::AuditRecord> find_audit_records(pqxx::connection_base& connection, const AuditQuery& query);

}  // namespace debrief::projections
