// Event handlers and role-scoped queries for templates.
#include "projections/postgres/template_tables.hpp"

#include <array>

#include <pqxx/pqxx>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {

// The events these tables do not change.
using TemplateTablesIgnore =
    events::IgnoreAggregates<ApiKeyId, OrganizationId, UserId, SessionId, ClientId, SummaryId, ActionItemId, NoteId, FollowUpId, MetricsImportId>;

void apply_to_template_tables(pqxx::transaction_base& tx, const events::Event& event) {
    const auto& m = event.metadata;
    const double occurred_ms = static_cast<double>(m.occurred_at_ms);
    const std::string at_time = event_time_sql;
    const auto version = static_cast<std::int64_t>(m.aggregate_version);
    events::visit_exhaustive<TemplateTablesIgnore>(event.payload, overloaded{
                   [&](const events::TemplateCreated& e) {
                       insert_row_sql(tx, "insert into templates (id, organization_id, owner_id, kind, name, subject, body, version, created_at, "
                                      "updated_at) values ($2, $3, nullif($4, ''), $5, $6, $7, $8, $9, " +
                                          at_time + ", " + at_time + ") on conflict (id) do nothing",
                                      occurred_ms, e.template_id.value, m.organization_id.value, e.owner_id.value, e.kind, e.name, e.subject, e.body,
                                      version);
                   },
                   [&](const events::TemplateRevised& e) {
                       write_sql(tx, "update templates set name = $4, subject = $5, body = $6, version = $3, updated_at = " + at_time +
                                          " where id = $2 and version < $3",
                                      occurred_ms, e.template_id.value, version, e.name, e.subject, e.body);
                   },
               });
}

std::vector<TemplateRow> list_templates(pqxx::connection_base& connection, const commands::Actor& actor, const std::string& kind) {
    pqxx::read_transaction tx{connection};
    auto rows = exec_prepared_sql(tx,
        "select t.id, t.kind, t.name, t.subject, t.body, coalesce(t.owner_id, ''), t.version, " + rfc3339_millis_sql("t.updated_at") +
            " from templates t where t.organization_id = $1 and ($3 = '' or t.kind = $3) and (t.owner_id is null or t.owner_id = $2 "
            "or (select role from users where id = $2 and organization_id = $1) = 'admin' "
            "or t.owner_id in (select id from users where organization_id = $1 and lead_id = $2)) order by t.created_at desc, t.id",
        actor.organization_id.value, actor.user_id.value, kind);
    std::vector<TemplateRow> templates;
    for (const auto& r : rows)
        templates.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>(),
                             r[5].as<std::string>(), r[6].as<std::uint64_t>(), r[7].as<std::string>()});
    return templates;
}

std::span<const MigrationStep> template_migrations() {
    static constexpr std::array<MigrationStep, 1> steps{{
        // 9: templates (organization-wide or a coach's).
        {9, R"sql(
create table templates (
  id text primary key,
  organization_id text not null,
  owner_id text,
  kind text not null,
  name text not null,
  subject text not null,
  body text not null,
  version bigint not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index templates_by_organization on templates (organization_id, kind, created_at);
)sql"},
    }};
    return steps;
}

}  // namespace debrief::projections
