// Where a rebuild of a read model stands (projections/search/search_rebuild.hpp): what GET /v1/admin/rebuilds/{id}
// answers and what the command line's progress bar shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace debrief::projections {

struct RebuildPartition {
    int partition = 0;
    std::int64_t offset = 0;  // the next offset the rebuild reads
    std::int64_t end = 0;     // where it is going: the partition's end when it started (then the live store's offset)
};

struct RebuildStatus {
    std::string id;
    std::string read_model = "search";
    std::string state = "running";  // running -> switching -> done, or failed
    std::uint64_t events_applied = 0, dead_letters = 0;
    std::int64_t started_ms = 0, finished_ms = 0;  // wall clock
    double events_per_second = 0;
    std::optional<double> eta_seconds;  // while running, from the rate so far
    std::vector<RebuildPartition> partitions;
    // At the switch: whether the fresh store equals the live one (nullopt when they could not be compared: the
    // live one was behind the rebuild), and the first key that differs.
    std::optional<bool> matches_live;
    std::string first_difference;
    std::string directory, error;
};

}  // namespace debrief::projections
