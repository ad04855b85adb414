// Search: GET /v1/search?q=... and its POST form (the seeds' {"query","filters"}), over the RocksDB search index,
// within what the caller's role may see.
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <tuple>
#include <cstring>

#include "api/audit.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/text_rules.hpp"
#include "common/hex.hpp"
#include "projections/search/search_index.hpp"
#include "projections/search/search_query.hpp"
#include "projections/search/snippet.hpp"
#include "projections/search/transcript_store.hpp"
#include "projections/search/unicode_text.hpp"

namespace debrief::api {
namespace json = boost::json;
namespace {

using projections::SearchField;

constexpr std::size_t default_search_limit = 10;
constexpr std::size_t max_search_limit = 100;
const std::set<std::string> search_parameters{"q", "mode", "kind", "field", "client_id", "coach_id", "session_type", "from", "to",
                                              "tag", "sort", "limit", "cursor", "interpret", "position", "wait_ms"};

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

// A cursor: where the last page ended and what query it belongs to, as hex. Opaque to clients.
std::string encode_cursor(const projections::SearchPlace& place, std::uint64_t query) {
    std::uint64_t score_bits = 0;
    std::memcpy(&score_bits, &place.score, sizeof score_bits);
    return to_hex("1|" + std::to_string(query) + "|" + std::to_string(score_bits) + "|" + std::to_string(place.day) + "|" +
               std::to_string(place.field) + "|" + std::to_string(place.doc));
}

std::optional<projections::SearchPlace> decode_cursor(const std::string& cursor, std::uint64_t query) {
    if (cursor.size() > 200) return std::nullopt;
    const auto decoded = from_hex(cursor);
    if (!decoded) return std::nullopt;
    const auto& text = *decoded;
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

// A parameter none of the known names is refused.
std::optional<Error> only_parameters(const std::map<std::string, std::string>& query, const std::set<std::string>& known, const std::string& listed) {
    return unknown_parameter(query, known, listed, "unknown_filter");
}

// The request's day, UTC: what "last month" and "this week" are counted from.
std::string utc_date(std::int64_t ms) {
    const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms)))};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return out;
}

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ",") + v;
    return out;
}

// A search as the route understood it: the request for the index, and what the answer's interpreted_as shows.
struct UnderstoodSearch {
    projections::SearchRequest request;
    std::string text;                           // the text query searched for
    std::map<std::string, std::string> filters;  // every filter in force, given or read from the text
    std::vector<std::string> understood;
};

// Whose material: an admin the organization's, a lead theirs and their coaches', a coach their own, a client only
// their own approved summaries and action items.
projections::SearchScope scope_of(const RouteContext& ctx, const commands::Actor& actor) {
    projections::SearchScope scope;
    if (actor.role == "admin") {
        scope.everything = true;
    } else if (actor.role == "client") {
        auto own = ctx.deps.write_model.committed_state(actor.user_id).client_id.value;
        scope.client_id = own.empty() ? "-" : own;
    } else {
        scope.coach_ids = {actor.user_id.value};
        if (actor.role == "coach_lead") scope.coach_ids.merge(ctx.deps.transcripts.search()->coaches_led_by(actor.organization_id.value, actor.user_id.value));
    }
    return scope;
}

// The request's parameters as a search; a problem when one cannot be understood. Unless interpret=false, the text
// is read for dates, names, sections, kinds and session types first (natural_language.hpp); what it reads fills
// the filters the request did not give.
Result<UnderstoodSearch> search_request(const RouteContext& ctx, const commands::Actor& actor, const std::map<std::string, std::string>& p) {
    if (auto refused = only_parameters(p, search_parameters, "q, mode, kind, field, client_id, coach_id, session_type, from, to, tag, sort, limit, cursor, interpret, position, wait_ms"))
        return *refused;
    auto value = [&](const char* key) {
        auto it = p.find(key);
        return it == p.end() ? std::string{} : it->second;
    };
    UnderstoodSearch out;
    auto& request = out.request;
    request.organization = actor.organization_id.value;
    request.scope = scope_of(ctx, actor);
    const auto interpret = value("interpret");
    if (!interpret.empty() && interpret != "true" && interpret != "false")
        return invalid("invalid_interpret", "interpret must be true (read dates, names and sections out of q; the default) or false (search q as typed)");

    // The errors are the typed query's; what is searched is what its reading leaves.
    const auto q = value("q");
    auto query = projections::parse_search_query(q);
    if (!query) return query.error();
    projections::Interpretation reading;
    reading.text = q;
    if (interpret != "false") {
        reading = projections::interpret_query(q, utc_date(ctx.deps.now_ms()), ctx.deps.transcripts.search()->known_names(request.organization, request.scope));
        if (!reading.understood.empty()) {
            auto rest = projections::parse_search_clauses(reading.text);
            if (rest) query = std::move(rest);
            else reading = projections::Interpretation{.text = q};
        }
    }
    out.text = reading.text;
    out.understood = reading.understood;
    const auto mode = value("mode");
    if (!mode.empty() && mode != "any" && mode != "all") return invalid("invalid_mode", "mode must be any (some of the words) or all (every word)");
    request.terms = projections::search_terms(*query, mode == "all");

    // A filter given wins over the same filter read from the text.
    auto given_or_read = [&](const char* key, const std::vector<std::string>& read) {
        auto given = list_of(value(key));
        if (given.empty()) given = read;
        if (!given.empty()) out.filters[key] = joined(given);
        return given;
    };
    std::set<SearchField> kinds;
    for (const auto& kind : given_or_read("kind", reading.kinds)) {
        bool known = false;
        for (auto f : projections::all_search_fields)
            if (projections::kind_of(f) == kind) {
                kinds.insert(f);
                known = true;
            }
        if (!known) return invalid("invalid_kind", "kind must be transcript, summary, action_item or note (or several, comma-separated)");
    }
    const bool sections_given = p.contains("field");
    std::set<SearchField> sections;
    for (const auto& name : given_or_read("field", reading.fields)) {
        auto section = summary_section(name);
        if (!section) return invalid("invalid_field", "field must be a summary's wins, challenges, action_items or recommendations");
        sections.insert(*section);
    }
    if (!sections.empty()) {
        // Sections narrow the summaries; kinds that are not summaries stay as asked ("challenges and action items").
        const bool summaries_asked = kinds.empty() || kinds.contains(SearchField::wins);
        if (!summaries_asked && sections_given) return invalid("invalid_field", "field names a summary's section: kind must include summary");
        if (kinds.empty()) kinds = sections;
        for (auto f : projections::all_search_fields)
            if (projections::kind_of(f) == "summary" && !sections.contains(f)) kinds.erase(f);
        for (auto f : sections) kinds.insert(f);
    }
    request.filters.fields = kinds;
    request.filters.client_ids = given_or_read("client_id", reading.client_ids);
    request.filters.coach_ids = given_or_read("coach_id", reading.coach_ids);
    for (const auto* ids : {&request.filters.client_ids, &request.filters.coach_ids})
        for (const auto& id : *ids)
            if (!is_uuid(id)) return invalid("invalid_filter", std::string(ids == &request.filters.client_ids ? "client_id" : "coach_id") + " must be UUIDs (comma-separated for several)");
    request.filters.tags = given_or_read("tag", {});
    request.filters.session_type = joined(given_or_read("session_type", reading.session_type ? std::vector{*reading.session_type} : std::vector<std::string>{}));
    if (!request.filters.session_type.empty() && request.filters.session_type != "individual" && request.filters.session_type != "group_workshop" &&
        request.filters.session_type != "call_review")
        return invalid("invalid_session_type", "session_type must be one of individual, group_workshop, call_review");
    for (auto [key, read, out_day] : {std::tuple{"from", reading.from, &request.filters.from_day}, std::tuple{"to", reading.to, &request.filters.to_day}}) {
        const auto date = given_or_read(key, read ? std::vector{*read} : std::vector<std::string>{});
        if (date.empty()) continue;
        *out_day = projections::day_number(joined(date));
        if (!*out_day) return invalid("invalid_date", std::string(key) + " must be a date YYYY-MM-DD, e.g. 2026-03-01");
    }
    // Two dates given the wrong way round are a mistake; a date read from the text against one given finds nothing.
    if (p.contains("from") && p.contains("to") && *request.filters.from_day > *request.filters.to_day)
        return invalid("invalid_date_range", "from must not be after to");
    const auto sort = value("sort");
    if (!sort.empty() && sort != "relevance" && sort != "date") return invalid("invalid_sort", "sort must be relevance or date (newest first)");
    // With no text left, nothing ranks one match above another: newest first.
    const bool no_text = request.terms.words.empty() && request.terms.phrases.empty() && request.terms.prefixes.empty();
    request.sort = sort == "date" || (sort.empty() && no_text) ? projections::SearchSort::date : projections::SearchSort::relevance;
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
    return out;
}

json::object counts_json(const std::map<std::string, std::uint64_t>& counts) {
    json::object out;
    for (const auto& [key, count] : counts) out[key] = count;
    return out;
}

HttpResponse search(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::map<std::string, std::string>& parameters) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.search_progress, {})) return *waited;
    auto understood = search_request(ctx, actor, parameters);
    if (!understood) return problem(understood.error());
    const auto& request = understood->request;
    auto answer = ctx.deps.transcripts.search()->search(request);
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
    for (const auto& [key, value] : understood->filters) filters[key] = value;
    json::array understood_json;
    for (const auto& line : understood->understood) understood_json.emplace_back(line);
    json::object body{{"results", std::move(results)},
                      {"total", answer->total},
                      {"total_exact", answer->total_exact},
                      {"facets", json::object{{"kind", counts_json(answer->kinds)}, {"client", counts_json(answer->clients)}}},
                      {"next_cursor", answer->next ? json::value(encode_cursor(*answer->next, fingerprint(parameters))) : json::value(nullptr)},
                      {"interpreted_as", json::object{{"text", understood->text},
                                                      {"mode", request.terms.all ? "all" : "any"},
                                                      {"sort", request.sort == projections::SearchSort::date ? "date" : "relevance"},
                                                      {"filters", std::move(filters)},
                                                      {"understood", std::move(understood_json)}}}};
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
        } else if (v.is_bool()) {
            parameters[key] = v.as_bool() ? "true" : "false";
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
                if (name == "q" || name == "cursor" || name == "limit" || name == "sort" || name == "mode" || name == "interpret" || name == "position" || name == "wait_ms" ||
                    !search_parameters.contains(std::string(name)))
                    return problem(invalid("unknown_filter", "unknown filter '" + std::string(name) +
                                                                 "'; filters are kind, field, client_id, coach_id, session_type, from, to, tag"));
                if (auto refused = take(std::string(name), f)) return problem(*refused);
            }
        } else if (key == "sort" || key == "limit" || key == "cursor" || key == "mode" || key == "interpret") {
            if (auto refused = take(std::string(key), v)) return problem(*refused);
        } else {
            return problem(invalid("unknown_field", "unknown field '" + std::string(key) + "'; known: query, filters, sort, limit, cursor, mode, interpret"));
        }
    }
    for (const char* key : {"position", "wait_ms"})
        if (auto it = target.query.find(key); it != target.query.end()) parameters[key] = it->second;
    return search(ctx, target, actor, parameters);
}

constexpr std::size_t default_suggestions = 10;
constexpr std::size_t max_suggestions = 50;
constexpr std::size_t max_prefix_bytes = 64;
constexpr std::size_t default_similar = 10;
constexpr std::size_t max_similar = 50;

// The limit parameter, 1..max, or a problem.
Result<std::size_t> limit_of(const ParsedTarget& target, std::size_t fallback, std::size_t max) {
    auto it = target.query.find("limit");
    if (it == target.query.end()) return fallback;
    auto limit = parse_decimal(it->second);
    if (!limit || *limit == 0 || *limit > max) return invalid("invalid_limit", "limit must be a number from 1 to " + std::to_string(max));
    return static_cast<std::size_t>(*limit);
}

// Prefix suggestions: the words of the caller's material and the names they may see that start with `prefix`.
HttpResponse suggest(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.search_progress, {})) return *waited;
    if (auto refused = only_parameters(target.query, {"prefix", "limit", "position", "wait_ms"}, "prefix, limit, position, wait_ms")) return problem(*refused);
    const auto it = target.query.find("prefix");
    const auto prefix = it == target.query.end() ? std::string{} : it->second;
    if (prefix.size() > max_prefix_bytes || commands::first_invalid_utf8(prefix) || projections::unicode::word_characters(prefix) == 0)
        return problem(invalid("invalid_prefix", "prefix must be 1 to 64 bytes of UTF-8 text with a letter or digit, e.g. prefix=escal"));
    auto limit = limit_of(target, default_suggestions, max_suggestions);
    if (!limit) return problem(limit.error());
    const auto scope = scope_of(ctx, actor);
    json::array suggestions;
    std::vector<std::string> subjects;  // the clients it names
    for (const auto& s : ctx.deps.transcripts.search()->suggest(actor.organization_id.value, scope, prefix, *limit)) {
        json::object suggestion{{"text", s.text}, {"kind", s.kind}, {"weight", s.weight}};
        if (!s.id.empty()) suggestion["id"] = s.id;
        if (s.kind == "client") subjects.push_back(s.id);
        suggestions.push_back(std::move(suggestion));
    }
    auto response = json_response(200, json::object{{"suggestions", std::move(suggestions)}});
    response.audit_subjects = std::move(subjects);
    return response;
}

// Sessions like this one, within what the caller may see (a coach's or a lead's or an admin's tool: a client is
// refused).
HttpResponse similar(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.search_progress, {})) return *waited;
    if (actor.role == "client") return problem(Error{ErrorKind::forbidden, "forbidden", "similar sessions are for coaches, coach leads and admins"});
    if (auto refused = only_parameters(target.query, {"limit", "position", "wait_ms"}, "limit, position, wait_ms")) return problem(*refused);
    auto limit = limit_of(target, default_similar, max_similar);
    if (!limit) return problem(limit.error());
    if (!is_uuid(id)) return problem(not_found("session_not_found", "no session with this id"));
    auto found = ctx.deps.transcripts.search()->similar_sessions(actor.organization_id.value, scope_of(ctx, actor), id, *limit);
    if (!found) return problem(found.error());
    if (!found.value()) return problem(not_found("session_not_found", "no session with this id"));
    json::array results;
    std::set<std::string> subjects;  // the clients of the sessions it shows
    for (const auto& s : **found) {
        json::array terms, clients;
        for (const auto& t : s.terms) terms.emplace_back(t);
        for (const auto& c : s.client_ids) {
            clients.emplace_back(c);
            subjects.insert(c);
        }
        results.push_back(json::object{{"session_id", s.session_id},
                                       {"score", s.score},
                                       {"terms", std::move(terms)},
                                       {"coach_id", s.coach_id},
                                       {"session_date", null_if_empty(s.date)},
                                       {"session_type", null_if_empty(s.session_type)},
                                       {"client_ids", std::move(clients)}});
    }
    auto response = json_response(200, json::object{{"results", std::move(results)}});
    response.audit_subjects.assign(subjects.begin(), subjects.end());
    return response;
}

}  // namespace

Routes search_routes() {
    return {
        audited("search.read", {"GET", "/v1/search", [](const RouteCall& c) { return search(c.ctx, c.target, c.who(), c.target.query); }}),
        for_api_keys(KeyAccess::read,
                     audited("search.read", {"POST", "/v1/search", [](const RouteCall& c) { return search_posted(c.ctx, c.request, c.target, c.who()); }})),
        audited("search.suggest", {"GET", "/v1/search/suggest", [](const RouteCall& c) { return suggest(c.ctx, c.target, c.who()); }}),
        audited("search.similar", {"GET", "/v1/sessions/{id}/similar", [](const RouteCall& c) { return similar(c.ctx, c.target, c.who(), c.param(0)); }}),
    };
}

}  // namespace debrief::api
