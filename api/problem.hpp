// RFC 9457 problem details: every error leaves the API as application/problem+json with a stable code.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "api/http/http_message.hpp"
#include "common/result.hpp"

namespace debrief::api {

int http_status(ErrorKind kind);
HttpResponse problem(int status, std::string_view code, std::string_view title, std::string_view detail, std::string_view instance = {});
HttpResponse problem(const Error& error, std::string_view instance = {});
// With extension members (RFC 9457 section 3.2) that say more than the code, e.g. {"reason": "otp_missing"}.
HttpResponse problem_with(const Error& error, const std::vector<std::pair<std::string, std::string>>& extensions);

}  // namespace debrief::api
