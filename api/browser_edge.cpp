#include "api/browser_edge.hpp"

#include <algorithm>

#include "api/problem.hpp"

namespace debrief::api {
namespace {
// What a page may send besides the CORS-safelisted headers, and read besides the safelisted ones.
constexpr const char* allowed_methods = "GET, POST, PUT, PATCH, DELETE";
constexpr const char* allowed_headers = "Authorization, Content-Type, If-Match, Idempotency-Key, X-Correlation-Id";
constexpr const char* exposed_headers = "ETag, Location, Retry-After, RateLimit, RateLimit-Policy, X-Correlation-Id";
}  // namespace

bool origin_allowed(const std::vector<std::string>& allowed, std::string_view origin) {
    return std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

std::optional<HttpResponse> preflight_answer(const HttpRequest& request, const BrowserEdgeSettings& settings) {
    if (request.method != "OPTIONS") return std::nullopt;
    auto origin = request.header("Origin");
    if (!origin || !request.header("Access-Control-Request-Method")) return std::nullopt;
    if (!origin_allowed(settings.allowed_origins, *origin))
        return problem(403, "origin_not_allowed", "", "pages of " + *origin + " may not call this API (DEBRIEF_ALLOWED_ORIGINS)");
    HttpResponse response;
    response.status = 204;
    response.content_type.clear();
    response.headers["Access-Control-Allow-Methods"] = allowed_methods;
    response.headers["Access-Control-Allow-Headers"] = allowed_headers;
    response.headers["Access-Control-Max-Age"] = "600";
    return response;
}

void add_browser_headers(const HttpRequest* request, HttpResponse& response, const BrowserEdgeSettings& settings) {
    response.headers["X-Content-Type-Options"] = "nosniff";
    response.headers["X-Frame-Options"] = "DENY";
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'";
    response.headers["Referrer-Policy"] = "no-referrer";
    if (settings.tls) response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
    if (!request) return;
    auto origin = request->header("Origin");
    if (!origin) return;
    response.headers["Vary"] = "Origin";  // the answer differs by origin: caches must not share it across them
    if (!origin_allowed(settings.allowed_origins, *origin)) return;  // no CORS headers: the browser keeps the answer from the page
    response.headers["Access-Control-Allow-Origin"] = *origin;
    response.headers["Access-Control-Expose-Headers"] = exposed_headers;
}

}  // namespace debrief::api
