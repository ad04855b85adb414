// Compiling the area tables into segments, and fitting a path to one.
#include "api/route_matcher.hpp"

#include <algorithm>

#include "api/routes/areas.hpp"

namespace debrief::api {

std::vector<CompiledRoute> compile_routes() {
    std::vector<CompiledRoute> compiled;
    for (auto area : areas)
        for (const auto& route : area()) {
            CompiledRoute entry{route, {}};
            std::string_view rest = route.pattern.substr(1);
            while (!rest.empty()) {
                auto slash = rest.find('/');
                entry.parts.push_back(rest.substr(0, slash));
                rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
            }
            compiled.push_back(std::move(entry));
        }
    return compiled;
}

namespace {
bool is_placeholder(std::string_view part) { return part.size() > 2 && part.front() == '{' && part.back() == '}'; }
}  // namespace

bool fits(const CompiledRoute& route, const std::vector<std::string>& segments, std::vector<std::string>& params) {
    if (route.parts.size() != segments.size()) return false;
    params.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (route.parts[i] == "{verb}" && !route.route.verbs.empty() &&
            std::find(route.route.verbs.begin(), route.route.verbs.end(), segments[i]) == route.route.verbs.end())
            return false;
        if (is_placeholder(route.parts[i])) params.push_back(segments[i]);
        else if (route.parts[i] != segments[i]) return false;
    }
    return true;
}

}  // namespace debrief::api
