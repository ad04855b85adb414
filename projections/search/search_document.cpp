// Search documents: their fields' names and boosts, and their stored form.
#include "projections/search/search_document.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <charconv>

namespace debrief::projections {
namespace json = boost::json;

std::string_view kind_of(SearchField field) {
    switch (field) {
        case SearchField::transcript: return "transcript";
        case SearchField::wins:
        case SearchField::challenges:
        case SearchField::summary_action_items:
        case SearchField::recommendations: return "summary";
        case SearchField::action_item: return "action_item";
        case SearchField::note: return "note";
    }
    return "transcript";
}

std::string_view field_name(SearchField field) {
    switch (field) {
        case SearchField::transcript: return "text";
        case SearchField::wins: return "wins";
        case SearchField::challenges: return "challenges";
        case SearchField::summary_action_items: return "action_items";
        case SearchField::recommendations: return "recommendations";
        case SearchField::action_item: return "title";
        case SearchField::note: return "text";
    }
    return "text";
}

double field_boost(SearchField field) {
    switch (field) {
        case SearchField::transcript: return 1.0;
        case SearchField::action_item: return 1.3;
        case SearchField::note: return 1.2;
        default: return 1.5;  // a summary's sections: the session's material as the coach approved it
    }
}

std::optional<SearchField> parse_kind_field(std::string_view kind, std::string_view field) {
    for (auto f : all_search_fields)
        if (kind_of(f) == kind && field_name(f) == field) return f;
    return std::nullopt;
}

namespace {
json::array string_array(const std::vector<std::string>& values) {
    json::array out;
    for (const auto& v : values) out.emplace_back(v);
    return out;
}
std::vector<std::string> strings_of(const json::value& value) {
    std::vector<std::string> out;
    for (const auto& v : value.as_array()) out.emplace_back(v.as_string());
    return out;
}
}  // namespace

std::string encode_document(const SearchDocument& d) {
    json::object o{{"f", static_cast<int>(d.field)}, {"id", d.id},           {"session", d.session_id}, {"segment", d.segment},
                   {"speaker", d.speaker},            {"clients", string_array(d.client_ids)}, {"coach", d.coach_id},
                   {"type", d.session_type},          {"date", d.date},       {"tags", string_array(d.tags)},
                   {"client_visible", d.client_visible}, {"text", d.text}};
    if (d.start_seconds) o["start"] = *d.start_seconds;
    return json::serialize(o);
}

SearchDocument decode_document(std::string_view stored) {
    const auto o = json::parse(stored).as_object();
    SearchDocument d;
    const auto field = o.at("f").to_number<int>();
    if (field < 0 || field >= static_cast<int>(search_field_count)) throw std::runtime_error("search document of an unknown field");
    d.field = static_cast<SearchField>(field);
    d.id = o.at("id").as_string();
    d.session_id = o.at("session").as_string();
    d.segment = o.at("segment").to_number<int>();
    d.speaker = o.at("speaker").as_string();
    if (const auto* start = o.if_contains("start")) d.start_seconds = start->to_number<double>();
    d.client_ids = strings_of(o.at("clients"));
    d.coach_id = o.at("coach").as_string();
    d.session_type = o.at("type").as_string();
    d.date = o.at("date").as_string();
    d.tags = strings_of(o.at("tags"));
    d.client_visible = o.at("client_visible").as_bool();
    d.text = o.at("text").as_string();
    return d;
}

std::optional<std::int32_t> day_number(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    auto digits = [](std::string_view s, auto& out) {
        for (char c : s)
            if (c < '0' || c > '9') return false;
        return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc{};
    };
    if (!digits(date.substr(0, 4), y) || !digits(date.substr(5, 2), m) || !digits(date.substr(8, 2), d)) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

}  // namespace debrief::projections
