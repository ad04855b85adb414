// JSON request helpers shared by every route.
#include "api/request_json.hpp"

#include <algorithm>
#include <cctype>

namespace debrief::api {

bool has_media_type(const HttpRequest& request, std::string_view media_type) {
    auto type = request.header("Content-Type");
    if (!type) return false;
    std::string_view media(*type);
    media = media.substr(0, media.find(';'));  // parameters such as charset do not change the type
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!media.empty() && blank(media.front())) media.remove_prefix(1);
    while (!media.empty() && blank(media.back())) media.remove_suffix(1);
    // Media types compare case-insensitively (RFC 9110, 8.3.1).
    return std::equal(media.begin(), media.end(), media_type.begin(), media_type.end(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
}

Result<boost::json::object> parse_json_object(const HttpRequest& request) {
    if (!request.header("Content-Type") && !request.body.empty())
        return Error{ErrorKind::unsupported_media, "unsupported_media_type", "a request with a body must say Content-Type: application/json"};
    if (request.header("Content-Type") && !has_media_type(request, "application/json"))
        return Error{ErrorKind::unsupported_media, "unsupported_media_type", "the body must be application/json"};
    if (request.body.empty()) return Error{ErrorKind::malformed, "malformed_json", "the request body is empty; a JSON object is expected"};
    boost::system::error_code ec;
    auto value = boost::json::parse(request.body, ec);
    if (ec) return Error{ErrorKind::malformed, "malformed_json", "the request body is not valid JSON: " + ec.message()};
    if (!value.is_object()) return Error{ErrorKind::malformed, "malformed_json", "the request body must be a JSON object"};
    return std::move(value.as_object());
}

Result<std::optional<std::string>> optional_string(const boost::json::object& object, std::string_view field) {
    const auto* value = object.if_contains(field);
    if (!value || value->is_null()) return std::optional<std::string>{};
    if (!value->is_string()) return invalid("invalid_field", std::string(field) + " must be a string");
    return std::optional<std::string>{std::string(value->as_string())};
}

Result<std::string> required_string(const boost::json::object& object, std::string_view field) {
    auto value = optional_string(object, field);
    if (!value) return value.error();
    if (!value.value()) return invalid("missing_field", std::string(field) + " is required");
    return std::move(*value.value());
}

Result<std::vector<std::string>> optional_string_array(const boost::json::object& object, std::string_view field) {
    std::vector<std::string> out;
    const auto* value = object.if_contains(field);
    if (!value || value->is_null()) return out;
    if (!value->is_array()) return invalid("invalid_field", std::string(field) + " must be an array of strings");
    for (const auto& item : value->as_array()) {
        if (!item.is_string()) return invalid("invalid_field", std::string(field) + " must be an array of strings");
        out.emplace_back(item.as_string());
    }
    return out;
}

Result<boost::json::object> required_object(const boost::json::object& object, std::string_view field) {
    const auto* value = object.if_contains(field);
    if (!value || value->is_null()) return invalid("missing_field", std::string(field) + " is required");
    if (!value->is_object()) return invalid("invalid_field", std::string(field) + " must be an object");
    return value->as_object();
}

HttpResponse json_response(int status, const boost::json::value& body) {
    HttpResponse response;
    response.status = status;
    response.body = boost::json::serialize(body);
    return response;
}

}  // namespace debrief::api
