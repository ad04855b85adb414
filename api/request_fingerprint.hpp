// A request's fingerprint for Idempotency-Key checks: a retry must carry the same method, path and body.
#pragma once

#include <string>
#include <string_view>

namespace debrief::api {

// Hex BLAKE2b-128 of method, path and body. Callers leave secrets (passwords) out of the body they pass: the
// fingerprint travels in the public event envelope.
std::string request_fingerprint(std::string_view method, std::string_view path, std::string_view body);

}  // namespace debrief::api
