// Problem details bodies: {"type","title","status","detail","code","instance","field"}.
#include "api/problem.hpp"

#include <boost/json.hpp>

namespace debrief::api {

int http_status(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::invalid: return 422;
        case ErrorKind::malformed: return 400;
        case ErrorKind::unsupported_media: return 415;
        case ErrorKind::unauthorized: return 401;
        case ErrorKind::forbidden: return 403;
        case ErrorKind::not_found: return 404;
        case ErrorKind::conflict: return 409;
        case ErrorKind::too_large: return 413;
        case ErrorKind::rate_limited: return 429;
        case ErrorKind::unavailable: return 503;
        case ErrorKind::internal: return 500;
    }
    return 500;
}

namespace {
std::string_view title_for(int status) {
    switch (status) {
        case 400: return "Bad request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not found";
        case 405: return "Method not allowed";
        case 409: return "Conflict";
        case 413: return "Content too large";
        case 414: return "URI too long";
        case 415: return "Unsupported media type";
        case 422: return "Unprocessable content";
        case 426: return "Upgrade required";
        case 429: return "Too many requests";
        case 431: return "Request header fields too large";
        case 503: return "Service unavailable";
        case 504: return "Gateway timeout";
        case 505: return "HTTP version not supported";
        default: return "Internal server error";
    }
}
}  // namespace

namespace {
HttpResponse problem_response(int status, std::string_view code, std::string_view title, std::string_view detail, std::string_view instance,
                              std::string_view field) {
    boost::json::object body{
        {"type", "https://debrief.dev/problems/" + std::string(code)},
        {"title", title.empty() ? title_for(status) : title},
        {"status", status},
        {"detail", detail},
        {"code", code},
    };
    if (!instance.empty()) body["instance"] = instance;
    if (!field.empty()) body["field"] = field;
    HttpResponse response;
    response.status = status;
    response.content_type = "application/problem+json";
    response.body = boost::json::serialize(body);
    if (status == 401) response.headers["WWW-Authenticate"] = "Bearer";
    return response;
}
}  // namespace

HttpResponse problem(int status, std::string_view code, std::string_view title, std::string_view detail, std::string_view instance) {
    return problem_response(status, code, title, detail, instance, {});
}

HttpResponse problem(const Error& error, std::string_view instance) {
    auto status = http_status(error.kind);
    // Internal details never leave the process: they are logged, the client gets a generic message.
    std::string_view detail = error.kind == ErrorKind::internal ? "an internal error occurred" : std::string_view(error.message);
    auto response = problem_response(status, error.code, title_for(status), detail, instance, error.field);
    if (error.retry_after_seconds > 0) response.headers["Retry-After"] = std::to_string(error.retry_after_seconds);
    return response;
}

HttpResponse problem_with(const Error& error, const std::vector<std::pair<std::string, std::string>>& extensions) {
    auto response = problem(error);
    auto body = boost::json::parse(response.body).as_object();
    for (const auto& [name, value] : extensions) body[name] = value;
    response.body = boost::json::serialize(body);
    return response;
}

}  // namespace debrief::api
