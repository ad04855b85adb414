// What a browser expects of an API it calls from a page: a strict CORS allowlist (DEBRIEF_ALLOWED_ORIGINS, the same
// list the WebSocket upgrade checks) and security headers on every answer. Pure: the server applies it to each
// request and answer (api/http/http_server.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/http_message.hpp"

namespace debrief::api {

struct BrowserEdgeSettings {
    std::vector<std::string> allowed_origins;  // scheme://host[:port]
    bool tls = false;                          // HSTS only over HTTPS: a browser ignores it over plain HTTP anyway
};

bool origin_allowed(const std::vector<std::string>& allowed, std::string_view origin);

// The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method): 204 with what the origin
// may send when it is allowed, 403 origin_not_allowed when it is not; nullopt for any other request.
std::optional<HttpResponse> preflight_answer(const HttpRequest& request, const BrowserEdgeSettings& settings);

// The headers every answer carries: X-Content-Type-Options, X-Frame-Options and CSP frame-ancestors,
// Referrer-Policy, HSTS over TLS; and for a request from an allowed origin, Access-Control-Allow-Origin with the
// headers a page may read. request is null for an answer to a request that could not be parsed.
void add_browser_headers(const HttpRequest* request, HttpResponse& response, const BrowserEdgeSettings& settings);

}  // namespace debrief::api
