// Which route a path fits: every area's table compiled once into segments, literal or {placeholder}; the first
// pattern that fits decides (api/routes/areas.hpp). The router and the OpenAPI document's test share it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/route_table.hpp"

namespace debrief::api {

// A route with its pattern split at '/'.
struct CompiledRoute {
    Route route;
    std::vector<std::string_view> parts;
};

std::vector<CompiledRoute> compile_routes();
// The path's segments fit the pattern (a {verb} only one of the route's verbs); params gets the placeholders' values.
bool fits(const CompiledRoute& route, const std::vector<std::string>& segments, std::vector<std::string>& params);

}  // namespace debrief::api
