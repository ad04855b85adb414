// /v1 routing: which handler serves which method and path; authentication before everything but sign-up and login.
#include "api/routes.hpp"

#include "api/audit.hpp"
#include "api/auth/api_key_uses.hpp"
#include "api/openapi/openapi_document.hpp"
#include "api/problem.hpp"
#include "api/rate_limits.hpp"
#include "api/request_json.hpp"
#include "api/route_context.hpp"
#include "api/route_matcher.hpp"
#include "commands/api_key_commands.hpp"
#include "commands/mfa_commands.hpp"
#include "commands/text_rules.hpp"
#include "common/json_log.hpp"
#include "common/metrics.hpp"

namespace debrief::api {
namespace json = boost::json;

struct Api::Impl {
    RouteContext context;
    std::vector<CompiledRoute> routes = compile_routes();
    std::unique_ptr<RateLimiter> user_limits = std::make_unique<RateLimiter>(context.settings.rate_limit_per_minute);
    std::unique_ptr<RateLimiter> address_limits = std::make_unique<RateLimiter>(context.settings.auth_rate_limit_per_minute);
    std::unique_ptr<RateLimiter> key_limits = std::make_unique<RateLimiter>(context.settings.api_key_rate_limit_per_minute);
    std::unique_ptr<ApiKeyUses> key_uses = std::make_unique<ApiKeyUses>();

    // The caller's bucket: an API key's own, the user's, or for sign-up, login and refresh (no actor yet) the client
    // address's.
    std::optional<RateDecision> take_rate(const HttpRequest& request, const commands::Actor* actor, const ApiKeyGrant* key) const {
        auto& limiter = key ? *key_limits : actor ? *user_limits : *address_limits;
        if (!limiter.active()) return std::nullopt;
        auto bucket = key ? "key:" + key->id.value : actor ? "user:" + actor->user_id.value : "address:" + request.remote_address;
        return limiter.take(bucket, context.deps.now_ms());
    }

    // Why the API key may not call this route: a route for users only, or a scope it lacks.
    static std::optional<HttpResponse> key_refusal(const Route& route, const HttpRequest& request, const ApiKeyGrant& key) {
        if (route.key_access == KeyAccess::never)
            return problem(403, "api_key_not_allowed", "", "API keys cannot call this route (credentials: API keys, second factors); use a user's token");
        const bool reads = route.key_access == KeyAccess::read || request.method == "GET" || request.method == "HEAD";
        const auto* needed = reads ? "read" : "write";
        if (key.allows(needed)) return std::nullopt;
        return problem(403, "insufficient_scope", "", std::string("this API key lacks the '") + needed + "' scope this route needs");
    }

    // The key's first request in an hour is recorded as an event (commands/api_key.hpp); a failure to record it is
    // logged and does not fail the request.
    void record_key_use(const HttpRequest& request, const commands::Actor& actor, const ApiKeyGrant& key) const {
        if (!key_uses->claim(key.id.value, key.last_used_at_ms, context.deps.now_ms())) return;
        commands::CommandContext use;
        use.cause.actor_id = actor.user_id;
        use.cause.correlation_id = valid_correlation_id(request).value_or("");
        auto recorded = commands::record_api_key_use(context.deps.commands, actor, key.id, use);
        if (!recorded) log_warn("api_key_use_not_recorded", {{"api_key_id", key.id.value}, {"code", recorded.error().code}});
    }

    static void add_rate_headers(HttpResponse& response, const RateDecision& decision) {
        response.headers["RateLimit-Policy"] = std::to_string(decision.limit) + ";w=60";
        response.headers["RateLimit"] = "limit=" + std::to_string(decision.limit) + ", remaining=" + std::to_string(decision.remaining) +
                                        ", reset=" + std::to_string(decision.reset_seconds);
    }

    static HttpResponse rate_limited(const RateDecision& decision, std::string_view whose) {
        auto response = problem(Error{ErrorKind::rate_limited, "rate_limited",
                                      std::string(whose) +
                                              ": at most " + std::to_string(decision.limit) + " a minute; retry after " +
                                              std::to_string(decision.retry_after_seconds) + " s"});
        response.headers["Retry-After"] = std::to_string(decision.retry_after_seconds);
        add_rate_headers(response, decision);
        return response;
    }

    // The first pattern (public ones without an actor, the rest with one) that fits the path decides; a method it
    // does not have is a 405 naming the ones it has. Nothing fits: nullopt.
    std::optional<HttpResponse> dispatch(const HttpRequest& request, const ParsedTarget& target, const commands::Actor* actor,
                                         const ApiKeyGrant* key = nullptr) const {
        std::vector<std::string> params;
        const CompiledRoute* found = nullptr;
        for (const auto& route : routes)
            if (route.route.needs_actor == (actor != nullptr) && fits(route, target.segments, params)) {
                found = &route;
                break;
            }
        if (!found) return std::nullopt;
        std::string allowed;
        for (const auto& route : routes) {
            if (route.route.pattern != found->route.pattern) continue;
            if (route.route.method != request.method) {
                allowed += (allowed.empty() ? "" : ", ") + std::string(route.route.method);
                continue;
            }
            // The organization requires a second factor of this role and the user has none yet: enrolment only.
            if (actor && !route.route.open_before_mfa && commands::must_enrol_mfa(context.deps.write_model, *actor))
                return problem(403, "mfa_enrolment_required", "",
                               "your organization requires a second factor for your role: enrol one with POST /v1/users/me/mfa, then confirm it "
                               "with POST /v1/users/me/mfa/confirm");
            if (key)
                if (auto refused = key_refusal(route.route, request, *key)) {
                    refused->route = route.route.pattern;
                    return refused;
                }
            const auto rate = take_rate(request, actor, key);
            if (rate && !rate->allowed) {
                auto refused = rate_limited(*rate, key      ? "too many requests with this API key"
                                                   : actor ? "too many requests from this user"
                                                           : "too many sign-ups, logins and refreshes from this address");
                refused.route = route.route.pattern;
                return refused;
            }
            if (key) record_key_use(request, *actor, *key);
            auto response = route.route.handler(RouteCall{context, request, target, actor, std::move(params)});
            response.route = route.route.pattern;
            if (rate) add_rate_headers(response, *rate);
            if (actor && !route.route.audit_action.empty()) record_audited_read(context, request, *actor, route.route.audit_action, response);
            return response;
        }
        auto response = problem(405, "method_not_allowed", "", "use " + allowed + " on this path");
        response.route = found->route.pattern;
        response.headers["Allow"] = allowed;
        return response;
    }

    // Slow: a read-your-writes wait, a read as of a past time, or a route marked slow (whichever of its public or authenticated form fits).
    bool is_slow(const HttpRequest& request) const {
        auto target = parse_target(request.target);
        if (!target) return false;
        if (target->query.contains("position") || target->query.contains("as_of")) return true;  // a wait, or a question to the log
        std::vector<std::string> params;
        for (const auto& route : routes)
            if (route.route.method == request.method && fits(route, target->segments, params)) return route.route.slow;
        return false;
    }

    // A path answered outside the route tables serves GET only; another method is 405 like a table's route.
    static HttpResponse get_only(std::string route) {
        auto refused = problem(405, "method_not_allowed", "", "use GET on this path");
        refused.headers["Allow"] = "GET";
        refused.route = std::move(route);
        return refused;
    }

    std::optional<HttpResponse> probe(const std::string& method, const ParsedTarget& target) const {
        if (target.segments.size() != 1) return std::nullopt;
        const auto& name = target.segments[0];
        if (name != "healthz" && name != "readyz" && name != "metrics") return std::nullopt;
        if (method != "GET") return get_only("/" + name);
        auto answered = probe_answer(name);
        if (answered) answered->route = "/" + name;
        return answered;
    }

    // GET /v1/ws that reached the routes: the HTTP server upgrades the WebSocket requests itself while it serves
    // WebSockets (api/http/http_server.cpp), so this one is a plain request, or an upgrade while it serves none.
    static HttpResponse websocket_without_upgrade(const HttpRequest& request) {
        if (request.method != "GET") return get_only("/v1/ws");
        auto upgrade = request.header("Upgrade").value_or("");
        std::transform(upgrade.begin(), upgrade.end(), upgrade.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        auto response = upgrade == "websocket" ? problem(404, "route_not_found", "", "this instance serves no WebSockets")
                                               : problem(426, "upgrade_required", "", "/v1/ws is a WebSocket: send the upgrade request (Upgrade: websocket)");
        if (response.status == 426) response.headers["Upgrade"] = "websocket";
        response.route = "/v1/ws";
        return response;
    }

    std::optional<HttpResponse> probe_answer(const std::string& name) const {
        if (name == "healthz") return json_response(200, json::object{{"status", "ok"}});
        if (name == "metrics") {
            HttpResponse response;
            response.content_type = "text/plain; version=0.0.4; charset=utf-8";
            response.body = metrics::registry().exposition();
            return response;
        }
        if (name != "readyz") return std::nullopt;
        auto readiness = context.deps.readiness();
        json::array read_models;
        for (const auto& model : readiness.read_models)
            read_models.push_back(json::object{{"name", model.name},
                                               {"state", model.state},
                                               {"lag_events", model.lag_events},
                                               {"dead_letters", model.dead_letters},
                                               {"last_error", model.last_error}});
        if (readiness.ready()) return json_response(200, json::object{{"status", "ready"}, {"read_models", std::move(read_models)}});
        std::string failing;
        json::array checks;
        for (auto name : readiness.failing()) {
            failing += (failing.empty() ? "" : ", ") + std::string(name);
            checks.push_back(json::string(name));
        }
        // Plain JSON, not problem+json: probes read "status" as a word, and problem+json's "status" is a number.
        return json_response(503, json::object{{"status", "not_ready"},
                                               {"code", "not_ready"},
                                               {"detail", "not ready: " + failing},
                                               {"failing", std::move(checks)},
                                               {"read_models", std::move(read_models)}});
    }

    // GET /v1/openapi.json: public, before the rate limits, merged once (api/openapi/openapi_document.hpp).
    static HttpResponse openapi_answer(const HttpRequest& request) {
        if (request.method != "GET") return get_only("/v1/openapi.json");
        HttpResponse response;
        response.content_type = "application/json";
        response.body = openapi::document();
        response.route = "/v1/openapi.json";
        return response;
    }

    HttpResponse route(const HttpRequest& request) const {
        auto target = parse_target(request.target);
        if (!target) return problem(400, "invalid_target", "", "the request target is not a valid URL path");
        // Query parameters follow the text rules too (one line): no route's filter or name can carry a NUL or bad UTF-8.
        for (const auto& [key, value] : target->query) {
            const auto name = commands::with_invalid_utf8_replaced(key);  // the answer quotes it and must stay JSON
            auto bad = commands::check_text("query parameter " + name, key, commands::TextKind::line);
            if (!bad) bad = commands::check_text("query parameter " + name, value, commands::TextKind::line);
            if (bad) {
                bad->field = "query." + name;
                return problem(*bad);
            }
        }
        const auto& s = target->segments;
        if (auto answered = probe(request.method, *target)) return *answered;
        if (s.empty() || s[0] != "v1") return problem(404, "route_not_found", "", "no such route");
        if (s.size() == 2 && s[1] == "openapi.json") return openapi_answer(request);
        if (s.size() == 2 && s[1] == "ws") return websocket_without_upgrade(request);
        if (auto answered = dispatch(request, *target, nullptr)) return *answered;

        // Everything else needs a valid access token; the organization always comes from it.
        auto claims = context.authenticate(request);
        if (!claims) return problem(claims.error());
        const auto* key = claims->api_key ? &*claims->api_key : nullptr;
        if (auto answered = dispatch(request, *target, &claims->actor, key)) return *answered;
        return problem(404, "route_not_found", "", "no such route");
    }
};

Api::Api(ApiDependencies dependencies, ApiSettings settings)
    : impl_(std::make_unique<Impl>(Impl{RouteContext{std::move(dependencies), settings, std::make_shared<WaitSlots>(settings.max_position_waits),
                                                           std::make_shared<LoginThrottle>(settings.login_throttle)}})) {}
Api::~Api() = default;
const ApiSettings& Api::settings() const { return impl_->context.settings; }

std::optional<HttpResponse> Api::probe(const HttpRequest& request) const {
    auto target = parse_target(request.target);
    if (!target) return std::nullopt;
    return impl_->probe(request.method, *target);
}

Result<TokenClaims> Api::authenticate(const std::string& access_token) const { return impl_->context.authenticate_token(access_token); }

bool Api::is_slow(const HttpRequest& request) const { return impl_->is_slow(request); }

HttpResponse Api::handle(const HttpRequest& request) const {
    try {
        return impl_->route(request);
    } catch (const std::exception& e) {
        log_error("request_failed", {{"method", request.method}, {"error", e.what()}});
        return problem(503, "unavailable", "", "a backing service failed; the request can be retried");
    }
}

}  // namespace debrief::api
