// Reading a KPI file: header roles, agents resolved to the importer's clients, calendar dates, numbers, duplicates.
#include "commands/metrics/metrics_file.hpp"

#include <algorithm>
#include <cctype>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <variant>

#include "commands/client.hpp"
#include "commands/metrics/csv.hpp"
#include "commands/organization.hpp"
#include "commands/session.hpp"
#include "commands/text_rules.hpp"

namespace debrief::commands::metrics {

std::string snake_case(std::string_view header) {
    std::string out;
    bool gap = false;
    for (unsigned char c : header) {
        if (std::isalnum(c) && c < 0x80) {
            if (gap && !out.empty()) out += '_';
            gap = false;
            out += static_cast<char>(std::tolower(c));
        } else {
            gap = true;
        }
    }
    return out;
}

std::optional<double> parse_number(std::string_view cell) {
    auto text = trim(cell);
    if (!text.empty() && text.back() == '%') text = trim(text.substr(0, text.size() - 1));
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    if (text.empty()) return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

namespace {

enum class AgentKey { client_id, email, name };

// In order of preference.
constexpr std::array<std::pair<std::string_view, AgentKey>, 9> agent_columns{{{"client_id", AgentKey::client_id},
                                                                            {"agent_id", AgentKey::client_id},
                                                                            {"email", AgentKey::email},
                                                                            {"agent_email", AgentKey::email},
                                                                            {"client", AgentKey::name},
                                                                            {"name", AgentKey::name},
                                                                            {"agent", AgentKey::name},
                                                                            {"agent_name", AgentKey::name},
                                                                            {"client_name", AgentKey::name}}};
constexpr std::array<std::string_view, 8> ignored_columns{"team", "site", "coach", "supervisor", "notes", "note", "comment", "comments"};

struct Header {
    std::optional<std::size_t> agent_column;
    AgentKey agent_key = AgentKey::name;
    std::optional<std::size_t> date_column;
    std::vector<std::pair<std::size_t, std::string>> metric_columns;  // column index, normalised name
};

Header read_header(const CsvRecord& header, std::vector<RowError>& errors) {
    Header h;
    std::map<std::string, std::size_t> agent_candidates;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const auto& raw = header.fields[i];
        auto name = snake_case(raw);
        if (name.empty()) {
            errors.push_back({header.row, raw, "every column needs a name"});
            continue;
        }
        if (!seen.insert(name).second) {
            errors.push_back({header.row, raw, "the column '" + name + "' appears twice"});
            continue;
        }
        if (std::any_of(agent_columns.begin(), agent_columns.end(), [&](const auto& column) { return column.first == name; })) {
            agent_candidates[name] = i;
        } else if (name == "date") {
            h.date_column = i;
        } else if (std::find(ignored_columns.begin(), ignored_columns.end(), name) == ignored_columns.end()) {
            if (name.size() > max_metric_name_length)
                errors.push_back({header.row, raw, "a KPI name is at most " + std::to_string(max_metric_name_length) + " characters"});
            else
                h.metric_columns.emplace_back(i, name);
        }
    }
    // The most precise identifier wins when a file has several: an id, then an e-mail address, then a name.
    for (const auto& [name, key] : agent_columns)
        if (auto it = agent_candidates.find(std::string(name)); !h.agent_column && it != agent_candidates.end()) {
            h.agent_column = it->second;
            h.agent_key = key;
        }
    if (!h.agent_column) errors.push_back({header.row, "", "the header needs an agent column: client_id, email, or client/name"});
    if (!h.date_column) errors.push_back({header.row, "", "the header needs a date column"});
    if (h.metric_columns.empty()) errors.push_back({header.row, "", "the header needs at least one KPI column (e.g. csat, aht_seconds)"});
    if (h.metric_columns.size() > max_metric_columns)
        errors.push_back({header.row, "", "a file may have at most " + std::to_string(max_metric_columns) + " KPI columns"});
    return h;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

class AgentIndex {
public:
    explicit AgentIndex(const std::vector<Agent>& agents) {
        for (const auto& a : agents) {
            by_id_[lower(a.id.value)].push_back(a.id);
            if (!a.email.empty()) by_email_[normalize_email(a.email)].push_back(a.id);
            by_name_[client_name_key(a.name)].push_back(a.id);
        }
    }
    // The client, or the message of a row error.
    std::variant<ClientId, std::string> resolve(AgentKey key, std::string_view cell) const {
        auto text = std::string(trim(cell));
        if (text.empty()) return std::string("the agent is missing");
        const auto& index = key == AgentKey::client_id ? by_id_ : key == AgentKey::email ? by_email_ : by_name_;
        auto lookup = key == AgentKey::client_id ? lower(text) : key == AgentKey::email ? normalize_email(text) : client_name_key(text);
        auto it = index.find(lookup);
        if (it == index.end()) return "no client '" + text + "' among the clients you manage";
        if (it->second.size() > 1)
            return "'" + text + "' names " + std::to_string(it->second.size()) + " of your clients; use a client_id or email column";
        return it->second.front();
    }

private:
    std::map<std::string, std::vector<ClientId>> by_id_, by_email_, by_name_;
};

}  // namespace

Result<MetricsFileCheck> read_metrics_file(std::string_view bytes, const std::vector<Agent>& agents) {
    if (bytes.size() > max_metrics_file_bytes)
        return Error{ErrorKind::too_large, "metrics_file_too_large", "a metrics file is at most " + std::to_string(max_metrics_file_bytes) + " bytes"};
    MetricsFileCheck check;
    auto& errors = check.errors;
    auto document = parse_csv(bytes, max_metrics_rows + 1);
    for (const auto& p : document.problems) errors.push_back({p.row, "", p.message});
    if (document.records.empty()) {
        if (errors.empty()) errors.push_back({1, "", "the file is empty; the first row must name the columns"});
        return check;
    }
    const auto& header_record = document.records.front();
    if (header_record.row != 1 && errors.empty()) errors.push_back({1, "", "the first row must name the columns"});
    auto header = read_header(header_record, errors);
    for (const auto& [index, name] : header.metric_columns) check.file.metrics.push_back(name);
    const bool usable = header.agent_column && header.date_column && !header.metric_columns.empty();

    AgentIndex index(agents);
    std::map<std::pair<ClientId, std::string>, std::size_t> first_row;  // (agent, date) -> row
    for (std::size_t r = 1; r < document.records.size() && usable; ++r) {
        const auto& record = document.records[r];
        const auto& fields = record.fields;
        if (std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return trim(f).empty(); })) continue;  // ",,,," rows
        if (fields.size() != header_record.fields.size()) {
            errors.push_back({record.row, "", "the row has " + std::to_string(fields.size()) + " cells but the header has " +
                                                  std::to_string(header_record.fields.size())});
            continue;
        }
        events::MetricsRow row{static_cast<std::uint32_t>(record.row), {}, {}, {}};
        bool row_ok = true;
        auto agent = index.resolve(header.agent_key, fields[*header.agent_column]);
        if (auto* message = std::get_if<std::string>(&agent)) {
            errors.push_back({record.row, header_record.fields[*header.agent_column], *message});
            row_ok = false;
        } else {
            row.client_id = std::get<ClientId>(agent);
        }
        auto date = std::string(trim(fields[*header.date_column]));
        if (!is_valid_iso_date(date)) {
            errors.push_back({record.row, header_record.fields[*header.date_column],
                              date.empty() ? "the date is missing" : "'" + date + "' is not a calendar date as YYYY-MM-DD"});
            row_ok = false;
        }
        row.date = date;
        for (const auto& [column, name] : header.metric_columns) {
            auto cell = trim(fields[column]);
            if (cell.empty()) continue;  // no value for this KPI on this day
            auto value = parse_number(cell);
            if (!value) {
                errors.push_back({record.row, header_record.fields[column], "'" + std::string(cell) + "' is not a number"});
                row_ok = false;
                continue;
            }
            row.values.push_back({name, *value});
        }
        if (row_ok && row.values.empty()) {
            errors.push_back({record.row, "", "the row has no KPI value"});
            row_ok = false;
        }
        if (row_ok) {
            auto [it, inserted] = first_row.try_emplace({row.client_id, row.date}, record.row);
            if (!inserted) {
                errors.push_back({record.row, "", "the same agent and date as row " + std::to_string(it->second)});
                continue;
            }
            check.file.rows.push_back(std::move(row));
        }
    }
    if (document.truncated)
        errors.push_back({document.records.back().row + 1, "", "a file has at most " + std::to_string(max_metrics_rows) + " data rows; split it"});
    if (usable && check.file.rows.empty() && errors.empty()) errors.push_back({2, "", "the file has a header but no data rows"});
    std::stable_sort(errors.begin(), errors.end(), [](const RowError& a, const RowError& b) { return a.row < b.row; });
    return check;
}

}  // namespace debrief::commands::metrics
