// Users and clients: invite a user with a role, register a client, read clients back within the actor's reach.
#include <boost/json.hpp>

#include "api/audit.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/login_session_commands.hpp"
#include "commands/people_commands.hpp"
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
    for (auto [field, target] : {std::pair{"name", &input.name}, {"email", &input.email}, {"role", &input.role}}) {
        auto value = required_string(body.value(), field);
        if (!value) return problem(value.error());
        *target = std::move(value).value();
    }
    auto password = required_string(body.value(), "password", TextKind::multiline);  // a passphrase may hold any printable text
    if (!password) return problem(password.error());
    input.password = std::move(password).value();
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
    auto accepted = commands::invite_user(ctx.deps.commands, actor, input, context.value());
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
    auto tags = optional_string_array(body.value(), "tags", TextKind::name);
    if (!tags) return problem(tags.error());
    input.tags = std::move(tags).value();
    auto coach = optional_id(body.value(), "coach_id");
    if (!coach) return problem(coach.error());
    if (!coach->empty()) input.coach_id = UserId{coach.value()};
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::register_client(ctx.deps.commands, actor, input, context.value());
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

// Admins only. Answered once the erasure is durable: the keys are gone from then on; the read models drop their
// copies as they reach the position (?position= on a read waits for it).
HttpResponse erase_client(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    if (!is_uuid(id)) return problem(not_found("client_not_found", "no client with this id"));
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::erase_client(ctx.deps.commands, actor, ClientId{id}, context.value());
    if (!accepted) return problem(accepted.error());
    log_info("client_erased", {{"organization_id", actor.organization_id.value}, {"client_id", id}});
    if (ctx.deps.client_erased) ctx.deps.client_erased();
    return RouteContext::accepted_response(200, {{"id", id}, {"erased", true}}, accepted.value());
}

HttpResponse list_clients(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    std::vector<projections::ClientRow> rows;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { rows = projections::list_clients(connection, actor); });
    return rows_concerning(rows, client_json, [](const auto& row) { return row.id; });
}

namespace {

UserId user_named(const commands::Actor& actor, const std::string& id) { return id == "me" ? actor.user_id : UserId{id}; }

json::object user_json(const projections::UserRow& row) {
    auto document = [](const std::string& text) { return text.empty() ? json::value(nullptr) : json::parse(text); };
    return json::object{{"id", row.id},
                        {"name", row.name},
                        {"email", row.email},
                        {"role", row.role},
                        {"lead_id", null_if_empty(row.lead_id)},
                        {"client_id", null_if_empty(row.client_id)},
                        {"active", row.active},
                        {"voice_profile", document(row.voice_profile)},
                        {"notification_preferences", document(row.notification_preferences)}};
}

HttpResponse user_changed(const RouteContext& ctx, const UserId& id, const Result<commands::Accepted>& accepted) {
    if (!accepted) return problem(accepted.error());
    auto state = ctx.deps.write_model.committed_state(id);
    return RouteContext::accepted_response(200, {{"id", id.value}, {"role", state.role}, {"active", state.active}, {"version", state.version}},
                                           accepted.value());
}

}  // namespace

HttpResponse list_users(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    auto user = id.empty() ? UserId{} : user_named(actor, id);
    if (!user.empty() && !is_uuid(user.value)) return problem(not_found("user_not_found", "no such user"));
    std::vector<projections::UserRow> rows;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { rows = projections::list_users(connection, actor, user.value); });
    if (id.empty()) return rows_concerning(rows, user_json, [](const auto& row) { return row.id; });
    if (rows.empty()) return problem(not_found("user_not_found", "no such user"));
    return concerning(rows.front().id, json_response(200, user_json(rows.front())));
}

HttpResponse manage_user(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id,
                         const std::string& verb) {
    auto user = user_named(actor, id);
    if (verb != "role" && verb != "deactivate" && verb != "reactivate" && verb != "revoke-sessions")
        return problem(404, "route_not_found", "", "no such route");
    if (!is_uuid(user.value)) return problem(not_found("user_not_found", "no such user"));
    if (verb == "revoke-sessions") {
        // Sign out everywhere: every login session and access token of the user so far ends at once.
        auto revoked = commands::revoke_user_sessions(ctx.deps.commands, actor, user);
        if (!revoked) return problem(revoked.error());
        log_info("sessions_revoked", {{"user_id", user.value}, {"by", actor.user_id.value}});
        return no_content();
    }
    json::object body;
    if (!request.body.empty() || verb == "role") {
        auto parsed = parse_json_object(request);
        if (!parsed) return problem(parsed.error());
        body = std::move(parsed).value();
    }
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    if (verb == "role") {
        auto role = required_string(body, "role");
        if (!role) return problem(role.error());
        auto lead = optional_id(body, "lead_id");
        if (!lead) return problem(lead.error());
        return user_changed(ctx, user, commands::change_role(ctx.deps.commands, actor, user, role.value(), UserId{lead.value()}, context.value()));
    }
    auto reason = optional_string(body, "reason", TextKind::multiline);
    if (!reason) return problem(reason.error());
    return user_changed(ctx, user,
                        commands::set_user_active(ctx.deps.commands, actor, user, verb == "reactivate", reason.value().value_or(""), context.value()));
}

HttpResponse set_voice_profile(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    auto user = user_named(actor, id);
    if (!is_uuid(user.value)) return problem(not_found("user_not_found", "no such user"));
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    auto tone = required_string(body.value(), "tone");
    if (!tone) return problem(tone.error());
    auto sign_off = optional_string(body.value(), "sign_off", TextKind::multiline);
    if (!sign_off) return problem(sign_off.error());
    auto avoid = optional_string_array(body.value(), "phrases_to_avoid");
    if (!avoid) return problem(avoid.error());
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    commands::SetVoiceProfile command{user, actor, tone.value(), sign_off.value().value_or(""), avoid.value()};
    return user_changed(ctx, user, commands::set_voice_profile(ctx.deps.commands, actor, command, context.value()));
}

HttpResponse set_notification_preferences(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    auto user = user_named(actor, id);
    if (!is_uuid(user.value)) return problem(not_found("user_not_found", "no such user"));
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    commands::SetNotificationPreferences command{user, actor, "", {}, "", "", ""};
    auto digest = required_string(body.value(), "email_digest");
    if (!digest) return problem(digest.error());
    command.email_digest = digest.value();
    auto notify_on = optional_string_array(body.value(), "notify_on");
    if (!notify_on) return problem(notify_on.error());
    command.notify_on = notify_on.value();
    for (auto [field, out] : {std::pair{"quiet_hours_start", &command.quiet_hours_start}, {"quiet_hours_end", &command.quiet_hours_end},
                              {"time_zone", &command.time_zone}}) {
        auto value = optional_string(body.value(), field);
        if (!value) return problem(value.error());
        *out = value.value().value_or("");
    }
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    return user_changed(ctx, user, commands::set_notification_preferences(ctx.deps.commands, actor, command, context.value()));
}

constexpr std::string_view user_verbs[] = {"role", "deactivate", "reactivate", "revoke-sessions"};

Routes people_routes() {
    return {
        audited("user.read", {"GET", "/v1/users", [](const RouteCall& c) { return list_users(c.ctx, c.target, c.who(), ""); }}),
        {"POST", "/v1/users", [](const RouteCall& c) { return invite_user(c.ctx, c.request, c.who()); }, true, true},
        audited("user.read", {"GET", "/v1/users/{id}", [](const RouteCall& c) { return list_users(c.ctx, c.target, c.who(), c.param(0)); }}),
        {"PUT", "/v1/users/{id}/voice-profile", [](const RouteCall& c) { return set_voice_profile(c.ctx, c.request, c.who(), c.param(0)); }},
        {"PUT", "/v1/users/{id}/notification-preferences",
         [](const RouteCall& c) { return set_notification_preferences(c.ctx, c.request, c.who(), c.param(0)); }},
        with_verbs(user_verbs, {"POST", "/v1/users/{id}/{verb}", [](const RouteCall& c) { return manage_user(c.ctx, c.request, c.who(), c.param(0), c.param(1)); }}),
        audited("client.read", {"GET", "/v1/clients", [](const RouteCall& c) { return list_clients(c.ctx, c.target, c.who()); }}),
        {"POST", "/v1/clients", [](const RouteCall& c) { return register_client(c.ctx, c.request, c.who()); }},
        audited("client.read",
                {"GET", "/v1/clients/{id}", [](const RouteCall& c) { return concerning(c.param(0), get_client(c.ctx, c.target, c.who(), c.param(0))); }}),
        {"POST", "/v1/clients/{id}/erase", [](const RouteCall& c) { return erase_client(c.ctx, c.request, c.who(), c.param(0)); }},
    };
}

}  // namespace debrief::api
