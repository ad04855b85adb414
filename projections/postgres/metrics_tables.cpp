// Event handlers for metrics imports and client metrics, and the queries behind the import preview and session prep.
#include "projections/postgres/metrics_tables.hpp"

#include <array>

#include <pqxx/pqxx>

#include <boost/json.hpp>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {
namespace {

std::string rows_json(const std::vector<events::MetricsRow>& rows) {
    boost::json::array out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        boost::json::object values;
        for (const auto& v : row.values) values[v.metric] = v.value;
        out.push_back(boost::json::object{{"row", row.row}, {"client_id", row.client_id.value}, {"date", row.date}, {"values", std::move(values)}});
    }
    return boost::json::serialize(out);
}

void insert_rows(pqxx::transaction_base& tx, const events::Metadata& m, const MetricsImportId& id, const std::vector<events::MetricsRow>& rows) {
    if (rows.empty()) return;
    write_sql(tx,
        "insert into metrics_import_rows (import_id, organization_id, row_number, client_id, metric_date, metric_values) "
        "select $1, $2, (r->>'row')::int, r->>'client_id', (r->>'date')::date, r->'values' from jsonb_array_elements($3::jsonb) r "
        "on conflict (import_id, row_number) do nothing",
        id.value, m.organization_id.value, rows_json(rows));
}

const char* const rfc3339 = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";

}  // namespace

// The events these tables do not change.
using MetricsTablesIgnore = events::IgnoreAggregates<ApiKeyId, OrganizationId, UserId, SessionId, ClientId, SummaryId, ActionItemId, NoteId, TemplateId, FollowUpId>;

void apply_to_metrics_tables(pqxx::transaction_base& tx, const events::Event& event) {
    const auto& m = event.metadata;
    const double occurred_ms = static_cast<double>(m.occurred_at_ms);
    const std::string at_time = event_time_sql;
    const auto version = static_cast<std::int64_t>(m.aggregate_version);
    events::visit_exhaustive<MetricsTablesIgnore>(event.payload, overloaded{
                   [&](const events::MetricsImportStaged& e) {
                       boost::json::array metrics;
                       for (const auto& name : e.metrics) metrics.push_back(boost::json::string(name));
                       insert_row_sql(tx, "insert into metrics_imports (id, organization_id, importer_id, file_name, status, row_count, metrics, "
                                      "version, created_at) values ($2, $3, $4, $5, 'staged', $6, $7::jsonb, $8, " +
                                          at_time + ") on conflict (id) do nothing",
                                      occurred_ms, e.import_id.value, m.organization_id.value, e.importer_id.value, e.file_name,
                                      static_cast<std::int64_t>(e.row_count), boost::json::serialize(metrics), version);
                       insert_rows(tx, m, e.import_id, e.rows);
                   },
                   [&](const events::MetricsImportRowsStaged& e) {
                       insert_rows(tx, m, e.import_id, e.rows);
                       write_sql(tx, "update metrics_imports set version = $2 where id = $1 and version < $2", e.import_id.value, version);
                   },
                   [&](const events::MetricsImportCommitted& e) {
                       auto updated = exec_prepared_sql(tx, "update metrics_imports set status = 'committed', version = $3, settled_at = " + at_time +
                                                         " where id = $2 and version < $3",
                                                     occurred_ms, e.import_id.value, version);
                       if (updated.affected_rows() == 0) return;
                       // A later import overwrites the same client, metric and day.
                       write_sql(tx,
                           "insert into client_metrics (organization_id, client_id, metric, metric_date, value, import_id) "
                           "select r.organization_id, r.client_id, v.key, r.metric_date, (v.value #>> '{}')::double precision, r.import_id "
                           "from metrics_import_rows r, jsonb_each(r.metric_values) v where r.import_id = $1 "
                           "on conflict (organization_id, client_id, metric, metric_date) do update set value = excluded.value, "
                           "import_id = excluded.import_id",
                           e.import_id.value);
                   },
                   [&](const events::MetricsImportDiscarded& e) {
                       auto updated = exec_prepared_sql(tx, "update metrics_imports set status = 'discarded', version = $3, settled_at = " + at_time +
                                                         " where id = $2 and version < $3",
                                                     occurred_ms, e.import_id.value, version);
                       if (updated.affected_rows() > 0) exec_prepared_sql(tx, "delete from metrics_import_rows where import_id = $1", e.import_id.value);
                   },
               });
}

std::optional<MetricsImportRow> find_metrics_import(pqxx::connection_base& connection, const commands::Actor& actor, const MetricsImportId& id) {
    if (actor.role == "client") return std::nullopt;
    pqxx::read_transaction tx{connection};
    auto rows = exec_prepared_sql(tx,
        std::string("select i.id, i.importer_id, i.file_name, i.status, i.row_count, i.metrics::text, i.version, "
                    "to_char(i.created_at at time zone 'utc', ") + rfc3339 + "), coalesce(to_char(i.settled_at at time zone 'utc', " + rfc3339 +
            "), ''), (select count(distinct client_id) from metrics_import_rows r where r.import_id = i.id) "
            "from metrics_imports i left join users u on u.id = i.importer_id "
            "where i.id = $1 and i.organization_id = $2 and ($4 = 'admin' or i.importer_id = $3 or ($4 = 'coach_lead' and u.lead_id = $3))",
        id.value, actor.organization_id.value, actor.user_id.value, actor.role);
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    MetricsImportRow row{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<int>(), {},
                         r[6].as<std::uint64_t>(), r[7].as<std::string>(), r[8].as<std::string>(), r[9].as<int>()};
    auto metrics = boost::json::parse(r[5].as<std::string>());  // kept: a range-for over a temporary's member would dangle
    for (const auto& name : metrics.as_array()) row.metrics.emplace_back(name.as_string());
    return row;
}

std::vector<MetricsPreviewRow> metrics_import_preview(pqxx::connection_base& connection, const commands::Actor& actor, const MetricsImportId& id,
                                                      int limit) {
    pqxx::read_transaction tx{connection};
    std::vector<MetricsPreviewRow> out;
    for (const auto& r : exec_prepared_sql(tx, "select r.row_number, r.client_id, coalesce(c.name, ''), to_char(r.metric_date, 'YYYY-MM-DD'), "
                                        "r.metric_values::text from metrics_import_rows r left join clients c on c.id = r.client_id "
                                        "where r.import_id = $1 and r.organization_id = $2 order by r.row_number limit $3",
                                        id.value, actor.organization_id.value, limit))
        out.push_back({r[0].as<int>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>()});
    return out;
}

std::vector<ClientMetricSeries> client_metric_series(pqxx::transaction_base& tx, const OrganizationId& organization, const ClientId& client,
                                                     int per_metric) {
    std::vector<ClientMetricSeries> out;
    for (const auto& r : exec_prepared_sql(tx,
             "select metric, to_char(metric_date, 'YYYY-MM-DD'), value, import_id from (select *, row_number() over "
             "(partition by metric order by metric_date desc) as n from client_metrics where organization_id = $1 and client_id = $2) m "
             "where n <= $3 order by metric, metric_date desc",
             organization.value, client.value, per_metric)) {
        auto metric = r[0].as<std::string>();
        if (out.empty() || out.back().metric != metric) out.push_back({metric, {}});
        out.back().values.push_back({r[1].as<std::string>(), r[2].as<double>(), r[3].as<std::string>()});
    }
    return out;
}

std::vector<ClientMetricSeries> client_metric_series(pqxx::connection_base& connection, const OrganizationId& organization, const ClientId& client,
                                                     int per_metric) {
    pqxx::read_transaction tx{connection};
    return client_metric_series(tx, organization, client, per_metric);
}

std::span<const MigrationStep> metrics_migrations() {
    static constexpr std::array<MigrationStep, 1> steps{{
        // 11: metrics imports: staged rows for the preview, and client metrics per day written only on commit.
        {11, R"sql(
create table metrics_imports (
  id text primary key,
  organization_id text not null,
  importer_id text not null,
  file_name text not null,
  status text not null,
  row_count int not null,
  metrics jsonb not null,
  version bigint not null,
  created_at timestamptz not null,
  settled_at timestamptz
);
create index metrics_imports_by_organization on metrics_imports (organization_id, created_at desc);
create table metrics_import_rows (
  import_id text not null,
  organization_id text not null,
  row_number int not null,
  client_id text not null,
  metric_date date not null,
  metric_values jsonb not null,
  primary key (import_id, row_number)
);
create table client_metrics (
  organization_id text not null,
  client_id text not null,
  metric text not null,
  metric_date date not null,
  value double precision not null,
  import_id text not null,
  primary key (organization_id, client_id, metric, metric_date)
);
)sql"},
    }};
    return steps;
}

}  // namespace debrief::projections
