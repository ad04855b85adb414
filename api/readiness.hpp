// What /readyz reports: every check by name, so a new one is one more field and one more line in failing().
#pragma once

#include <algorithm>
#include <string_view>
#include <vector>

#include "projections/read_model_status.hpp"

namespace debrief::api {

struct Readiness {
    bool probed = false;        // a probe finished lately: a probe that hangs says nothing good
    bool kafka = false;         // the cluster answers a metadata request
    bool event_writer = false;  // the transactional writer is not fenced by another process
    bool postgres = false;      // PostgreSQL answers a query
    bool projectors = false;    // every projector runs (none is restarting after a failure)
    std::vector<projections::ReadModelStatus> read_models;  // each must be running: not failing, stuck or lagging

    std::vector<std::string_view> failing() const {
        std::vector<std::string_view> names;
        if (!probed) names.push_back("probe");
        if (!kafka) names.push_back("kafka");
        if (!event_writer) names.push_back("event_writer");
        if (!postgres) names.push_back("postgres");
        if (!projectors) names.push_back("projectors");
        // The PostgreSQL read model shares its name with the database check: down together, they are one name.
        for (const auto& model : read_models)
            if (!model.ready() && std::find(names.begin(), names.end(), model.name) == names.end()) names.push_back(model.name);
        return names;
    }
    bool ready() const { return failing().empty(); }
};

}  // namespace debrief::api
