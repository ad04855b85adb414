#include "projections/postgres/prepared_sql.hpp"

#include <cstdio>
#include <functional>

namespace debrief::projections {

std::string prepared_name(const std::string& sql) {
    char name[32];
    std::snprintf(name, sizeof name, "debrief_%016zx", std::hash<std::string>{}(sql));
    return name;
}

}  // namespace debrief::projections
