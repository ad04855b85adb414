// Users and clients: invite a user with a role, register a client, read clients back within the actor's reach.
#include <boost/json.hpp>

#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/handlers.hpp"
#include "api/routes/read_model_json.hpp"
#include "common/json_log.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/people_tables.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

// An id the request names: absent is fine, present must be a UUID (ids are never guessable free text).
Result<std::string> optional_id(const json::object& body, std::string_view field) {
    auto value = optional_string(body, field);
    if (!value) return value.error();
    if (!value.value()) return std::string{};
    if (!is_uuid(*value.value())) return invalid("invalid_field", std::string(field) + " must be a UUID");
    return *value.value();
}

}  // namespace

HttpResponse invite_user(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    commands::InviteUserInput input;
    for (auto [field, target] : {std::pair{"name", &input.name}, {"email", &input.email}, {"role", &input.role}, {"password", &input.password}}) {
        auto value = required_string(body.value(), field);
        if (!value) return problem(value.error());
        *target = std::move(value).value();
    }
    auto lead = optional_id(body.value(), "lead_id");
    if (!lead) return problem(lead.error());
    auto client = optional_id(body.value(), "client_id");
    if (!client) return problem(client.error());
    input.lead_id = UserId{lead.value()};
    input.client_id = ClientId{client.value()};
    auto without_password = body.value();
    without_password.erase("password");
    auto context = ctx.command_context(request, &actor, json::serialize(without_password));
    if (!context) return problem(context.error());
    auto accepted = ctx.deps.commands.invite_user(actor, input, context.value());
    if (!accepted) return problem(accepted.error());
    auto user_id = accepted->id("user");
    log_info("user_invited", {{"organization_id", actor.organization_id.value}, {"user_id", user_id}, {"role", input.role}});
    return RouteContext::accepted_response(201, {{"id", user_id}}, accepted.value());
}

HttpResponse register_client(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    commands::RegisterClientInput input;
    auto name = required_string(body.value(), "name");
    if (!name) return problem(name.error());
    input.name = std::move(name).value();
    for (auto [field, target] : {std::pair{"email", &input.email}, {"team", &input.team}}) {
        auto value = optional_string(body.value(), field);
        if (!value) return problem(value.error());
        *target = value.value().value_or("");
    }
    if (const auto* tags = body->if_contains("tags"); tags && !tags->is_null()) {
        if (!tags->is_array()) return problem(invalid("invalid_field", "tags must be an array of strings"));
        for (const auto& tag : tags->as_array()) {
            if (!tag.is_string()) return problem(invalid("invalid_field", "tags must be an array of strings"));
            input.tags.emplace_back(tag.as_string());
        }
    }
    auto coach = optional_id(body.value(), "coach_id");
    if (!coach) return problem(coach.error());
    if (!coach->empty()) input.coach_id = UserId{coach.value()};
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = ctx.deps.commands.register_client(actor, input, context.value());
    if (!accepted) return problem(accepted.error());
    auto client_id = accepted->id("client");
    log_info("client_registered", {{"organization_id", actor.organization_id.value}, {"client_id", client_id}});
    auto response = RouteContext::accepted_response(201, {{"id", client_id}}, accepted.value());
    response.headers["Location"] = "/v1/clients/" + client_id;
    return response;
}

HttpResponse get_client(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    if (!is_uuid(id)) return problem(not_found("client_not_found", "no client with this id"));
    std::optional<projections::ClientRow> row;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { row = projections::find_client(connection, actor, ClientId{id}); });
    if (!row) return problem(not_found("client_not_found", "no client with this id"));
    auto response = json_response(200, client_json(*row));
    response.headers["ETag"] = "\"" + std::to_string(row->version) + "\"";
    return response;
}

HttpResponse list_clients(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    std::vector<projections::ClientRow> rows;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { rows = projections::list_clients(connection, actor); });
    json::array clients;
    for (const auto& row : rows) clients.push_back(client_json(row));
    return json_response(200, clients);
}

}  // namespace debrief::api
