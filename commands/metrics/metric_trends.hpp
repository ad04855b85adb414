// What a KPI's latest value says against the one before: which way is better, how it moved, and when it is a drop.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace debrief::commands::metrics {

struct MetricPoint {
    std::string date;  // YYYY-MM-DD
    double value = 0;
    bool operator==(const MetricPoint&) const = default;
};

// The two most recent values of one client's metric, by date, over every committed import.
struct MetricHistory {
    MetricPoint latest;
    std::optional<MetricPoint> previous;
    bool operator==(const MetricHistory&) const = default;
};

// A committed value joins the history: a later date moves the latest to previous; the same date overwrites
// (a later import corrects a day); an older date can only become the previous one.
MetricHistory fold(std::optional<MetricHistory> history, const MetricPoint& point);

// Handle time, hold time, transfers, escalations and abandons are better low; every other KPI is better high.
bool lower_is_better(std::string_view metric);

inline constexpr double drop_threshold = 0.10;   // worse by at least 10% of the previous value
inline constexpr double drop_priority_raise = 0.2;  // added to a drafted summary's priority, capped at 1

struct MetricTrend {
    std::string metric;
    MetricHistory history;
    double change = 0;       // latest - previous (0 without a previous value)
    std::string trend;       // up | down | flat
    bool worse = false;      // moved the wrong way
    bool drop = false;       // worse by at least drop_threshold of |previous|; a previous value of 0 never drops
    double change_ratio = 0; // change / |previous|, 0 when previous is absent or 0
};

MetricTrend trend_of(std::string metric, const MetricHistory& history);

// The metrics whose latest value is a drop against the previous one, in name order.
std::vector<MetricTrend> drops_of(const std::map<std::string, MetricHistory>& histories);

// "CSAT", "AHT seconds", "Quality score": how a recommendation names a metric.
std::string display_name(std::string_view metric);
// 4.6, 312, 87.25: at most two decimals, no trailing zeros.
std::string format_value(double value);
// "CSAT fell from 4.6 to 3.9 in the 2026-11-20 import: ..." for a trend that is a drop.
std::string drop_recommendation(const MetricTrend& trend);

}  // namespace debrief::commands::metrics
