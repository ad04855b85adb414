// Merging the fragments into one document, and the responses every operation shares.
#include "api/openapi/openapi_document.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <stdexcept>

#include "api/openapi/openapi_sources.hpp"

namespace debrief::api::openapi {
namespace json = boost::json;

namespace {

constexpr std::string_view methods[] = {"get", "put", "post", "delete", "patch", "head", "options"};

json::object parse_fragment(const Source& source) {
    boost::system::error_code error;
    auto value = json::parse(source.json, error);
    if (error || !value.is_object()) throw std::runtime_error(std::string(source.file) + " is not a JSON object: " + error.message());
    return std::move(value.as_object());
}

// Moves every member of `from` into `into`; a name both define is a mistake in the fragments.
void add_members(json::object& into, json::object from, std::string_view where, std::string_view file) {
    for (auto& [name, value] : from) {
        if (into.contains(name)) throw std::runtime_error(std::string(file) + " defines " + std::string(where) + " " + std::string(name) + " again");
        into[name] = std::move(value);
    }
}

json::object& object_at(json::object& parent, std::string_view name) {
    auto& slot = parent[name];
    if (!slot.is_object()) slot = json::object{};
    return slot.as_object();
}

void add_response(json::object& responses, std::string_view status, std::string_view component) {
    if (!responses.contains(status)) responses[status] = json::object{{"$ref", "#/components/responses/" + std::string(component)}};
}

void add_codes(json::array& codes, const json::value& more) {
    for (const auto& code : more.as_array())
        if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
}

bool has_parameter(const json::object& operation, std::string_view component) {
    const auto* parameters = operation.if_contains("parameters");
    if (!parameters) return false;
    const auto ref = "#/components/parameters/" + std::string(component);
    for (const auto& p : parameters->as_array())
        if (const auto* r = p.as_object().if_contains("$ref"); r && r->as_string() == ref) return true;
    return false;
}

// What the router and the shared request handling answer on every route (api/routes.cpp, api/request_json.cpp,
// api/route_context.cpp), so that no fragment can forget it.
void complete_operation(json::object& operation, const json::object& document) {
    auto& responses = object_at(operation, "responses");
    auto& codes = operation["x-problem-codes"];
    if (!codes.is_array()) codes = json::array{};
    // The probes and this document are answered before the rate limits (api/routes.cpp): x-rate-limited false.
    const auto* limited = operation.if_contains("x-rate-limited");
    if (!limited || limited->as_bool()) add_response(responses, "429", "RateLimited");
    add_codes(codes.as_array(), document.at("x-problem-codes-every-operation"));
    const auto* security = operation.if_contains("security");
    const bool public_route = security && security->as_array().empty();
    if (!public_route) {
        add_response(responses, "401", "Unauthorized");
        add_response(responses, "403", "Forbidden");
        add_codes(codes.as_array(), document.at("x-problem-codes-authenticated"));
    }
    if (const auto* body = operation.if_contains("requestBody")) {
        add_response(responses, "413", "TooLarge");
        add_response(responses, "415", "UnsupportedMedia");
        add_response(responses, "422", "Unprocessable");
        add_codes(codes.as_array(), json::array{"body_too_large", "unsupported_media_type"});
        if (body->at("content").as_object().contains("application/json")) {
            add_response(responses, "400", "BadRequest");
            add_codes(codes.as_array(), json::array{"malformed_json", "missing_field", "invalid_field"});
        }
    }
    if (has_parameter(operation, "IdempotencyKey") || has_parameter(operation, "IfMatch")) {
        add_response(responses, "409", "Conflict");
        add_response(responses, "422", "Unprocessable");
        add_codes(codes.as_array(), json::array{"invalid_idempotency_key", "idempotency_key_reused", "idempotency_key_in_progress", "invalid_correlation_id"});
        if (has_parameter(operation, "IfMatch")) add_codes(codes.as_array(), json::array{"invalid_expected_version", "version_conflict"});
    }
    if (has_parameter(operation, "Position")) {
        add_response(responses, "400", "BadRequest");
        add_response(responses, "422", "Unprocessable");
        add_response(responses, "503", "Unavailable");
        add_response(responses, "504", "GatewayTimeout");
        add_codes(codes.as_array(), json::array{"invalid_position", "invalid_wait", "too_many_waits", "position_not_reached"});
    }
    add_response(responses, "default", "Problem");
}

std::string merged() {
    const auto all = sources();
    if (all.empty()) throw std::runtime_error("no OpenAPI fragments embedded");
    auto document = parse_fragment(all[0]);
    auto& paths = object_at(document, "paths");
    auto& components = object_at(document, "components");
    for (std::size_t i = 1; i < all.size(); ++i) {
        auto fragment = parse_fragment(all[i]);
        if (auto* more = fragment.if_contains("paths"))
            for (auto& [path, item] : more->as_object()) add_members(object_at(paths, path), std::move(item.as_object()), "an operation of", all[i].file);
        if (auto* more = fragment.if_contains("components"))
            for (auto& [kind, entries] : more->as_object()) add_members(object_at(components, kind), std::move(entries.as_object()), kind, all[i].file);
    }
    for (auto& [path, item] : paths)
        for (auto method : methods)
            if (auto* operation = item.as_object().if_contains(method)) complete_operation(operation->as_object(), document);
    document.erase("x-problem-codes-every-operation");
    document.erase("x-problem-codes-authenticated");
    return json::serialize(document);
}

}  // namespace

const std::string& document() {
    static const std::string text = merged();
    return text;
}

}  // namespace debrief::api::openapi
