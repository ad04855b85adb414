// The metrics tables: staged imports and their rows (for the preview), and committed client metrics per day.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "events/event.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/schema_migration.hpp"

namespace debrief::projections {

// Applies one event inside the projector's transaction; the projector makes sure each event is applied once.
void apply_to_metrics_tables(pqxx::transaction_base& tx, const events::Event& event);
// The area's parts of the numbered schema migrations (see schema_migration.hpp).
std::span<const MigrationStep> metrics_migrations();

struct MetricsImportRow {
    std::string id;
    std::string importer_id;
    std::string file_name;
    std::string status;  // staged | committed | discarded
    int row_count = 0;
    std::vector<std::string> metrics;
    std::uint64_t version = 0;
    std::string created_at;    // RFC 3339
    std::string settled_at;    // when committed or discarded, else empty
    int client_count = 0;
};

struct MetricsPreviewRow {
    int row = 0;
    std::string client_id;
    std::string client_name;
    std::string date;
    std::string values_json;  // {"csat": 4.6, ...}
};

// Visible to an admin, the importer, and the importer's coach lead, within the organization.
std::optional<MetricsImportRow> find_metrics_import(pqxx::connection_base& connection, const commands::Actor& actor, const MetricsImportId& id);
// The first rows of an import in file order; empty once discarded.
std::vector<MetricsPreviewRow> metrics_import_preview(pqxx::connection_base& connection, const commands::Actor& actor, const MetricsImportId& id,
                                                      int limit);

struct MetricValueRow {
    std::string date;
    double value = 0;
    std::string import_id;
};

struct ClientMetricSeries {
    std::string metric;
    std::vector<MetricValueRow> values;  // newest first
};

// A client's committed metrics, the newest per_metric values of each, by metric name. The caller checks that the
// actor may see the client (find_client).
std::vector<ClientMetricSeries> client_metric_series(pqxx::connection_base& connection, const OrganizationId& organization, const ClientId& client,
                                                     int per_metric);
std::vector<ClientMetricSeries> client_metric_series(pqxx::transaction_base& tx, const OrganizationId& organization, const ClientId& client,
                                                     int per_metric);

}  // namespace debrief::projections
