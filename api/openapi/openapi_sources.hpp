// The OpenAPI fragments embedded at build time (api/openapi/embed.cmake): the shared part and one per area, each
// named by its file (api/routes/<area>_routes.openapi.json beside the routes it documents).
#pragma once

#include <span>
#include <string_view>

namespace debrief::api::openapi {

struct Source {
    std::string_view file;  // relative to the source tree
    std::string_view json;
};

// The shared part first (info, security, components, the routes outside the tables), then the areas' in file order.
std::span<const Source> sources();

}  // namespace debrief::api::openapi
