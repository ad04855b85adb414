// The OpenAPI 3.1 document of GET /v1/openapi.json: the embedded fragments merged once, with what the router gives
// every operation (429 rate_limited; 401 and 403 on authenticated ones; the body's 400, 413, 415 and 422; the waits
// of ?position=; a default problem) added where the fragment does not say it itself.
#pragma once

#include <string>

namespace debrief::api::openapi {

// The serialized document, merged at the first call (throws std::runtime_error when two fragments define the same
// operation or component, or a fragment is not JSON: a build that would serve a wrong document fails its tests).
const std::string& document();

}  // namespace debrief::api::openapi
