// The answer to a request the HTTP parser refused: 400, 414, 431 or 505 problem+json, never a silent close.
#pragma once

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <string_view>

#include "api/http/http_message.hpp"

namespace debrief::api {

// Whether a read error is the client's malformed request (answered) rather than a closed or timed-out connection.
bool is_malformed_request(const boost::system::error_code& parse_error);
// `buffered`: the start of the request as received; `header_limit`: the parser's limit on the request line and headers.
HttpResponse malformed_request_answer(const boost::system::error_code& parse_error, std::string_view buffered, std::size_t header_limit);

}  // namespace debrief::api
