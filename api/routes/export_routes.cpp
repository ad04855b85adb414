// Exports for analysts: an admin streams their organization's events as CloudEvents JSON lines or as CSV of one event
// type, sealed fields opened (an erased subject's come out empty), audited like every read of private material.
#include <boost/json.hpp>
#include <set>

#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "commands/session.hpp"
#include "common/rfc3339.hpp"
#include "events/event_export.hpp"

namespace debrief::api {
namespace {

const std::set<std::string> export_parameters{"organization_id", "from", "to", "type", "format"};

// An RFC 3339 time, or a date (its midnight, UTC).
std::optional<std::int64_t> time_of(const std::string& text) {
    if (commands::is_valid_iso_date(text)) return parse_rfc3339_ms(text + "T00:00:00Z");
    return parse_rfc3339_ms(text);
}

}  // namespace

HttpResponse export_events(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (actor.role != "admin") return problem(403, "forbidden", "", "only admins may export events");
    if (auto refused = unknown_parameter(target.query, export_parameters, "organization_id, from, to, type, format")) return problem(*refused);
    auto value = [&](const char* key) {
        auto it = target.query.find(key);
        return it == target.query.end() ? std::string{} : it->second;
    };
    events::ExportFilter filter;
    filter.organization = actor.organization_id;
    if (const auto named = value("organization_id"); !named.empty() && named != actor.organization_id.value)
        return problem(403, "forbidden", "", "an admin exports their own organization's events");
    for (const auto* key : {"from", "to"}) {
        const auto text = value(key);
        if (text.empty()) continue;
        auto at = time_of(text);
        if (!at) return problem(invalid("invalid_date", std::string(key) + " must be an RFC 3339 time or a date YYYY-MM-DD"));
        (std::string_view(key) == "from" ? filter.from_ms : filter.to_ms) = *at;
    }
    filter.type_pattern = value("type");
    const auto format = value("format");
    if (format == "csv") filter.format = events::ExportFormat::csv;
    else if (!format.empty() && format != "jsonl") return problem(invalid("invalid_format", "format must be jsonl or csv"));
    if (auto refused = events::check_export(filter)) return problem(*refused);
    if (!ctx.deps.open_export) return problem(Error{ErrorKind::unavailable, "unavailable", "exports are not offered here"});
    auto opened = ctx.deps.open_export(filter);
    if (!opened) return problem(opened.error());
    std::shared_ptr<events::EventExport> exporting = std::move(opened).value();
    HttpResponse response;
    const bool csv = filter.format == events::ExportFormat::csv;
    response.content_type = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
    response.headers["Content-Disposition"] =
        "attachment; filename=\"debrief-" + actor.organization_id.value + "-events." + (csv ? "csv" : "jsonl") + "\"";
    response.headers["Cache-Control"] = "no-store";
    response.stream = [exporting]() -> std::optional<std::string> {
        auto piece = exporting->next();
        if (!piece) throw std::runtime_error("export: " + piece.error().message);
        return std::move(piece).value();
    };
    return response;
}

Routes export_routes() {
    return {
        // Slow: it reads the log while it answers. Audited: it holds every personal field of the organization.
        audited("events.export", {"GET", "/v1/admin/export", [](const RouteCall& c) { return export_events(c.ctx, c.target, c.who()); }, true, true}),
    };
}

}  // namespace debrief::api
