// Search: GET /v1/search?q=... and its POST form (the seeds' {"query","filters"}), over the RocksDB search index,
// within what the caller's role may see.
#include <boost/json.hpp>
#include <charconv>
#include <cstring>

#include "api/audit.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "projections/search/search_index.hpp"
#include "projections/search/search_query.hpp"
#include "projections/search/snippet.hpp"
#include "projections/search/transcript_store.hpp"

namespace debrief::api {
namespace json = boost::json;
namespace {

using projections::SearchField;

constexpr std::size_t default_search_limit = 10;
constexpr std::size_t max_search_limit = 100;
const std::set<std::string> search_parameters{"q", "mode", "kind", "field", "client_id", "coach_id", "session_type", "from", "to",
                                              "tag", "sort", "limit", "cursor", "position", "wait_ms"};

std::vector<std::string> list_of(const std::string& value) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= value.size()) {
        auto end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        if (end > start) out.push_back(value.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// FNV-1a: what a cursor is bound to (the query and its filters), the same in every build.
std::uint64_t fingerprint(const std::map<std::string, std::string>& parameters) {
    std::uint64_t hash = 1469598103934665603ull;
    for (const auto& [key, value] : parameters) {
        if (key == "cursor" || key == "limit" || key == "position" || key == "wait_ms") continue;
        for (char c : key + "=" + value + "&") hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    return hash;
}

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// A cursor: where the last page ended and what query it belongs to, as hex. Opaque to clients.
std::string encode_cursor(const projections::SearchPlace& place, std::uint64_t query) {
    std::uint64_t score_bits = 0;
    std::memcpy(&score_bits, &place.score, sizeof score_bits);
    return hex("1|" + std::to_string(query) + "|" + std::to_string(score_bits) + "|" + std::to_string(place.day) + "|" +
               std::to_string(place.field) + "|" + std::to_string(place.doc));
}

std::optional<projections::SearchPlace> decode_cursor(const std::string& cursor, std::uint64_t query) {
    if (cursor.size() % 2 != 0 || cursor.size() > 200) return std::nullopt;
    std::string text;
    for (std::size_t i = 0; i < cursor.size(); i += 2) {
        unsigned value = 0;
        if (std::from_chars(cursor.data() + i, cursor.data() + i + 2, value, 16).ptr != cursor.data() + i + 2) return std::nullopt;
        text += static_cast<char>(value);
    }
    auto parts = list_of([&] {
        std::string commas = text;
        std::replace(commas.begin(), commas.end(), '|', ',');
        return commas;
    }());
    if (parts.size() != 6 || parts[0] != "1" || parts[1] != std::to_string(query)) return std::nullopt;
    projections::SearchPlace place;
    std::uint64_t score_bits = 0;
    unsigned field = 0;
    auto number = [](const std::string& s, auto& out) { return std::from_chars(s.data(), s.data() + s.size(), out).ptr == s.data() + s.size(); };
    if (!number(parts[2], score_bits) || !number(parts[3], place.day) || !number(parts[4], field) || !number(parts[5], place.doc) ||
        field >= projections::search_field_count)
        return std::nullopt;
    std::memcpy(&place.score, &score_bits, sizeof score_bits);
    place.field = static_cast<std::uint8_t>(field);
    return place;
}

std::optional<SearchField> summary_section(std::string_view name) { return projections::parse_kind_field("summary", name); }

// The request's parameters as a search; a problem when one cannot be understood.
Result<projections::SearchRequest> search_request(const RouteContext& ctx, const commands::Actor& actor, const std::map<std::string, std::string>& p) {
    for (const auto& [key, value] : p)
        if (!search_parameters.contains(key))
            return invalid("unknown_filter", "unknown search parameter '" + key + "'; known: q, mode, kind, field, client_id, coach_id, session_type, from, to, tag, sort, limit, cursor, position, wait_ms");
    auto value = [&](const char* key) {
        auto it = p.find(key);
        return it == p.end() ? std::string{} : it->second;
    };
    projections::SearchRequest request;
    request.organization = actor.organization_id.value;
    auto query = projections::parse_search_query(value("q"));
    if (!query) return query.error();
    for (const auto& clause : query->clauses) {
        using Kind = projections::QueryClause::Kind;
        auto& terms = request.terms;
        if (clause.kind == Kind::phrase) (clause.excluded ? terms.excluded_phrases : terms.phrases).push_back(clause.text);
        else if (clause.kind == Kind::prefix && !clause.excluded) terms.prefixes.push_back(clause.text);
        else (clause.excluded ? terms.excluded_words : terms.words).push_back(clause.text);
    }
    const auto mode = value("mode");
    if (!mode.empty() && mode != "any" && mode != "all") return invalid("invalid_mode", "mode must be any (some of the words) or all (every word)");
    request.terms.all = mode == "all";

    std::set<SearchField> kinds;
    for (const auto& kind : list_of(value("kind"))) {
        bool known = false;
        for (auto f : projections::all_search_fields)
            if (projections::kind_of(f) == kind) {
                kinds.insert(f);
                known = true;
            }
        if (!known) return invalid("invalid_kind", "kind must be transcript, summary, action_item or note (or several, comma-separated)");
    }
    std::set<SearchField> sections;
    for (const auto& name : list_of(value("field"))) {
        auto section = summary_section(name);
        if (!section) return invalid("invalid_field", "field must be a summary's wins, challenges, action_items or recommendations");
        sections.insert(*section);
    }
    if (!sections.empty()) {
        if (!kinds.empty() && !kinds.contains(SearchField::wins)) return invalid("invalid_field", "field names a summary's section: kind must include summary");
        for (auto f : projections::all_search_fields)
            if (projections::kind_of(f) == "summary" && !sections.contains(f)) kinds.erase(f);
        if (kinds.empty()) kinds = sections;
        else for (auto f : sections) kinds.insert(f);
    }
    request.filters.fields = kinds;
    for (auto [key, out] : {std::pair{"client_id", &request.filters.client_ids}, std::pair{"coach_id", &request.filters.coach_ids}}) {
        *out = list_of(value(key));
        for (const auto& id : *out)
            if (!is_uuid(id)) return invalid("invalid_filter", std::string(key) + " must be UUIDs (comma-separated for several)");
    }
    request.filters.tags = list_of(value("tag"));
    request.filters.session_type = value("session_type");
    if (!request.filters.session_type.empty() && request.filters.session_type != "individual" && request.filters.session_type != "group_workshop" &&
        request.filters.session_type != "call_review")
        return invalid("invalid_session_type", "session_type must be one of individual, group_workshop, call_review");
    for (auto [key, out] : {std::pair{"from", &request.filters.from_day}, std::pair{"to", &request.filters.to_day}}) {
        const auto date = value(key);
        if (date.empty()) continue;
        *out = projections::day_number(date);
        if (!*out) return invalid("invalid_date", std::string(key) + " must be a date YYYY-MM-DD, e.g. 2026-03-01");
    }
    if (request.filters.from_day && request.filters.to_day && *request.filters.from_day > *request.filters.to_day)
        return invalid("invalid_date_range", "from must not be after to");
    const auto sort = value("sort");
    if (!sort.empty() && sort != "relevance" && sort != "date") return invalid("invalid_sort", "sort must be relevance or date (newest first)");
    request.sort = sort == "date" ? projections::SearchSort::date : projections::SearchSort::relevance;
    request.limit = default_search_limit;
    if (p.contains("limit")) {
        auto limit = parse_decimal(value("limit"));
        if (!limit || *limit == 0 || *limit > max_search_limit) return invalid("invalid_limit", "limit must be a number from 1 to 100");
        request.limit = static_cast<std::size_t>(*limit);
    }
    if (p.contains("cursor")) {
        request.after = decode_cursor(value("cursor"), fingerprint(p));
        if (!request.after) return invalid("invalid_cursor", "cursor must be the next_cursor of an earlier answer to the same query and filters");
    }

    // Whose material: an admin the organization's, a lead theirs and their coaches', a coach their own, a client
    // only their own approved summaries and action items.
    if (actor.role == "admin") {
        request.scope.everything = true;
    } else if (actor.role == "client") {
        auto own = ctx.deps.write_model.committed_state(actor.user_id).client_id.value;
        request.scope.client_id = own.empty() ? "-" : own;
    } else {
        request.scope.coach_ids = {actor.user_id.value};
        if (actor.role == "coach_lead") request.scope.coach_ids.merge(ctx.deps.transcripts.search().coaches_led_by(request.organization, actor.user_id.value));
    }
    return request;
}

json::object counts_json(const std::map<std::string, std::uint64_t>& counts) {
    json::object out;
    for (const auto& [key, count] : counts) out[key] = count;
    return out;
}

HttpResponse search(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::map<std::string, std::string>& parameters) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.search_progress, {})) return *waited;
    auto request = search_request(ctx, actor, parameters);
    if (!request) return problem(request.error());
    auto answer = ctx.deps.transcripts.search().search(request.value());
    if (!answer) return problem(answer.error());
    projections::TextAnalyzer analyzer;
    json::array results;
    std::set<std::string> subjects;
    for (const auto& hit : answer->hits) {
        const auto& d = hit.document;
        const auto snippet = projections::make_snippet(d.text, analyzer.analyze(d.text), answer->query_terms);
        json::array highlights;
        for (auto [start, end] : snippet.highlights) highlights.push_back(json::array{start, end});
        json::array clients;
        for (const auto& c : d.client_ids) {
            clients.emplace_back(c);
            subjects.insert(c);
        }
        json::object result{{"kind", projections::kind_of(d.field)},
                            {"field", projections::field_name(d.field)},
                            {"id", d.id},
                            {"session_id", null_if_empty(d.session_id)},
                            {"client_id", d.client_ids.empty() ? json::value(nullptr) : json::value(d.client_ids.front())},
                            {"client_ids", std::move(clients)},
                            {"coach_id", d.coach_id},
                            {"session_type", null_if_empty(d.session_type)},
                            {"session_date", null_if_empty(d.date)},
                            {"tags", [&] {
                                 json::array tags;
                                 for (const auto& t : d.tags) tags.emplace_back(t);
                                 return tags;
                             }()},
                            {"score", hit.score},
                            {"snippet", snippet.text},
                            {"highlights", std::move(highlights)}};
        if (d.field == SearchField::transcript) {
            result["segment"] = d.segment;
            result["speaker"] = d.speaker;
            result["start_seconds"] = d.start_seconds ? json::value(*d.start_seconds) : json::value(nullptr);
        }
        results.push_back(std::move(result));
    }
    json::object filters;
    for (const auto& [key, value] : parameters)
        if (key != "q" && key != "cursor" && key != "limit" && key != "position" && key != "wait_ms") filters[key] = value;
    const auto q = parameters.contains("q") ? parameters.at("q") : std::string{};
    json::object body{{"results", std::move(results)},
                      {"total", answer->total},
                      {"total_exact", answer->total_exact},
                      {"facets", json::object{{"kind", counts_json(answer->kinds)}, {"client", counts_json(answer->clients)}}},
                      {"next_cursor", answer->next ? json::value(encode_cursor(*answer->next, fingerprint(parameters))) : json::value(nullptr)},
                      {"interpreted_as", json::object{{"text", q}, {"mode", request->terms.all ? "all" : "any"}, {"filters", std::move(filters)}}}};
    auto response = json_response(200, body);
    response.audit_subjects.assign(subjects.begin(), subjects.end());
    return response;
}

// The seeds' form: {"query": "...", "filters": {"kind": ..., "client_id": ..., ...}, "sort", "limit", "cursor", "mode"};
// a filter's value is a string or a list of strings.
HttpResponse search_posted(const RouteContext& ctx, const HttpRequest& http, const ParsedTarget& target, const commands::Actor& actor) {
    auto body = parse_json_object(http);
    if (!body) return problem(body.error());
    std::map<std::string, std::string> parameters;
    auto take = [&](const std::string& key, const json::value& v) -> std::optional<Error> {
        if (v.is_string()) {
            parameters[key] = std::string(v.as_string());
        } else if (v.is_array()) {
            std::string joined;
            for (const auto& item : v.as_array()) {
                if (!item.is_string()) return invalid("invalid_filter", key + " must be a string or a list of strings");
                joined += (joined.empty() ? "" : ",") + std::string(item.as_string());
            }
            parameters[key] = joined;
        } else if (v.is_int64() || v.is_uint64()) {
            parameters[key] = json::serialize(v);
        } else if (!v.is_null()) {
            return invalid("invalid_filter", key + " must be a string or a list of strings");
        }
        return std::nullopt;
    };
    for (const auto& [key, v] : body.value()) {
        if (key == "query") {
            if (!v.is_string()) return problem(invalid("invalid_field", "query must be a string"));
            parameters["q"] = std::string(v.as_string());
        } else if (key == "filters") {
            if (!v.is_object()) return problem(invalid("invalid_field", "filters must be an object"));
            for (const auto& [name, f] : v.as_object()) {
                if (name == "q" || name == "cursor" || name == "limit" || name == "sort" || name == "mode" || name == "position" || name == "wait_ms" ||
                    !search_parameters.contains(std::string(name)))
                    return problem(invalid("unknown_filter", "unknown filter '" + std::string(name) +
                                                                 "'; filters are kind, field, client_id, coach_id, session_type, from, to, tag"));
                if (auto refused = take(std::string(name), f)) return problem(*refused);
            }
        } else if (key == "sort" || key == "limit" || key == "cursor" || key == "mode") {
            if (auto refused = take(std::string(key), v)) return problem(*refused);
        } else {
            return problem(invalid("unknown_field", "unknown field '" + std::string(key) + "'; known: query, filters, sort, limit, cursor, mode"));
        }
    }
    for (const char* key : {"position", "wait_ms"})
        if (auto it = target.query.find(key); it != target.query.end()) parameters[key] = it->second;
    return search(ctx, target, actor, parameters);
}

}  // namespace

Routes search_routes() {
    return {
        audited("search.read", {"GET", "/v1/search", [](const RouteCall& c) { return search(c.ctx, c.target, c.who(), c.target.query); }}),
        audited("search.read", {"POST", "/v1/search", [](const RouteCall& c) { return search_posted(c.ctx, c.request, c.target, c.who()); }}),
    };
}

}  // namespace debrief::api
