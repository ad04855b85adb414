// libFuzzer target: a metrics import file through the CSV reader and the KPI file check (commands/metrics/).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "commands/metrics/csv.hpp"
#include "commands/metrics/metrics_file.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace debrief;
using namespace debrief::commands::metrics;

namespace {

const std::vector<Agent> agents = {
    {ClientId{"00000000-0000-4000-8000-000000000003"}, "Priya Shah", "priya@example.com"},
    {ClientId{"00000000-0000-4000-8000-000000000004"}, "Marcus Reed", "marcus@example.com"},
    {ClientId{"00000000-0000-4000-8000-000000000005"}, "José Álvarez", ""},
};

void check_csv(std::string_view text) {
    constexpr std::size_t max_records = 50;
    auto document = parse_csv(text, max_records);
    FUZZ_CHECK(document.records.size() <= max_records);
    if (document.truncated) FUZZ_CHECK(document.records.size() == max_records);
    std::size_t last_row = 0;
    for (const auto& record : document.records) {
        FUZZ_CHECK(record.row > last_row && !record.fields.empty());
        last_row = record.row;
        for (const auto& field : record.fields) FUZZ_CHECK(is_valid_utf8(field) && field.size() <= text.size());
    }
    for (const auto& problem : document.problems) FUZZ_CHECK(problem.row >= 1 && !problem.message.empty());
}

void check_file(std::string_view text) {
    auto check = read_metrics_file(text, agents);
    if (!check) {
        FUZZ_CHECK(check.error().code == "metrics_file_too_large");
        return;
    }
    std::size_t last_row = 0;
    for (const auto& error : check->errors) {
        FUZZ_CHECK(error.row >= 1 && !error.message.empty());
        FUZZ_CHECK(error.row >= last_row);  // in row order
        last_row = error.row;
    }
    if (!check->errors.empty()) return;
    FUZZ_CHECK(!check->file.metrics.empty() && check->file.metrics.size() <= max_metric_columns);
    for (const auto& metric : check->file.metrics) FUZZ_CHECK(!metric.empty() && metric.size() <= max_metric_name_length);
    FUZZ_CHECK(check->file.rows.size() <= max_metrics_rows);
    for (const auto& row : check->file.rows) {
        FUZZ_CHECK(row.row >= 2);
        FUZZ_CHECK(std::any_of(agents.begin(), agents.end(), [&](const Agent& a) { return a.id == row.client_id; }));
        for (const auto& value : row.values) {
            FUZZ_CHECK(std::isfinite(value.value));
            FUZZ_CHECK(std::find(check->file.metrics.begin(), check->file.metrics.end(), value.metric) != check->file.metrics.end());
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    check_csv(text);
    check_file(text);
    return 0;
}
