// JSON request helpers shared by every route.
#include "api/request_json.hpp"

#include <algorithm>
#include <cctype>

namespace debrief::api {
namespace {

// Walks the whole document: a string anywhere is normalised and checked, and the error names where it is.
std::optional<Error> check_strings(boost::json::value& value, const std::string& path) {
    auto check = [&](boost::json::string& text, const std::string& where) -> std::optional<Error> {
        if (text.find('\r') != boost::json::string::npos) text = commands::normalise_line_breaks(text);
        return commands::check_text(where.empty() ? "body" : where, text, TextKind::multiline);
    };
    if (value.is_string()) return check(value.as_string(), path);
    if (value.is_array()) {
        auto& array = value.as_array();
        for (std::size_t i = 0; i < array.size(); ++i)
            if (auto bad = check_strings(array[i], path + "[" + std::to_string(i) + "]")) return bad;
    }
    if (value.is_object()) {
        for (auto& [key, member] : value.as_object()) {
            boost::json::string name(key);
            if (auto bad = check(name, path.empty() ? "a field name" : path + " (a key)")) return bad;
            if (auto bad = check_strings(member, path.empty() ? std::string(key) : path + "." + std::string(key))) return bad;
        }
    }
    return std::nullopt;
}

Result<std::string> checked(std::string value, std::string_view field, TextKind kind) {
    if (auto bad = commands::check_text(field, value, kind)) return *bad;
    return value;
}

}  // namespace

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
    if (auto bad = check_strings(value, "")) return *bad;
    return std::move(value.as_object());
}

Result<std::optional<std::string>> optional_string(const boost::json::object& object, std::string_view field, TextKind kind) {
    const auto* value = object.if_contains(field);
    if (!value || value->is_null()) return std::optional<std::string>{};
    if (!value->is_string()) return invalid("invalid_field", std::string(field) + " must be a string");
    auto text = checked(std::string(value->as_string()), field, kind);
    if (!text) return text.error();
    return std::optional<std::string>{std::move(text).value()};
}

std::optional<Error> read_optional_strings(const boost::json::object& object, std::initializer_list<OptionalField> fields) {
    for (auto [field, out, kind] : fields) {
        auto value = optional_string(object, field, kind);
        if (!value) return value.error();
        *out = std::move(value).value();
    }
    return std::nullopt;
}

Result<std::string> required_string(const boost::json::object& object, std::string_view field, TextKind kind) {
    auto value = optional_string(object, field, kind);
    if (!value) return value.error();
    if (!value.value()) return invalid("missing_field", std::string(field) + " is required");
    return std::move(*value.value());
}

Result<std::vector<std::string>> optional_string_array(const boost::json::object& object, std::string_view field, TextKind kind) {
    std::vector<std::string> out;
    const auto* value = object.if_contains(field);
    if (!value || value->is_null()) return out;
    if (!value->is_array()) return invalid("invalid_field", std::string(field) + " must be an array of strings");
    for (const auto& item : value->as_array()) {
        if (!item.is_string()) return invalid("invalid_field", std::string(field) + " must be an array of strings");
        auto text = checked(std::string(item.as_string()), std::string(field) + "[" + std::to_string(out.size()) + "]", kind);
        if (!text) return text.error();
        out.push_back(std::move(text).value());
    }
    return out;
}

Result<boost::json::object> required_object(const boost::json::object& object, std::string_view field) {
    const auto* value = object.if_contains(field);
    if (!value || value->is_null()) return invalid("missing_field", std::string(field) + " is required");
    if (!value->is_object()) return invalid("invalid_field", std::string(field) + " must be an object");
    return value->as_object();
}

HttpResponse no_content() { return HttpResponse{204, "", "", {}}; }

HttpResponse json_response(int status, const boost::json::value& body) {
    HttpResponse response;
    response.status = status;
    response.body = boost::json::serialize(body);
    return response;
}

}  // namespace debrief::api
