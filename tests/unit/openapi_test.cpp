// The OpenAPI document against the route tables: every route (each {verb} it serves) is documented and every
// documented operation reaches a route; the document is 3.1, its operations named once, its $refs resolve.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "api/openapi/openapi_document.hpp"
#include "tests/unit/api_fixture.hpp"
#include "api/route_matcher.hpp"

namespace {
namespace json = boost::json;
using debrief::api::CompiledRoute;

constexpr std::string_view methods[] = {"get", "put", "post", "delete", "patch", "head", "options"};

// Answered outside the route tables: the probes (api/routes.cpp), this document, and the WebSocket upgrade
// (api/http/http_server.cpp).
const std::set<std::string> outside_tables{"GET /healthz", "GET /readyz", "GET /metrics", "GET /v1/openapi.json", "GET /v1/ws"};

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

bool is_placeholder(std::string_view part) { return part.size() > 2 && part.front() == '{' && part.back() == '}'; }

std::vector<std::string> split(std::string_view path) {
    std::vector<std::string> parts;
    std::string_view rest = path.substr(1);
    while (!rest.empty()) {
        auto slash = rest.find('/');
        parts.emplace_back(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    }
    return parts;
}

// The route the router would pick for the path: a public pattern first, then an authenticated one (api/routes.cpp).
const CompiledRoute* route_for(const std::vector<CompiledRoute>& routes, const std::vector<std::string>& segments) {
    std::vector<std::string> params;
    for (bool needs_actor : {false, true})
        for (const auto& route : routes)
            if (route.route.needs_actor == needs_actor && debrief::api::fits(route, segments, params)) return &route;
    return nullptr;
}

// Everything wrong between the document and the tables, one line each; empty when they agree.
std::vector<std::string> coverage_problems(const json::object& document, const std::vector<CompiledRoute>& routes) {
    std::vector<std::string> problems;
    std::set<std::string> documented;  // "POST /v1/action-items/{id}/{verb}:complete" and "GET /v1/sessions"
    for (const auto& [path, item] : document.at("paths").as_object())
        for (auto method : methods) {
            const auto* operation = item.as_object().if_contains(method);
            if (!operation) continue;
            const auto name = upper(method) + " " + std::string(path);
            if (outside_tables.contains(name)) continue;
            const auto doc_parts = split(path);
            std::vector<std::string> segments;
            for (const auto& part : doc_parts) segments.push_back(is_placeholder(part) ? "00000000-0000-4000-8000-000000000001" : part);
            const auto* found = route_for(routes, segments);
            if (!found) {
                problems.push_back(name + " is documented but no route fits it");
                continue;
            }
            const auto same_method = std::find_if(routes.begin(), routes.end(), [&](const CompiledRoute& r) {
                return r.route.pattern == found->route.pattern && r.route.method == upper(method);
            });
            if (same_method == routes.end()) {
                problems.push_back(name + " is documented but " + std::string(found->route.pattern) + " has no " + upper(method));
                continue;
            }
            std::string verb;
            for (std::size_t i = 0; i < doc_parts.size(); ++i) {
                const auto pattern_part = same_method->parts[i];
                if (pattern_part == "{verb}" && !is_placeholder(doc_parts[i])) verb = doc_parts[i];
                else if (is_placeholder(pattern_part) != is_placeholder(doc_parts[i]))
                    problems.push_back(name + " does not have the segments of its route " + std::string(same_method->route.pattern));
            }
            const auto* security = operation->as_object().if_contains("security");
            const bool public_doc = security && security->as_array().empty();
            if (public_doc == same_method->route.needs_actor)
                problems.push_back(name + (public_doc ? " is documented public but needs a token" : " is documented with a token but is public"));
            documented.insert(upper(method) + " " + std::string(same_method->route.pattern) + (verb.empty() ? "" : ":" + verb));
        }
    for (const auto& compiled : routes) {
        const auto& route = compiled.route;
        const auto name = std::string(route.method) + " " + std::string(route.pattern);
        const bool has_verb = std::find(compiled.parts.begin(), compiled.parts.end(), "{verb}") != compiled.parts.end();
        if (!has_verb) {
            if (!documented.contains(name)) problems.push_back(name + " is a route the document lacks");
            continue;
        }
        if (route.verbs.empty()) problems.push_back(name + " has a {verb} but lists no verbs (with_verbs)");
        for (auto verb : route.verbs)
            if (!documented.contains(name + ":" + std::string(verb)))
                problems.push_back(name + " serves the verb " + std::string(verb) + ", which the document lacks");
    }
    return problems;
}

// Resolves a local reference ("#/components/schemas/Problem"); null when it points at nothing.
const json::value* resolve(const json::value& document, std::string_view ref) {
    if (!ref.starts_with("#/")) return nullptr;
    boost::system::error_code error;
    const auto* found = document.find_pointer(ref.substr(1), error);
    return error ? nullptr : found;
}

void collect_refs(const json::value& value, std::vector<std::string>& refs) {
    if (value.is_object()) {
        for (const auto& [key, member] : value.as_object()) {
            if (key == "$ref" && member.is_string()) refs.emplace_back(member.as_string());
            collect_refs(member, refs);
        }
    } else if (value.is_array()) {
        for (const auto& element : value.as_array()) collect_refs(element, refs);
    }
}

std::set<std::string> path_parameters(const json::value& document, const json::object& operation) {
    std::set<std::string> names;
    if (const auto* parameters = operation.if_contains("parameters"))
        for (const auto& p : parameters->as_array()) {
            const json::value* parameter = &p;
            if (const auto* ref = p.as_object().if_contains("$ref")) parameter = resolve(document, ref->as_string());
            if (parameter && parameter->as_object().at("in").as_string() == "path") names.insert(std::string(parameter->as_object().at("name").as_string()));
        }
    return names;
}

json::object parsed_document() { return json::parse(debrief::api::openapi::document()).as_object(); }

}  // namespace

TEST_CASE("the OpenAPI document documents every route and every {verb} it serves, and nothing else") {
    const auto routes = debrief::api::compile_routes();
    const auto problems = coverage_problems(parsed_document(), routes);
    for (const auto& problem : problems) INFO(problem);
    CHECK(problems.empty());
    for (const auto& problem : problems) MESSAGE(problem);
}

TEST_CASE("the coverage check fails on a missing operation, a missing verb, and an operation without a route") {
    const auto routes = debrief::api::compile_routes();
    auto without_note = parsed_document();
    without_note.at("paths").as_object().at("/v1/notes").as_object().erase("post");
    auto problems = coverage_problems(without_note, routes);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "POST /v1/notes is a route the document lacks");

    auto without_verb = parsed_document();
    without_verb.at("paths").as_object().erase("/v1/action-items/{id}/reschedule");
    problems = coverage_problems(without_verb, routes);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "POST /v1/action-items/{id}/{verb} serves the verb reschedule, which the document lacks");

    auto invented = parsed_document();
    invented.at("paths").as_object()["/v1/action-items/{id}/archive"] =
            invented.at("paths").as_object().at("/v1/action-items/{id}/complete");
    invented.at("paths").as_object()["/v1/notes"].as_object()["delete"] = json::object{{"operationId", "x"}};
    problems = coverage_problems(invented, routes);
    CHECK(std::set<std::string>(problems.begin(), problems.end()) ==
          std::set<std::string>{"POST /v1/action-items/{id}/archive is documented but no route fits it",
                                "DELETE /v1/notes is documented but /v1/notes has no DELETE"});
}

TEST_CASE("the OpenAPI document is 3.1, names each operation once, gives each responses and path parameters, and its $refs resolve") {
    const json::value document = parsed_document();
    CHECK(std::string(document.at("openapi").as_string()).starts_with("3.1."));
    std::set<std::string> operation_ids;
    for (const auto& [path, item] : document.at("paths").as_object())
        for (auto method : methods) {
            const auto* operation = item.as_object().if_contains(method);
            if (!operation) continue;
            const auto name = upper(method) + " " + std::string(path);
            INFO(name);
            const auto& op = operation->as_object();
            REQUIRE(op.contains("operationId"));
            CHECK(operation_ids.insert(std::string(op.at("operationId").as_string())).second);
            CHECK(!op.at("responses").as_object().empty());
            CHECK(op.at("responses").as_object().contains("default"));
            CHECK(op.at("x-problem-codes").is_array());
            std::set<std::string> placeholders;
            for (const auto& part : split(path))
                if (is_placeholder(part)) placeholders.insert(part.substr(1, part.size() - 2));
            CHECK(path_parameters(document, op) == placeholders);
        }
    CHECK(operation_ids.size() > 60);
    std::vector<std::string> refs;
    collect_refs(document, refs);
    CHECK(!refs.empty());
    for (const auto& ref : refs) {
        INFO(ref);
        CHECK(resolve(document, ref) != nullptr);
    }
}

TEST_CASE("GET /v1/openapi.json serves the document without a token, as JSON; another method is 405") {
    debrief::testing::ApiFixture f;
    auto answer = f.call("GET", "/v1/openapi.json");
    CHECK(answer.status == 200);
    CHECK(answer.content_type == "application/json");
    CHECK(answer.body == debrief::api::openapi::document());
    auto refused = f.call("POST", "/v1/openapi.json");
    CHECK(refused.status == 405);
    CHECK(refused.headers["Allow"] == "GET");
}

TEST_CASE("the routes outside the tables serve GET only, as documented; GET /v1/ws without an upgrade is 426") {
    debrief::testing::ApiFixture f;
    for (const auto* path : {"/healthz", "/readyz", "/metrics", "/v1/ws"}) {
        INFO(path);
        auto refused = f.call("TRACE", path);
        CHECK(refused.status == 405);
        CHECK(refused.headers["Allow"] == "GET");
    }
    CHECK(f.call("GET", "/healthz").status == 200);
    auto plain = f.call("GET", "/v1/ws");
    CHECK(plain.status == 426);
    CHECK(plain.headers["Upgrade"] == "websocket");
    CHECK(f.call("GET", "/v1/ws", "", {{"Upgrade", "websocket"}}).status == 404);  // reached the routes: no WebSockets here
}
