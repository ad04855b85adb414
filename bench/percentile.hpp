// The p-quantile (0..1) of measured values, nearest rank; 0 for none. One definition for every benchmark's p50 and p99.
#pragma once

#include <algorithm>
#include <vector>

namespace debrief::bench {

inline double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

}  // namespace debrief::bench
