// API keys for integrators: an admin creates one (its secret shown once), lists them, and revokes one. A key is sent
// as `Authorization: Bearer dbk_...` and acts for its creator within its scopes (api/routes.cpp checks them).
#include <boost/json.hpp>

#include "api/auth/api_key_token.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "commands/api_key_commands.hpp"
#include "commands/write_model.hpp"
#include "events/cloudevents.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

json::value time_or_null(std::int64_t ms) { return ms == 0 ? json::value(nullptr) : json::value(events::rfc3339_utc(ms)); }

json::object api_key_json(const ApiKeyId& id, const commands::ApiKeyState& key) {
    json::array scopes;
    for (const auto& scope : key.scopes) scopes.push_back(json::string(scope));
    return json::object{{"id", id.value},
                        {"name", key.name},
                        {"scopes", std::move(scopes)},
                        {"prefix", key.prefix},
                        {"status", key.revoked_at_ms == 0 ? "active" : "revoked"},
                        {"created_by", key.created_by.value},
                        {"created_at", time_or_null(key.created_at_ms)},
                        {"last_used_at", time_or_null(key.last_used_at_ms)},
                        {"revoked_at", time_or_null(key.revoked_at_ms)}};
}

std::optional<HttpResponse> refuse_unless_admin(const commands::Actor& actor) {
    if (actor.role == "admin") return std::nullopt;
    return problem(403, "forbidden", "", "only an admin may manage API keys");
}

}  // namespace

HttpResponse create_api_key(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
    if (auto refused = refuse_unless_admin(actor)) return *refused;
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    auto name = required_string(body.value(), "name", TextKind::name);
    if (!name) return problem(name.error());
    auto scopes = optional_string_array(body.value(), "scopes");
    if (!scopes) return problem(scopes.error());
    if (!body->contains("scopes")) return problem(invalid("missing_field", "scopes is required: [\"read\"], [\"write\"] or both"));
    // The body holds no secret: the secret is minted here, so a retry (same Idempotency-Key) fingerprints the same body.
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    const ApiKeyId id{ctx.deps.commands.new_id()};
    auto minted = mint_api_key(id);
    auto accepted = commands::create_api_key(ctx.deps.commands, actor, id, std::move(name).value(), std::move(scopes).value(),
                                             std::move(minted.secret_hash), context.value());
    if (!accepted) return problem(accepted.error());
    const ApiKeyId created{accepted->id("api_key")};
    auto out = api_key_json(created, ctx.deps.write_model.committed_state(created));
    if (accepted->replayed) {
        // The secret went out with the first answer only; it is not kept anywhere to be shown again.
        out["key"] = nullptr;
        out["detail"] = "a retry: the secret is shown only in the first answer; if it was lost, revoke this key and create another";
    } else {
        out["key"] = minted.token;
    }
    auto response = RouteContext::accepted_response(201, std::move(out), accepted.value());
    response.headers["Cache-Control"] = "no-store";
    return response;
}

HttpResponse list_api_keys(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto refused = refuse_unless_admin(actor)) return *refused;
    if (auto bad = unknown_parameter(target.query, {}, "(none)")) return problem(*bad);
    json::array keys;
    for (const auto& [id, key] : ctx.deps.write_model.api_keys_of(actor.organization_id)) keys.push_back(api_key_json(id, key));
    return json_response(200, json::object{{"api_keys", std::move(keys)}});
}

HttpResponse revoke_api_key(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    if (auto refused = refuse_unless_admin(actor)) return *refused;
    if (!is_uuid(id)) return problem(not_found("api_key_not_found", "no such API key"));
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::revoke_api_key(ctx.deps.commands, actor, ApiKeyId{id}, context.value());
    if (!accepted) return problem(accepted.error());
    return RouteContext::accepted_response(200, api_key_json(ApiKeyId{id}, ctx.deps.write_model.committed_state(ApiKeyId{id})), accepted.value());
}

Routes api_key_routes() {
    return {
        for_api_keys(KeyAccess::never, {"POST", "/v1/api-keys", [](const RouteCall& c) { return create_api_key(c.ctx, c.request, c.who()); }}),
        for_api_keys(KeyAccess::never, {"GET", "/v1/api-keys", [](const RouteCall& c) { return list_api_keys(c.ctx, c.target, c.who()); }}),
        for_api_keys(KeyAccess::never,
                     {"DELETE", "/v1/api-keys/{id}", [](const RouteCall& c) { return revoke_api_key(c.ctx, c.request, c.who(), c.param(0)); }}),
    };
}

}  // namespace debrief::api
