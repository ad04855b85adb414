// CORS and security headers: an allowed origin's preflight and answers carry what a page needs, any other origin
// gets nothing it could use, and every answer the security headers.
#include <doctest/doctest.h>

#include "api/browser_edge.hpp"

using namespace debrief::api;

namespace {
HttpRequest request(std::string method, std::optional<std::string> origin, bool preflight = false) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = "/v1/sessions";
    if (origin) r.headers["Origin"] = *origin;
    if (preflight) r.headers["Access-Control-Request-Method"] = "POST";
    return r;
}
const BrowserEdgeSettings edge{{"https://app.example.com"}, false};
}  // namespace

TEST_CASE("a preflight from an allowed origin is answered 204 with what it may send; from another origin 403") {
    auto allowed = preflight_answer(request("OPTIONS", "https://app.example.com", true), edge);
    REQUIRE(allowed);
    CHECK(allowed->status == 204);
    CHECK(allowed->headers.at("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
    CHECK(allowed->headers.at("Access-Control-Allow-Methods").find("POST") != std::string::npos);
    auto refused = preflight_answer(request("OPTIONS", "https://app.example.com.evil.test", true), edge);
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK_FALSE(preflight_answer(request("OPTIONS", "https://app.example.com"), edge));  // not a preflight: routed as any request
    CHECK_FALSE(preflight_answer(request("POST", "https://app.example.com", true), edge));
}

TEST_CASE("every answer carries the security headers; only an allowed origin gets CORS headers") {
    HttpResponse plain;
    add_browser_headers(nullptr, plain, edge);
    CHECK(plain.headers.at("X-Content-Type-Options") == "nosniff");
    CHECK(plain.headers.at("X-Frame-Options") == "DENY");
    CHECK(plain.headers.at("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
    CHECK(plain.headers.at("Referrer-Policy") == "no-referrer");
    CHECK_FALSE(plain.headers.contains("Strict-Transport-Security"));

    HttpResponse from_page;
    auto page = request("GET", "https://app.example.com");
    add_browser_headers(&page, from_page, edge);
    CHECK(from_page.headers.at("Access-Control-Allow-Origin") == "https://app.example.com");
    CHECK(from_page.headers.at("Vary") == "Origin");
    CHECK(from_page.headers.at("Access-Control-Expose-Headers").find("ETag") != std::string::npos);

    HttpResponse from_elsewhere;
    auto other = request("GET", "http://app.example.com");  // another scheme is another origin
    add_browser_headers(&other, from_elsewhere, edge);
    CHECK_FALSE(from_elsewhere.headers.contains("Access-Control-Allow-Origin"));

    HttpResponse over_tls;
    add_browser_headers(nullptr, over_tls, BrowserEdgeSettings{{}, true});
    CHECK(over_tls.headers.at("Strict-Transport-Security").starts_with("max-age="));
}
