// Quick notes and session prep: a coach's notes about a client, and everything to read before the next session.
#include <boost/json.hpp>

#include "api/audit.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/note_commands.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/note_tables.hpp"

namespace debrief::api {
namespace json = boost::json;

HttpResponse add_note(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    auto client = required_string(body.value(), "client_id");
    if (!client) return problem(client.error());
    if (!is_uuid(client.value())) return problem(invalid("invalid_field", "client_id must be a UUID"));
    auto text = required_string(body.value(), "text", TextKind::multiline);
    if (!text) return problem(text.error());
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::add_note(ctx.deps.commands, actor, ClientId{client.value()}, text.value(), context.value());
    if (!accepted) return problem(accepted.error());
    return RouteContext::accepted_response(201, {{"id", accepted->id("note")}}, accepted.value());
}

HttpResponse address_note(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    if (!is_uuid(id)) return problem(not_found("note_not_found", "no such note"));
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    auto session = required_string(body.value(), "session_id");
    if (!session) return problem(session.error());
    if (!is_uuid(session.value())) return problem(invalid("invalid_field", "session_id must be a UUID"));
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::address_note(ctx.deps.commands, actor, NoteId{id}, SessionId{session.value()}, context.value());
    if (!accepted) return problem(accepted.error());
    return RouteContext::accepted_response(200, {{"id", id}, {"addressed_by_session", session.value()}}, accepted.value());
}

HttpResponse client_prep(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    // Minimum necessary: prep holds the coach's private notes and the client's KPIs, a coach's working material.
    if (actor.role == "client")
        return problem(403, "forbidden", "", "session prep is for coaches; a client reads their own action items and approved summaries");
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    if (!is_uuid(id)) return problem(not_found("client_not_found", "no client with this id"));
    std::optional<projections::SessionPrep> prep;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { prep = projections::session_prep(connection, actor, ClientId{id}); });
    if (!prep) return problem(not_found("client_not_found", "no client with this id"));
    json::array items, notes;
    for (const auto& item : prep->open_action_items) items.push_back(item_json(item));
    for (const auto& note : prep->unaddressed_notes) notes.push_back(json::object{{"id", note.id}, {"text", note.text}, {"created_at", note.created_at}});
    json::value last = nullptr;
    if (prep->last_approved_summary) {
        auto summary = summary_json(*prep->last_approved_summary);
        summary["session_date"] = prep->last_approved_session_date;
        last = std::move(summary);
    }
    json::array metrics;
    for (const auto& series : prep->recent_metrics) metrics.push_back(metric_trend_json(series));
    return json_response(200, json::object{{"client", client_json(prep->client)},
                                            {"recent_metrics", std::move(metrics)},
                                            {"metric_alerts", metric_alerts_json(prep->recent_metrics)},
                                            {"open_action_items", std::move(items)},
                                            {"unaddressed_notes", std::move(notes)},
                                            {"last_approved_summary", std::move(last)}});
}

Routes note_routes() {
    return {
        {"POST", "/v1/notes", [](const RouteCall& c) { return add_note(c.ctx, c.request, c.who()); }},
        {"POST", "/v1/notes/{id}/address", [](const RouteCall& c) { return address_note(c.ctx, c.request, c.who(), c.param(0)); }},
        audited("client.prep.read", {"GET", "/v1/clients/{id}/prep",
                                     [](const RouteCall& c) { return concerning(c.param(0), client_prep(c.ctx, c.target, c.who(), c.param(0))); }}),
    };
}

}  // namespace debrief::api
