// Follow-ups: draft one from an approved summary and a template, send it (now or later) through the outbox.
#include <boost/json.hpp>

#include "api/audit.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/follow_up_commands.hpp"
#include "commands/templates/template_text.hpp"
#include "commands/write_model.hpp"
#include "common/rfc3339.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/follow_up_tables.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

json::object follow_up_json(const projections::FollowUpRow& row) {
    return json::object{{"id", row.id},
                        {"summary_id", row.summary_id},
                        {"session_id", row.session_id},
                        {"client_id", row.client_id},
                        {"client_name", row.client_name},
                        {"coach_id", row.coach_id},
                        {"template_id", row.template_id},
                        {"to", row.recipient},
                        {"subject", row.subject},
                        {"body", row.body},
                        {"status", row.status},
                        {"send_at", null_if_empty(row.send_at)},
                        {"attempts", row.attempts},
                        {"last_error", null_if_empty(row.last_error)},
                        {"next_attempt_at", null_if_empty(row.next_attempt_at)},
                        {"sent_at", null_if_empty(row.sent_at)},
                        {"channel", null_if_empty(row.channel)},
                        {"version", row.version}};
}

// Straight after a command: the write side's state, so the caller sees its change without waiting for a projector.
json::object follow_up_json(const commands::FollowUpState& state, const FollowUpId& id) {
    return json::object{{"id", id.value},         {"summary_id", state.summary_id.value}, {"client_id", state.client_id.value},
                        {"coach_id", state.coach_id.value}, {"to", state.recipient},  {"subject", state.subject},
                        {"body", state.body},     {"status", commands::to_string(state.status)}, {"attempts", state.attempts},
                        {"version", state.version}};
}

}  // namespace

HttpResponse draft_follow_up(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    auto summary = required_string(body.value(), "summary_id");
    if (!summary) return problem(summary.error());
    if (!is_uuid(summary.value())) return problem(invalid("invalid_field", "summary_id must be a UUID"));
    commands::DraftFollowUpInput input;
    input.summary_id = SummaryId{summary.value()};
    std::optional<std::string> template_id, to;
    if (auto bad = read_optional_strings(body.value(), {{"template_id", &template_id}, {"to", &to}, {"subject", &input.subject}, {"body", &input.body, TextKind::multiline}}))
        return problem(*bad);
    input.template_id = template_id.value_or("");
    if (!input.template_id.empty() && !is_uuid(input.template_id) && !templates::system_default(input.template_id))
        return problem(not_found("template_not_found", "no such template"));
    input.recipient = to.value_or("");
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::draft_follow_up(ctx.deps.commands, actor, input, context.value());
    if (!accepted) return problem(accepted.error());
    FollowUpId id{accepted->id("follow_up")};
    return RouteContext::accepted_response(201, {{"id", id.value}, {"follow_up", follow_up_json(ctx.deps.write_model.committed_state(id), id)}},
                                           accepted.value());
}

HttpResponse send_follow_up(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    if (!is_uuid(id)) return problem(not_found("follow_up_not_found", "no such follow-up"));
    std::int64_t send_at_ms = 0;
    if (!request.body.empty()) {
        auto body = parse_json_object(request);
        if (!body) return problem(body.error());
        auto send_at = optional_string(body.value(), "send_at");
        if (!send_at) return problem(send_at.error());
        if (send_at.value()) {
            auto parsed = parse_rfc3339_ms(*send_at.value());
            if (!parsed) return problem(invalid("invalid_send_at", "send_at must be an RFC 3339 time, e.g. 2026-12-02T09:00:00Z"));
            send_at_ms = *parsed;
        }
    }
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::send_follow_up(ctx.deps.commands, actor, FollowUpId{id}, send_at_ms, context.value());
    if (!accepted) return problem(accepted.error());
    if (ctx.deps.outbox_wake) ctx.deps.outbox_wake();
    auto state = ctx.deps.write_model.committed_state(FollowUpId{id});
    auto answer = follow_up_json(state, FollowUpId{id});
    answer["send_at_ms"] = state.next_attempt_ms;
    return RouteContext::accepted_response(200, {{"follow_up", std::move(answer)}}, accepted.value());
}

HttpResponse list_follow_ups(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    projections::FollowUpFilter filter;
    auto query = [&](const char* key) {
        auto it = target.query.find(key);
        return it == target.query.end() ? std::string{} : it->second;
    };
    filter.id = id;
    filter.client_id = query("client_id");
    filter.status = query("status");
    if (!id.empty() && !is_uuid(id)) return problem(not_found("follow_up_not_found", "no such follow-up"));
    if (!filter.client_id.empty() && !is_uuid(filter.client_id)) return problem(invalid("invalid_filter", "client_id must be a UUID"));
    if (!filter.status.empty() && filter.status != "draft" && filter.status != "scheduled" && filter.status != "sent" && filter.status != "failed")
        return problem(invalid("invalid_filter", "status must be one of draft, scheduled, sent, failed"));
    std::vector<projections::FollowUpRow> rows;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { rows = projections::list_follow_ups(connection, actor, filter); });
    if (id.empty())
        return rows_concerning(rows, [](const projections::FollowUpRow& row) { return follow_up_json(row); }, [](const auto& row) { return row.client_id; });
    if (rows.empty()) return problem(not_found("follow_up_not_found", "no such follow-up"));
    return concerning(rows.front().client_id, json_response(200, follow_up_json(rows.front())));
}

Routes follow_up_routes() {
    return {
        audited("follow_up.read", {"GET", "/v1/follow-ups", [](const RouteCall& c) { return list_follow_ups(c.ctx, c.target, c.who(), ""); }}),
        {"POST", "/v1/follow-ups", [](const RouteCall& c) { return draft_follow_up(c.ctx, c.request, c.who()); }},
        audited("follow_up.read",
                {"GET", "/v1/follow-ups/{id}", [](const RouteCall& c) { return list_follow_ups(c.ctx, c.target, c.who(), c.param(0)); }}),
        {"POST", "/v1/follow-ups/{id}/send", [](const RouteCall& c) { return send_follow_up(c.ctx, c.request, c.who(), c.param(0)); }},
    };
}

}  // namespace debrief::api
