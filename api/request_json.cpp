// JSON request helpers shared by every route.
#include "api/request_json.hpp"

namespace debrief::api {

Result<boost::json::object> parse_json_object(const HttpRequest& request) {
    if (auto type = request.header("Content-Type")) {
        std::string_view media(*type);
        media = media.substr(0, media.find(';'));
        while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
        if (media != "application/json")
            return Error{ErrorKind::unsupported_media, "unsupported_media_type", "the body must be application/json"};
    }
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
