// RFC 9457 problem details: every error leaves the API as application/problem+json with a stable code.
#pragma once

#include "api/http/http_message.hpp"
#include "common/result.hpp"

namespace debrief::api {

int http_status(ErrorKind kind);
HttpResponse problem(int status, std::string_view code, std::string_view title, std::string_view detail, std::string_view instance = {});
HttpResponse problem(const Error& error, std::string_view instance = {});

}  // namespace debrief::api
