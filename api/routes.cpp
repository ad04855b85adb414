// /v1 routing: which handler serves which method and path; authentication before everything but sign-up and login.
#include "api/routes.hpp"

#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/route_context.hpp"
#include "api/routes/handlers.hpp"
#include "commands/text_rules.hpp"
#include "common/json_log.hpp"

namespace debrief::api {
namespace json = boost::json;

struct Api::Impl {
    RouteContext context;

    std::optional<HttpResponse> probe(const ParsedTarget& target) const {
        if (target.segments.size() != 1) return std::nullopt;
        if (target.segments[0] == "healthz") return json_response(200, json::object{{"status", "ok"}});
        if (target.segments[0] != "readyz") return std::nullopt;
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
        const auto& method = request.method;
        auto path_is = [&](std::initializer_list<std::string_view> expected) {
            return s.size() == expected.size() && std::equal(expected.begin(), expected.end(), s.begin());
        };
        auto method_not_allowed = [&](std::string_view allowed) {
            auto response = problem(405, "method_not_allowed", "", "use " + std::string(allowed) + " on this path");
            response.headers["Allow"] = std::string(allowed);
            return response;
        };

        if (auto answered = probe(*target)) return *answered;
        if (s.empty() || s[0] != "v1") return problem(404, "route_not_found", "", "no such route");
        if (path_is({"v1", "signup"})) return method == "POST" ? sign_up(context, request) : method_not_allowed("POST");
        if (path_is({"v1", "auth", "login"})) return method == "POST" ? log_in(context, request) : method_not_allowed("POST");
        if (path_is({"v1", "auth", "refresh"})) return method == "POST" ? refresh(context, request) : method_not_allowed("POST");

        // Everything below needs a valid access token; the organization always comes from it.
        auto actor = context.authenticate(request);
        if (!actor) return problem(actor.error());
        if (path_is({"v1", "sessions"})) return method == "POST" ? create_session(context, request, actor.value()) : method_not_allowed("POST");
        if (s.size() == 3 && s[1] == "sessions") return method == "GET" ? get_session(context, *target, actor.value(), s[2]) : method_not_allowed("GET");
        if (s.size() == 4 && s[1] == "sessions" && s[3] == "summaries")
            return method == "GET" ? list_session_summaries(context, *target, actor.value(), s[2]) : method_not_allowed("GET");
        if (s.size() == 4 && s[1] == "sessions" && s[3] == "transcript")
            return method == "GET" ? get_transcript(context, *target, actor.value(), s[2]) : method_not_allowed("GET");
        if (s.size() == 4 && s[1] == "summaries" && s[3] == "document")
            return method == "GET" ? summary_document(context, *target, actor.value(), s[2]) : method_not_allowed("GET");
        if (s.size() == 4 && s[1] == "summaries") {
            if (method != "POST") return method_not_allowed("POST");
            if (s[3] == "refine") return refine_summary(context, request, actor.value(), s[2]);
            if (s[3] == "approve") return approve_summary(context, request, actor.value(), s[2]);
            if (s[3] == "reopen") return reopen_summary(context, request, actor.value(), s[2]);
        }
        if (path_is({"v1", "action-items"})) {
            if (method == "POST") return create_action_item(context, request, actor.value());
            if (method == "GET") return list_action_items(context, *target, actor.value());
            return method_not_allowed("GET, POST");
        }
        if (s.size() == 4 && s[1] == "action-items")
            return method == "POST" ? change_action_item(context, request, actor.value(), s[2], s[3]) : method_not_allowed("POST");
        if (path_is({"v1", "notes"})) return method == "POST" ? add_note(context, request, actor.value()) : method_not_allowed("POST");
        if (s.size() == 4 && s[1] == "notes" && s[3] == "address")
            return method == "POST" ? address_note(context, request, actor.value(), s[2]) : method_not_allowed("POST");
        if (path_is({"v1", "metrics", "imports"})) return method == "POST" ? stage_metrics_import(context, request, actor.value()) : method_not_allowed("POST");
        if (s.size() == 4 && s[1] == "metrics" && s[2] == "imports")
            return method == "GET" ? get_metrics_import(context, *target, actor.value(), s[3]) : method_not_allowed("GET");
        if (s.size() == 5 && s[1] == "metrics" && s[2] == "imports")
            return method == "POST" ? settle_metrics_import(context, request, actor.value(), s[3], s[4]) : method_not_allowed("POST");
        if (s.size() == 4 && s[1] == "clients" && s[3] == "metrics")
            return method == "GET" ? client_metrics(context, *target, actor.value(), s[2]) : method_not_allowed("GET");
        if (s.size() == 4 && s[1] == "clients" && s[3] == "prep")
            return method == "GET" ? client_prep(context, *target, actor.value(), s[2]) : method_not_allowed("GET");
        if (path_is({"v1", "templates"})) {
            if (method == "POST") return create_template(context, request, actor.value());
            if (method == "GET") return list_templates(context, *target, actor.value());
            return method_not_allowed("GET, POST");
        }
        if (s.size() == 3 && s[1] == "templates") return method == "PUT" ? revise_template(context, request, actor.value(), s[2]) : method_not_allowed("PUT");
        if (path_is({"v1", "follow-ups"})) {
            if (method == "POST") return draft_follow_up(context, request, actor.value());
            if (method == "GET") return list_follow_ups(context, *target, actor.value(), "");
            return method_not_allowed("GET, POST");
        }
        if (s.size() == 3 && s[1] == "follow-ups") return method == "GET" ? list_follow_ups(context, *target, actor.value(), s[2]) : method_not_allowed("GET");
        if (s.size() == 4 && s[1] == "follow-ups" && s[3] == "send")
            return method == "POST" ? send_follow_up(context, request, actor.value(), s[2]) : method_not_allowed("POST");
        if (path_is({"v1", "users"})) {
            if (method == "POST") return invite_user(context, request, actor.value());
            if (method == "GET") return list_users(context, *target, actor.value(), "");
            return method_not_allowed("GET, POST");
        }
        if (s.size() == 3 && s[1] == "users") return method == "GET" ? list_users(context, *target, actor.value(), s[2]) : method_not_allowed("GET");
        if (s.size() == 4 && s[1] == "users" && s[3] == "voice-profile")
            return method == "PUT" ? set_voice_profile(context, request, actor.value(), s[2]) : method_not_allowed("PUT");
        if (s.size() == 4 && s[1] == "users" && s[3] == "notification-preferences")
            return method == "PUT" ? set_notification_preferences(context, request, actor.value(), s[2]) : method_not_allowed("PUT");
        if (s.size() == 4 && s[1] == "users") return method == "POST" ? manage_user(context, request, actor.value(), s[2], s[3]) : method_not_allowed("POST");
        if (path_is({"v1", "clients"})) {
            if (method == "POST") return register_client(context, request, actor.value());
            if (method == "GET") return list_clients(context, *target, actor.value());
            return method_not_allowed("GET, POST");
        }
        if (s.size() == 3 && s[1] == "clients") return method == "GET" ? get_client(context, *target, actor.value(), s[2]) : method_not_allowed("GET");
        if (path_is({"v1", "admin", "dead-letters"})) return method == "GET" ? list_dead_letters(context, *target, actor.value()) : method_not_allowed("GET");
        if (s.size() == 5 && s[1] == "admin" && s[2] == "dead-letters" && s[4] == "retry")
            return method == "POST" ? retry_dead_letter(context, actor.value(), s[3]) : method_not_allowed("POST");
        return problem(404, "route_not_found", "", "no such route");
    }
};

Api::Api(ApiDependencies dependencies, ApiSettings settings)
    : impl_(std::make_unique<Impl>(Impl{RouteContext{std::move(dependencies), settings, std::make_shared<WaitSlots>(settings.max_position_waits)}})) {}
Api::~Api() = default;
const ApiSettings& Api::settings() const { return impl_->context.settings; }

std::optional<HttpResponse> Api::probe(const HttpRequest& request) const {
    auto target = parse_target(request.target);
    if (!target) return std::nullopt;
    return impl_->probe(*target);
}

HttpResponse Api::handle(const HttpRequest& request) const {
    try {
        return impl_->route(request);
    } catch (const std::exception& e) {
        log_error("request_failed", {{"method", request.method}, {"error", e.what()}});
        return problem(503, "unavailable", "", "a backing service failed; the request can be retried");
    }
}

}  // namespace debrief::api
