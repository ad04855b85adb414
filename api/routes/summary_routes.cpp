// Summaries: a session's drafts and approved summaries, one per client participant.
#include <boost/json.hpp>

#include "api/audit.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/authorization.hpp"
#include "commands/summary_commands.hpp"
#include "commands/templates/template_text.hpp"
#include "commands/write_model.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/summary_tables.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {
json::array string_list(const std::vector<std::string>& values) {
    json::array out;
    for (const auto& v : values) out.push_back(json::string(v));
    return out;
}

// The summary as the write side holds it right after a command: what the coach just changed, without waiting.
json::object summary_json(const commands::SummaryState& state, const SummaryId& id, const std::string& client_name) {
    json::array items;
    for (const auto& item : state.content.action_items)
        items.push_back(json::object{{"title", item.title},
                                     {"owner_id", item.owner_id},
                                     {"due_date", null_if_empty(item.due_date)}});
    return json::object{{"id", id.value},
                        {"session_id", state.session_id.value},
                        {"client_id", state.client_id.value},
                        {"client_name", client_name},
                        {"status", commands::to_string(state.status)},
                        {"version", state.version},
                        {"wins", string_list(state.content.wins)},
                        {"challenges", string_list(state.content.challenges)},
                        {"action_items", std::move(items)},
                        {"coach_recommendations", string_list(state.content.coach_recommendations)}};
}

// Runs a summary command and answers {"summary", "position"} (and the refiner's "reply" when asked).
template <typename Command>
HttpResponse summary_command(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id,
                             bool with_reply, Command command) {
    if (!is_uuid(id)) return problem(not_found("summary_not_found", "no such summary"));
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = command(SummaryId{id}, context.value());
    if (!accepted) return problem(accepted.error());
    auto state = ctx.deps.write_model.committed_state(SummaryId{id});
    json::object body{{"summary", summary_json(state, SummaryId{id}, ctx.deps.write_model.committed_state(state.client_id).name)}};
    if (with_reply) body["reply"] = state.last_reply;
    auto response = RouteContext::accepted_response(200, std::move(body), accepted.value());
    response.headers["ETag"] = "\"" + std::to_string(state.version) + "\"";
    return response;
}

}  // namespace

HttpResponse refine_summary(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    auto message = required_string(body.value(), "message", TextKind::multiline);
    if (!message) return problem(message.error());
    return summary_command(ctx, request, actor, id, true, [&](const SummaryId& summary, const commands::CommandContext& context) {
        return commands::refine_summary(ctx.deps.commands, actor, summary, message.value(), context);
    });
}

HttpResponse approve_summary(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    return summary_command(ctx, request, actor, id, false, [&](const SummaryId& summary, const commands::CommandContext& context) {
        return commands::approve_summary(ctx.deps.commands, actor, summary, context);
    });
}

HttpResponse reopen_summary(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    std::string reason;
    if (!request.body.empty()) {
        auto body = parse_json_object(request);
        if (!body) return problem(body.error());
        auto given = optional_string(body.value(), "reason", TextKind::multiline);
        if (!given) return problem(given.error());
        reason = given.value().value_or("");
    }
    return summary_command(ctx, request, actor, id, false, [&](const SummaryId& summary, const commands::CommandContext& context) {
        return commands::reopen_summary(ctx.deps.commands, actor, summary, reason, context);
    });
}

HttpResponse list_session_summaries(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    if (!is_uuid(id)) return problem(not_found("session_not_found", "no session with this id"));
    std::optional<std::vector<projections::SummaryRow>> rows;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { rows = projections::session_summaries(connection, actor, SessionId{id}); });
    if (!rows) return problem(not_found("session_not_found", "no session with this id"));
    return rows_concerning(
            *rows, [](const projections::SummaryRow& row) { return summary_json(row); }, [](const auto& row) { return row.client_id; });
}

HttpResponse summary_document(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    // Rendering is a pure function of the current aggregate states, so it reads the write side: no ?position= wait.
    const auto& model = ctx.deps.write_model;
    auto summary = is_uuid(id) ? model.committed_state(SummaryId{id}) : commands::SummaryState{};
    if (!summary.exists || summary.organization_id != actor.organization_id) return problem(not_found("summary_not_found", "no such summary"));
    auto coach = model.committed_state(summary.coach_id);
    if (actor.role == "client") {
        if (model.committed_state(actor.user_id).client_id != summary.client_id || summary.status != commands::SummaryStatus::approved)
            return problem(not_found("summary_not_found", "no such summary"));
    } else if (auto refused = commands::refusal_to_act_for_coach(actor, summary.coach_id, coach)) {
        return problem(*refused);
    }
    auto it = target.query.find("template_id");
    auto template_id = it == target.query.end() ? model.default_template(actor.organization_id, summary.coach_id, "summary") : it->second;
    auto chosen = model.template_named(actor.organization_id, template_id);
    auto text = commands::render_summary(chosen, summary, model.committed_state(summary.session_id), model.committed_state(summary.client_id), coach,
                                         model.committed_state(actor.organization_id).name);
    if (!text) return problem(text.error());
    return concerning(summary.client_id.value,
                      json_response(200, json::object{{"summary_id", id}, {"template_id", template_id}, {"status", commands::to_string(summary.status)},
                                                      {"version", summary.version}, {"text", text.value()}}));
}

constexpr std::string_view summary_verbs[] = {"approve", "reopen"};

Routes summary_routes() {
    return {
        audited("summary.read", {"GET", "/v1/sessions/{id}/summaries",
                                 [](const RouteCall& c) { return list_session_summaries(c.ctx, c.target, c.who(), c.param(0)); }}),
        audited("summary.read", {"GET", "/v1/summaries/{id}/document",
                                 [](const RouteCall& c) { return summary_document(c.ctx, c.target, c.who(), c.param(0)); }}),
        {"POST", "/v1/summaries/{id}/refine", [](const RouteCall& c) { return refine_summary(c.ctx, c.request, c.who(), c.param(0)); }, true, true},
        with_verbs(summary_verbs, {"POST", "/v1/summaries/{id}/{verb}",
                                   [](const RouteCall& c) {
                                       if (c.param(1) == "approve") return approve_summary(c.ctx, c.request, c.who(), c.param(0));
                                       if (c.param(1) == "reopen") return reopen_summary(c.ctx, c.request, c.who(), c.param(0));
                                       return problem(404, "route_not_found", "", "no such route");
                                   }}),
    };
}

}  // namespace debrief::api
