// Action items: list them within the actor's reach, create one by hand, and move it through its states.
#include <boost/json.hpp>

#include "api/audit.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/action_item_commands.hpp"
#include "commands/write_model.hpp"
#include "projections/postgres/action_item_tables.hpp"
#include "projections/postgres/connection_pool.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

// Straight after a command: the write side's state, so the caller sees its change without waiting for a projector.
json::object item_json(const commands::ActionItemState& state, const ActionItemId& id) {
    return json::object{{"id", id.value},       {"client_id", state.client_id.value}, {"title", state.title},
                        {"owner_id", state.owner_id}, {"due_date", null_if_empty(state.due_date)}, {"status", commands::to_string(state.status)},
                        {"source", state.source}, {"version", state.version}};
}

}  // namespace

HttpResponse list_action_items(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    projections::ActionItemFilter filter;
    auto query = [&](const char* key) {
        auto it = target.query.find(key);
        return it == target.query.end() ? std::string{} : it->second;
    };
    filter.owner_id = query("owner_id");
    filter.client_id = query("client_id");
    filter.status = query("status");
    if (!filter.status.empty() && filter.status != "open" && filter.status != "done" && filter.status != "cancelled" && filter.status != "overdue")
        return problem(invalid("invalid_filter", "status must be one of open, done, cancelled, overdue"));
    for (const auto* id : {&filter.owner_id, &filter.client_id})
        if (!id->empty() && !is_uuid(*id)) return problem(invalid("invalid_filter", "owner_id and client_id must be UUIDs"));
    std::vector<projections::ActionItemRow> rows;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { rows = projections::list_action_items(connection, actor, filter); });
    return rows_concerning(
            rows, [](const projections::ActionItemRow& row) { return item_json(row); }, [](const auto& row) { return row.client_id; });
}

HttpResponse create_action_item(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    commands::CreateActionItemInput input;
    auto client = required_string(body.value(), "client_id");
    if (!client) return problem(client.error());
    if (!is_uuid(client.value())) return problem(invalid("invalid_field", "client_id must be a UUID"));
    input.client_id = ClientId{client.value()};
    auto title = required_string(body.value(), "title");
    if (!title) return problem(title.error());
    input.title = std::move(title).value();
    for (auto [field, out] : {std::pair{"owner_id", &input.owner_id}, {"due_date", &input.due_date}}) {
        auto value = optional_string(body.value(), field);
        if (!value) return problem(value.error());
        *out = value.value().value_or("");
    }
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::create_action_item(ctx.deps.commands, actor, input, context.value());
    if (!accepted) return problem(accepted.error());
    return RouteContext::accepted_response(201, {{"id", accepted->id("action_item")}}, accepted.value());
}

HttpResponse change_action_item(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id,
                                const std::string& verb) {
    using Kind = commands::ActionItemChangeKind;
    static const std::map<std::string, std::pair<Kind, const char*>, std::less<>> verbs{
        {"complete", {Kind::complete, nullptr}}, {"reopen", {Kind::reopen, nullptr}},        {"cancel", {Kind::cancel, "reason"}},
        {"assign", {Kind::assign, "owner_id"}},  {"reschedule", {Kind::reschedule, "due_date"}}};
    auto found = verbs.find(verb);
    if (found == verbs.end()) return problem(404, "route_not_found", "", "no such route");
    if (!is_uuid(id)) return problem(not_found("action_item_not_found", "no such action item"));
    auto [kind, field] = found->second;
    std::string value;
    if (field && (!request.body.empty() || kind != Kind::cancel)) {
        auto body = parse_json_object(request);
        if (!body) return problem(body.error());
        auto given = optional_string(body.value(), field, kind == Kind::cancel ? TextKind::multiline : TextKind::line);
        if (!given) return problem(given.error());
        if (kind != Kind::cancel && !given.value()) return problem(invalid("missing_field", std::string(field) + " is required"));
        value = given.value().value_or("");
    }
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::change_action_item(ctx.deps.commands, actor, ActionItemId{id}, kind, value, context.value());
    if (!accepted) return problem(accepted.error());
    auto state = ctx.deps.write_model.committed_state(ActionItemId{id});
    return RouteContext::accepted_response(200, {{"action_item", item_json(state, ActionItemId{id})}}, accepted.value());
}

constexpr std::string_view action_item_verbs[] = {"complete", "reopen", "cancel", "assign", "reschedule"};

Routes action_item_routes() {
    return {
        audited("action_item.read", {"GET", "/v1/action-items", [](const RouteCall& c) { return list_action_items(c.ctx, c.target, c.who()); }}),
        {"POST", "/v1/action-items", [](const RouteCall& c) { return create_action_item(c.ctx, c.request, c.who()); }},
        with_verbs(action_item_verbs,
                   {"POST", "/v1/action-items/{id}/{verb}", [](const RouteCall& c) { return change_action_item(c.ctx, c.request, c.who(), c.param(0), c.param(1)); }}),
    };
}

}  // namespace debrief::api
