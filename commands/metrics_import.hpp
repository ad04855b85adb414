// The metrics import aggregate: a validated CSV of agent KPIs, staged for preview, then committed or discarded.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/actor.hpp"
#include "commands/client.hpp"
#include "commands/metrics/metrics_file.hpp"
#include "common/result.hpp"
#include "commands/user.hpp"
#include "events/event.hpp"

namespace debrief::commands {

enum class MetricsImportStatus { none, staged, committed, discarded };
std::string_view to_string(MetricsImportStatus status);

struct MetricsImportState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    UserId importer_id;
    MetricsImportStatus status = MetricsImportStatus::none;
    std::uint32_t row_count = 0;
    std::vector<events::MetricsRow> rows;  // kept while staged; folded into the clients' metrics on commit, then dropped
};

// Rows per event: with at most 20 KPIs a chunk of 1000 rows stays far below Kafka's 1 MiB message limit.
inline constexpr std::size_t metrics_rows_per_event = 1000;
inline constexpr std::size_t max_file_name_length = 255;

struct StageMetricsImport {
    MetricsImportId import_id;  // chosen by the handler
    Actor actor;
    std::string file_name;  // optional
    metrics::MetricsFile file;  // read and checked by metrics::read_metrics_file
};

struct CommitMetricsImport {
    MetricsImportId import_id;
    Actor actor;
};

struct DiscardMetricsImport {
    MetricsImportId import_id;
    Actor actor;
};

// The state of a client a file names, with its coach's, so decide can check the importer may manage it.
struct NamedClient {
    ClientState client;
    UserState coach;
};

Result<std::vector<events::Payload>> decide(const MetricsImportState& state, const StageMetricsImport& command,
                                            const std::map<ClientId, NamedClient>& named_clients);
// importer: the state of the user who staged the import.
Result<std::vector<events::Payload>> decide(const MetricsImportState& state, const CommitMetricsImport& command, const UserState& importer);
Result<std::vector<events::Payload>> decide(const MetricsImportState& state, const DiscardMetricsImport& command, const UserState& importer);
// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
void evolve(MetricsImportState& state, const events::MetricsImportStaged& event, const events::Metadata& metadata);
void evolve(MetricsImportState& state, const events::MetricsImportRowsStaged& event, const events::Metadata& metadata);
void evolve(MetricsImportState& state, const events::MetricsImportCommitted& event, const events::Metadata& metadata);
void evolve(MetricsImportState& state, const events::MetricsImportDiscarded& event, const events::Metadata& metadata);
using MetricsImport = Aggregate<MetricsImportId, MetricsImportState>;

}  // namespace debrief::commands
