// A route: method, path pattern ("/v1/notes/{id}/address") and handler. Each area's file under api/routes/ keeps its
// own table (api/routes/areas.hpp lists the areas); api/routes.cpp matches a request against them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/http_message.hpp"
#include "api/route_context.hpp"
#include "commands/actor.hpp"

namespace debrief::api {

// One matched request: the path's {placeholders} in order, and the authenticated actor (none on public routes).
struct RouteCall {
    const RouteContext& ctx;
    const HttpRequest& request;
    const ParsedTarget& target;
    const commands::Actor* actor;
    std::vector<std::string> params;

    const commands::Actor& who() const { return *actor; }
    const std::string& param(std::size_t index) const { return params.at(index); }
};

using RouteHandler = HttpResponse (*)(const RouteCall&);

// What an API key needs to call a route: by default a GET needs the read scope and anything else the write scope;
// a POST that only reads (a search, a WebSocket ticket) says read; what manages credentials (API keys, second
// factors) is for users only.
enum class KeyAccess { by_method, read, never };

struct Route {
    std::string_view method;
    std::string_view pattern;
    RouteHandler handler;
    bool needs_actor = true;  // false only for sign-up, login and refresh: everything else needs an access token
    // Runs on the HTTP server's slow pool: it hashes a password or may call the LLM provider, so it must not hold
    // a thread that commands and reads need.
    bool slow = false;
    // Serves a user whose role the organization's policy requires a second factor of, before they have enabled one
    // (the MFA routes): every other route answers them 403 mfa_enrolment_required.
    bool open_before_mfa = false;
    // A read of private material: its answers (and refusals) are recorded in the audit trail under this action.
    std::string_view audit_action = {};
    KeyAccess key_access = KeyAccess::by_method;
    // For a pattern with a {verb} segment: the verbs its handler serves. Any other verb matches no route (404), so this
    // list is the one the router, the handler and the OpenAPI document's test (tests/unit/openapi_test.cpp) agree on.
    std::span<const std::string_view> verbs = {};
};

// The route, audited as `action` (api/audit.hpp).
inline Route audited(std::string_view action, Route route) {
    route.audit_action = action;
    return route;
}

// The route, with what an API key needs to call it.
inline Route for_api_keys(KeyAccess access, Route route) {
    route.key_access = access;
    return route;
}

// The route, serving only these verbs in its {verb} segment.
inline Route with_verbs(std::span<const std::string_view> verbs, Route route) {
    route.verbs = verbs;
    return route;
}

using Routes = std::vector<Route>;

}  // namespace debrief::api
