// audit_records: its migration, writes and the admins' query (one index per filter an admin starts from).
#include "projections/postgres/audit_table.hpp"

#include <pqxx/pqxx>

#include <array>

#include "projections/postgres/prepared_sql.hpp"

namespace debrief::projections {
namespace {

constexpr std::array<MigrationStep, 1> steps{{
        // 14: every read of private material, ids only.
        {14, R"sql(
create table audit_records (
  id text primary key,
  organization_id text not null,
  actor_id text not null,
  actor_role text not null,
  action text not null,
  resource text not null,
  subject_id text not null,
  outcome text not null,
  at timestamptz not null,
  address text not null,
  correlation_id text not null
);
create index audit_records_by_subject on audit_records (organization_id, subject_id, at desc);
create index audit_records_by_actor on audit_records (organization_id, actor_id, at desc);
create index audit_records_by_time on audit_records (organization_id, at desc);
)sql"},
}};

}  // namespace

std::span<const MigrationStep> audit_migrations() { return steps; }

void insert_audit_record(pqxx::transaction_base& tx, const events::AuditRecord& r) {
    insert_row_sql(tx,
                   "insert into audit_records (at, id, organization_id, actor_id, actor_role, action, resource, subject_id, outcome, address, "
                   "correlation_id) values (to_timestamp($1::double precision / 1000), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                   "on conflict (id) do nothing",
                   r.at_ms, r.id, r.organization_id.value, r.actor_id.value, r.actor_role, r.action, r.resource, r.subject_id, r.outcome, r.address,
                   r.correlation_id);
}

std::int64_t purge_audit_records(pqxx::transaction_base& tx, std::int64_t retention_days) {
    return exec_prepared_sql(tx, "delete from audit_records where at < now() - make_interval(days => $1::int)", retention_days).affected_rows();
}

std::vector<events::AuditRecord> find_audit_records(pqxx::connection_base& connection, const AuditQuery& q) {
    pqxx::read_transaction tx{connection};
    // One statement for every combination of filters: an empty filter matches all ('' = $2 is true).
    auto rows = exec_prepared_sql(
            tx,
            "select id, organization_id, actor_id, actor_role, action, resource, subject_id, outcome, "
            "(extract(epoch from at) * 1000)::bigint, address, correlation_id from audit_records "
            "where organization_id = $1 and ($2 = '' or subject_id = $2) and ($3 = '' or actor_id = $3) "
            "and ($4::bigint is null or at >= to_timestamp($4::double precision / 1000)) "
            "and ($5::bigint is null or at < to_timestamp($5::double precision / 1000)) "
            "order by at desc, id desc limit $6",
            q.organization_id.value, q.subject_id, q.actor_id, q.from_ms, q.to_ms, static_cast<std::int64_t>(q.limit));
    std::vector<events::AuditRecord> records;
    for (const auto& row : rows)
        records.push_back({row[0].as<std::string>(), {row[1].as<std::string>()}, {row[2].as<std::string>()}, row[3].as<std::string>(),
                           row[4].as<std::string>(), row[5].as<std::string>(), row[6].as<std::string>(), row[7].as<std::string>(),
                           row[8].as<std::int64_t>(), row[9].as<std::string>(), row[10].as<std::string>()});
    return records;
}

}  // namespace debrief::projections
