// The answer to a request the HTTP parser refused: 400, 414, 431 or 505 problem+json, never a silent close.
#pragma once

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <string_view>

#include "api/http/http_message.hpp"

namespace debrief::api {

// Whether a read error is the client's malformed request (answered) rather than a closed or timed-out connection.
bool is_malformed_request(const boost::system::error_code& parse_error);
// `request_line_parsed`: the parser got past the request line; `unparsed`: the bytes it was given and did not consume
// (the request line, when it did not get past it); `header_limit`: its limit on the request line and headers.
HttpResponse malformed_request_answer(const boost::system::error_code& parse_error, bool request_line_parsed, std::string_view unparsed,
                                      std::size_t header_limit);

}  // namespace debrief::api
