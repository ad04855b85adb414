// Templates: the e-mail, summary and prompt templates an organization or a coach keeps, beside the built-in defaults.
#include <boost/json.hpp>

#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/template_commands.hpp"
#include "commands/templates/template_text.hpp"
#include "commands/write_model.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/template_tables.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

json::object template_json(const projections::TemplateRow& row) {
    json::array variables;
    for (auto v : templates::variables_for(row.kind)) variables.push_back(json::string(v));
    return json::object{{"id", row.id},       {"kind", row.kind},   {"name", row.name},
                        {"subject", row.subject}, {"body", row.body}, {"owner_id", null_if_empty(row.owner_id)},
                        {"scope", row.owner_id == "system" ? "system" : row.owner_id.empty() ? "organization" : "coach"},
                        {"variables", std::move(variables)}, {"version", row.version}};
}

}  // namespace

HttpResponse create_template(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    commands::CreateTemplateInput input;
    for (auto [field, out, kind] : {std::tuple{"kind", &input.kind, TextKind::line}, {"name", &input.name, TextKind::line},
                                    {"body", &input.body, TextKind::multiline}}) {
        auto value = required_string(body.value(), field, kind);
        if (!value) return problem(value.error());
        *out = std::move(value).value();
    }
    std::optional<std::string> subject, scope, coach;
    if (auto bad = read_optional_strings(body.value(), {{"subject", &subject}, {"scope", &scope}, {"coach_id", &coach}})) return problem(*bad);
    input.subject = subject.value_or("");
    if (scope && *scope != "organization" && *scope != "coach") return problem(invalid("invalid_field", "scope must be organization or coach"));
    input.organization_wide = scope && *scope == "organization";
    if (coach) {
        if (!is_uuid(*coach)) return problem(invalid("invalid_field", "coach_id must be a UUID"));
        if (input.organization_wide) return problem(invalid("invalid_field", "an organization-wide template has no coach_id"));
        input.coach_id = UserId{*coach};
    }
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::create_template(ctx.deps.commands, actor, input, context.value());
    if (!accepted) return problem(accepted.error());
    return RouteContext::accepted_response(201, {{"id", accepted->id("template")}}, accepted.value());
}

HttpResponse revise_template(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    if (!is_uuid(id)) return problem(not_found("template_not_found", "no such template (system defaults cannot be changed)"));
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    commands::ReviseTemplateInput input;
    if (auto bad = read_optional_strings(body.value(), {{"name", &input.name}, {"subject", &input.subject}, {"body", &input.body, TextKind::multiline}})) return problem(*bad);
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::revise_template(ctx.deps.commands, actor, TemplateId{id}, input, context.value());
    if (!accepted) return problem(accepted.error());
    auto state = ctx.deps.write_model.committed_state(TemplateId{id});
    return RouteContext::accepted_response(200, {{"id", id}, {"version", state.version}}, accepted.value());
}

HttpResponse list_templates(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    if (actor.role == "client") return problem(403, "forbidden", "", "clients may not read templates");
    auto kind_it = target.query.find("kind");
    std::string kind = kind_it == target.query.end() ? "" : kind_it->second;
    if (!kind.empty() && !templates::is_valid_kind(kind)) return problem(invalid("invalid_filter", "kind must be one of summary, email, prompt"));
    std::vector<projections::TemplateRow> rows;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { rows = projections::list_templates(connection, actor, kind); });
    json::array list;
    for (const auto& row : rows) list.push_back(template_json(row));
    for (const auto& builtin : templates::system_defaults())
        if (kind.empty() || builtin.kind == kind)
            list.push_back(template_json({std::string(builtin.id), std::string(builtin.kind), std::string(builtin.name), std::string(builtin.subject),
                                          std::string(builtin.body), "system", 0, ""}));
    return json_response(200, list);
}

Routes template_routes() {
    return {
        {"GET", "/v1/templates", [](const RouteCall& c) { return list_templates(c.ctx, c.target, c.who()); }},
        {"POST", "/v1/templates", [](const RouteCall& c) { return create_template(c.ctx, c.request, c.who()); }},
        {"PUT", "/v1/templates/{id}", [](const RouteCall& c) { return revise_template(c.ctx, c.request, c.who(), c.param(0)); }},
    };
}

}  // namespace debrief::api
