// The drop rule: a KPI that got worse by 10% or more between its two latest committed values raises follow-up priority.
#include "commands/metrics/metric_trends.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace debrief::commands::metrics {

MetricHistory fold(std::optional<MetricHistory> history, const MetricPoint& point) {
    if (!history) return MetricHistory{point, std::nullopt};
    auto h = std::move(*history);
    if (point.date > h.latest.date) {
        h.previous = h.latest;
        h.latest = point;
    } else if (point.date == h.latest.date) {
        h.latest = point;
    } else if (!h.previous || point.date >= h.previous->date) {
        h.previous = point;
    }
    return h;
}

bool lower_is_better(std::string_view metric) {
    constexpr std::array<std::string_view, 6> lower{"aht", "handle_time", "hold", "transfer", "escalation", "abandon"};
    for (auto word : lower)
        if (metric.find(word) != std::string_view::npos) return true;
    return false;
}

MetricTrend trend_of(std::string metric, const MetricHistory& history) {
    MetricTrend t{std::move(metric), history, 0, "flat", false, false, 0};
    if (!history.previous) return t;
    const double previous = history.previous->value;
    t.change = history.latest.value - previous;
    if (std::abs(t.change) < 1e-9) t.change = 0;
    t.trend = t.change > 0 ? "up" : t.change < 0 ? "down" : "flat";
    t.worse = lower_is_better(t.metric) ? t.change > 0 : t.change < 0;
    if (previous != 0) {
        t.change_ratio = t.change / std::abs(previous);
        t.drop = t.worse && std::abs(t.change_ratio) >= drop_threshold - 1e-9;
    }
    return t;
}

std::vector<MetricTrend> drops_of(const std::map<std::string, MetricHistory>& histories) {
    std::vector<MetricTrend> drops;
    for (const auto& [metric, history] : histories)
        if (auto trend = trend_of(metric, history); trend.drop) drops.push_back(std::move(trend));
    return drops;
}

std::string display_name(std::string_view metric) {
    constexpr std::array<std::string_view, 8> acronyms{"csat", "aht", "fcr", "nps", "qa", "kpi", "acw", "asa"};
    std::string out;
    std::size_t start = 0;
    while (start <= metric.size()) {
        auto end = metric.find('_', start);
        if (end == std::string_view::npos) end = metric.size();
        auto word = metric.substr(start, end - start);
        if (!word.empty()) {
            if (!out.empty()) out += ' ';
            bool acronym = false;
            for (auto a : acronyms) acronym = acronym || word == a;
            for (auto ch : word) out += static_cast<char>(acronym ? std::toupper(static_cast<unsigned char>(ch)) : ch);
        }
        start = end + 1;
    }
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

std::string format_value(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    std::string text = buffer;
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
    if (text == "-0") text = "0";
    return text;
}

std::string drop_recommendation(const MetricTrend& trend) {
    const auto& previous = trend.history.previous ? trend.history.previous->value : 0.0;
    std::string verb = trend.change < 0 ? " fell from " : " rose from ";
    return display_name(trend.metric) + verb + format_value(previous) + " to " + format_value(trend.history.latest.value) + " in the " +
           trend.history.latest.date + " import: go through recent calls together and agree one change to try before the next import.";
}

}  // namespace debrief::commands::metrics
