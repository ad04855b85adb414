// Metrics import decisions: who may import, whose clients a file may name, and who may commit or discard it, once.
#include "commands/metrics_import.hpp"

#include <algorithm>

#include "commands/authorization.hpp"
#include "commands/metrics/csv.hpp"
#include "commands/text_rules.hpp"

namespace debrief::commands {

std::string_view to_string(MetricsImportStatus status) {
    switch (status) {
        case MetricsImportStatus::staged: return "staged";
        case MetricsImportStatus::committed: return "committed";
        case MetricsImportStatus::discarded: return "discarded";
        case MetricsImportStatus::none: break;
    }
    return "none";
}

namespace {

// The importer themselves, an admin, or the coach lead of the importer.
std::optional<Error> may_settle(const Actor& actor, const MetricsImportState& state, const UserState& importer) {
    if (auto refused = refusal_to_import_metrics(actor)) return refused;
    if (actor.role == "admin" || actor.user_id == state.importer_id) return std::nullopt;
    if (actor.role == "coach_lead" && importer.lead_id == actor.user_id) return std::nullopt;
    return Error{ErrorKind::forbidden, "forbidden", "only the importer, their coach lead or an admin may commit or discard an import"};
}

std::optional<Error> check_settle(const MetricsImportState& state, const Actor& actor, const UserState& importer) {
    if (!state.exists || !visible_to(actor, state.organization_id)) return not_found("import_not_found", "no such metrics import");
    if (auto refused = may_settle(actor, state, importer)) return refused;
    if (state.status == MetricsImportStatus::committed) return conflict("import_committed", "the import is already committed");
    if (state.status == MetricsImportStatus::discarded) return conflict("import_discarded", "the import is already discarded");
    return std::nullopt;
}

}  // namespace

Result<std::vector<events::Payload>> decide(const MetricsImportState& state, const StageMetricsImport& command,
                                            const std::map<ClientId, NamedClient>& named_clients) {
    if (auto refused = refusal_to_import_metrics(command.actor)) return *refused;
    if (state.exists) return conflict("import_exists", "a metrics import with this id already exists");
    auto file_name = std::string(trim(command.file_name));
    if (file_name.size() > max_file_name_length) return invalid("invalid_field", "file_name is at most 255 characters");
    if (std::any_of(file_name.begin(), file_name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        return invalid("invalid_field", "file_name must not contain control characters");
    // The name comes from the query string, which JSON's UTF-8 check never saw; PostgreSQL refuses such text.
    if (!metrics::is_valid_utf8(file_name)) return invalid("invalid_field", "file_name must be valid UTF-8");
    const auto& file = command.file;
    if (file.rows.empty() || file.metrics.empty()) return invalid("metrics_empty", "the import has no rows");
    if (file.rows.size() > metrics::max_metrics_rows) return invalid("metrics_too_many_rows", "an import has at most 20000 rows");
    for (const auto& row : file.rows) {
        auto it = named_clients.find(row.client_id);
        if (it == named_clients.end() || !it->second.client.exists || !visible_to(command.actor, it->second.client.organization_id))
            return not_found("client_not_found", "no client '" + row.client_id.value + "' (row " + std::to_string(row.row) + ")");
        if (auto refused = refusal_to_manage_client(command.actor, it->second.client.coach_id, it->second.coach)) return *refused;
    }

    std::vector<events::Payload> events;
    const auto& rows = file.rows;
    auto chunk_end = [&](std::size_t from) { return rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), from + metrics_rows_per_event)); };
    events.push_back(events::MetricsImportStaged{command.import_id, command.actor.user_id, file_name, static_cast<std::uint32_t>(rows.size()),
                                                 file.metrics, std::vector<events::MetricsRow>(rows.begin(), chunk_end(0))});
    for (std::size_t from = metrics_rows_per_event; from < rows.size(); from += metrics_rows_per_event)
        events.push_back(events::MetricsImportRowsStaged{command.import_id,
                                                         std::vector<events::MetricsRow>(rows.begin() + static_cast<std::ptrdiff_t>(from), chunk_end(from))});
    return events;
}

Result<std::vector<events::Payload>> decide(const MetricsImportState& state, const CommitMetricsImport& command, const UserState& importer) {
    if (auto refused = check_settle(state, command.actor, importer)) return *refused;
    return std::vector<events::Payload>{events::MetricsImportCommitted{command.import_id}};
}

Result<std::vector<events::Payload>> decide(const MetricsImportState& state, const DiscardMetricsImport& command, const UserState& importer) {
    if (auto refused = check_settle(state, command.actor, importer)) return *refused;
    return std::vector<events::Payload>{events::MetricsImportDiscarded{command.import_id}};
}

void evolve(MetricsImportState& state, const events::MetricsImportStaged& staged, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = m.organization_id;
    state.importer_id = staged.importer_id;
    state.status = MetricsImportStatus::staged;
    state.row_count = staged.row_count;
    state.rows = staged.rows;
}

void evolve(MetricsImportState& state, const events::MetricsImportRowsStaged& more, const events::Metadata&) {
    state.rows.insert(state.rows.end(), more.rows.begin(), more.rows.end());
}

void evolve(MetricsImportState& state, const events::MetricsImportCommitted&, const events::Metadata&) {
    state.status = MetricsImportStatus::committed;
    state.rows.clear();  // now the clients' metrics (the write model folds them before this)
    state.rows.shrink_to_fit();
}

void evolve(MetricsImportState& state, const events::MetricsImportDiscarded&, const events::Metadata&) {
    state.status = MetricsImportStatus::discarded;
    state.rows.clear();
    state.rows.shrink_to_fit();
}

}  // namespace debrief::commands
