// Metrics imports over HTTP: a CSV of agent KPIs checked whole (422 with every row error), staged with a preview,
// committed or discarded; a client's committed metrics and their alerts.
#include <boost/json.hpp>

#include <map>
#include <set>

#include "api/audit.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/authorization.hpp"
#include "commands/metrics/metrics_file.hpp"
#include "commands/metrics_commands.hpp"
#include "commands/text_rules.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/metrics_tables.hpp"
#include "projections/postgres/people_tables.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

constexpr std::size_t max_reported_errors = 1000;
constexpr int preview_rows = 20;

HttpResponse invalid_file(const std::vector<commands::metrics::RowError>& errors) {
    json::array list;
    for (std::size_t i = 0; i < errors.size() && i < max_reported_errors; ++i) {
        const auto& e = errors[i];
        // Column names and messages quote the file, which may not be UTF-8: the answer must stay JSON.
        list.push_back(json::object{{"row", e.row},
                                    {"column", null_if_empty(commands::with_invalid_utf8_replaced(e.column))},
                                    {"message", commands::with_invalid_utf8_replaced(e.message)}});
    }
    auto response = problem(422, "metrics_invalid", "", std::to_string(errors.size()) + (errors.size() == 1 ? " error" : " errors") +
                                                           " in the file; nothing was imported");
    auto body = json::parse(response.body).as_object();
    body["errors"] = std::move(list);
    body["error_count"] = errors.size();
    body["truncated"] = errors.size() > max_reported_errors;
    response.body = json::serialize(body);
    return response;
}

json::object preview_json(int row, const std::string& client_id, const std::string& client_name, const std::string& date, json::object values) {
    return json::object{{"row", row}, {"client_id", client_id}, {"client_name", client_name}, {"date", date}, {"values", std::move(values)}};
}

}  // namespace

HttpResponse stage_metrics_import(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
    if (auto refused = commands::refusal_to_import_metrics(actor)) return problem(*refused);
    if (!has_media_type(request, "text/csv")) return problem(Error{ErrorKind::unsupported_media, "unsupported_media_type", "the body must be text/csv"});
    auto target = parse_target(request.target);
    std::string file_name = target ? target->query["file_name"] : std::string{};
    auto agents = commands::metrics_agents(ctx.deps.commands, actor);
    auto check = commands::metrics::read_metrics_file(request.body, agents);
    if (!check) return problem(check.error());
    if (!check->errors.empty()) return invalid_file(check->errors);
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());

    // The answer is built before the file moves into the command.
    std::map<ClientId, std::string> names;
    for (const auto& agent : agents) names.emplace(agent.id, agent.name);
    const auto& file = check->file;
    json::array metrics, preview;
    for (const auto& name : file.metrics) metrics.push_back(json::string(name));
    std::set<ClientId> clients;
    for (const auto& row : file.rows) clients.insert(row.client_id);
    for (std::size_t i = 0; i < file.rows.size() && i < static_cast<std::size_t>(preview_rows); ++i) {
        const auto& row = file.rows[i];
        json::object values;
        for (const auto& v : row.values) values[v.metric] = v.value;
        preview.push_back(preview_json(static_cast<int>(row.row), row.client_id.value, names[row.client_id], row.date, std::move(values)));
    }
    json::object body{{"status", "staged"}, {"rows", file.rows.size()}, {"clients", clients.size()}, {"metrics", std::move(metrics)},
                      {"preview", std::move(preview)}};
    auto accepted = commands::stage_metrics_import(ctx.deps.commands, actor, std::move(check->file), std::move(file_name), context.value());
    if (!accepted) return problem(accepted.error());
    body["id"] = accepted->id("metrics_import");
    return RouteContext::accepted_response(201, std::move(body), accepted.value());
}

HttpResponse settle_metrics_import(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id,
                                   const std::string& verb) {
    if (verb != "commit" && verb != "discard") return problem(404, "route_not_found", "", "no such route");
    if (!is_uuid(id)) return problem(not_found("import_not_found", "no such metrics import"));
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = verb == "commit" ? commands::commit_metrics_import(ctx.deps.commands, actor, MetricsImportId{id}, context.value())
                                     : commands::discard_metrics_import(ctx.deps.commands, actor, MetricsImportId{id}, context.value());
    if (!accepted) return problem(accepted.error());
    return RouteContext::accepted_response(200, {{"id", id}, {"status", verb == "commit" ? "committed" : "discarded"}}, accepted.value());
}

HttpResponse get_metrics_import(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    if (!is_uuid(id)) return problem(not_found("import_not_found", "no such metrics import"));
    std::optional<projections::MetricsImportRow> found;
    std::vector<projections::MetricsPreviewRow> rows;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) {
        found = projections::find_metrics_import(connection, actor, MetricsImportId{id});
        if (found) rows = projections::metrics_import_preview(connection, actor, MetricsImportId{id}, preview_rows);
    });
    if (!found) return problem(not_found("import_not_found", "no such metrics import"));
    json::array metrics, preview;
    for (const auto& name : found->metrics) metrics.push_back(json::string(name));
    std::vector<std::string> subjects;
    for (const auto& r : rows) {
        preview.push_back(preview_json(r.row, r.client_id, r.client_name, r.date, json::parse(r.values_json).as_object()));
        subjects.push_back(r.client_id);
    }
    json::object body{{"id", found->id},         {"importer_id", found->importer_id}, {"status", found->status},
                      {"rows", found->row_count}, {"clients", found->client_count},    {"metrics", std::move(metrics)},
                      {"created_at", found->created_at}, {"version", found->version},   {"preview", std::move(preview)}};
    body["file_name"] = null_if_empty(found->file_name);
    body["settled_at"] = null_if_empty(found->settled_at);
    auto response = json_response(200, body);
    response.audit_subjects = std::move(subjects);
    return response;
}

HttpResponse client_metrics(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    if (!is_uuid(id)) return problem(not_found("client_not_found", "no client with this id"));
    int per_metric = 12;
    if (auto it = target.query.find("limit"); it != target.query.end()) {
        try {
            per_metric = std::stoi(it->second);
        } catch (const std::exception&) {
            per_metric = 0;
        }
        if (per_metric < 2 || per_metric > 366) return problem(invalid("invalid_limit", "limit must be a number of values from 2 to 366"));
    }
    std::optional<projections::ClientRow> client;
    std::vector<projections::ClientMetricSeries> series;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) {
        client = projections::find_client(connection, actor, ClientId{id});
        if (client) series = projections::client_metric_series(connection, actor.organization_id, ClientId{id}, per_metric);
    });
    if (!client) return problem(not_found("client_not_found", "no client with this id"));
    json::array metrics;
    for (const auto& s : series) {
        auto trend = metric_trend_json(s);
        json::array values;
        for (const auto& v : s.values) values.push_back(json::object{{"date", v.date}, {"value", v.value}, {"import_id", v.import_id}});
        trend["values"] = std::move(values);
        metrics.push_back(std::move(trend));
    }
    return json_response(200, json::object{{"client_id", id}, {"metrics", std::move(metrics)}, {"metric_alerts", metric_alerts_json(series)}});
}

constexpr std::string_view metrics_import_verbs[] = {"commit", "discard"};

Routes metrics_routes() {
    return {
        {"POST", "/v1/metrics/imports", [](const RouteCall& c) { return stage_metrics_import(c.ctx, c.request, c.who()); }},
        audited("metrics_import.read",
                {"GET", "/v1/metrics/imports/{id}", [](const RouteCall& c) { return get_metrics_import(c.ctx, c.target, c.who(), c.param(0)); }}),
        with_verbs(metrics_import_verbs, {"POST", "/v1/metrics/imports/{id}/{verb}",
                                          [](const RouteCall& c) { return settle_metrics_import(c.ctx, c.request, c.who(), c.param(0), c.param(1)); }}),
        audited("client.metrics.read", {"GET", "/v1/clients/{id}/metrics", [](const RouteCall& c) {
                    return concerning(c.param(0), client_metrics(c.ctx, c.target, c.who(), c.param(0)));
                }}),
    };
}

}  // namespace debrief::api
