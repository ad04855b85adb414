// Beast's parse errors mapped to problems: the header limit covers the request line too, so what was buffered
// tells an oversized target (414) from oversized headers (431).
#include "api/http/malformed_request.hpp"

#include <boost/beast/http/error.hpp>
#include <string>

#include "api/problem.hpp"

namespace debrief::api {
namespace http = boost::beast::http;

bool is_malformed_request(const boost::system::error_code& parse_error) {
    // end_of_stream: the client closed between requests; anything outside Beast's HTTP category is the socket's.
    return parse_error && parse_error.category() == http::make_error_code(http::error::bad_target).category() &&
           parse_error != http::error::end_of_stream;
}

HttpResponse malformed_request_answer(const boost::system::error_code& parse_error, bool request_line_parsed, std::string_view unparsed,
                                      std::size_t header_limit) {
    const auto line_end = unparsed.find('\n');
    const auto request_line = request_line_parsed ? std::string_view{} : unparsed.substr(0, line_end);
    if (parse_error == http::error::header_limit) {
        // The parser waits for the end of the headers before it reads the request line, so an unparsed request line
        // may still be complete: only one without its line end within the limit is too long.
        if (!request_line_parsed && (line_end == std::string_view::npos || line_end >= header_limit))
            return problem(414, "uri_too_long", "", "the request line exceeds " + std::to_string(header_limit) + " bytes");
        return problem(431, "header_fields_too_large", "", "the request line and headers exceed " + std::to_string(header_limit) + " bytes");
    }
    if (parse_error == http::error::bad_version) {
        // Beast takes HTTP/1.0 and HTTP/1.1 only: HTTP/9.9 or HTTP/2.0 is a version we do not speak, GET / FOO is garbage.
        auto last_space = request_line.rfind(' ');
        auto version = last_space == std::string_view::npos ? std::string_view{} : request_line.substr(last_space + 1);
        if (version.starts_with("HTTP/")) return problem(505, "http_version_not_supported", "", "only HTTP/1.0 and HTTP/1.1 are served");
    }
    if (parse_error == http::error::partial_message)
        return problem(400, "malformed_request", "", "the connection was closed before the request was complete");
    return problem(400, "malformed_request", "", "the HTTP request could not be parsed: " + parse_error.message());
}

}  // namespace debrief::api
