// A CSV of agent KPIs read and checked whole: every row's errors with its row number, or the rows to stage.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "events/event.hpp"

namespace debrief::commands::metrics {

inline constexpr std::size_t max_metrics_file_bytes = 5 * 1024 * 1024;
inline constexpr std::size_t max_metrics_rows = 20'000;  // data rows, the header not counted
inline constexpr std::size_t max_metric_columns = 20;
inline constexpr std::size_t max_metric_name_length = 40;

// A client the importer may manage, as the file may name it.
struct Agent {
    ClientId id;
    std::string name;
    std::string email;
};

struct RowError {
    std::size_t row = 0;  // as a spreadsheet shows it: the header is row 1
    std::string column;   // the column's header as written, or empty for the whole row or file
    std::string message;
    bool operator==(const RowError&) const = default;
};

struct MetricsFile {
    std::vector<std::string> metrics;  // normalised KPI names, in column order
    std::vector<events::MetricsRow> rows;
};

struct MetricsFileCheck {
    MetricsFile file;
    std::vector<RowError> errors;  // all of them, in row order; the file may be staged only when empty
};

// Header: an agent column (client_id, email, or client/name/agent), a date column, KPI columns. Team, site, coach
// and notes columns are ignored. Too large a file is the one error that is not a row error.
Result<MetricsFileCheck> read_metrics_file(std::string_view bytes, const std::vector<Agent>& agents);

// "AHT (seconds)" -> "aht_seconds": lower-case ASCII words joined by underscores.
std::string snake_case(std::string_view header);
// "87%" -> 87, " 4.5 " -> 4.5; nothing for text that is not a finite number.
std::optional<double> parse_number(std::string_view cell);

}  // namespace debrief::commands::metrics
