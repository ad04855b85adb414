// Whom a coach should help next: one score per client from the signals the read model holds, with the reasons a
// coach reads. Pure: the signals come from PostgreSQL (projections/postgres/dashboard_queries.*), the rule is here.
//
// The score is a sum of capped parts, 0 to 100 (docs/dashboards.md has the table):
//   latest summary's priority_score (0..1) x 25
//   overdue action items            5 each, at most 15
//   unaddressed notes               5 each, at most 10
//   a KPI drop (metrics imports)    15 x min(1, worst drop / 25%)
//   time since the last session     15 x min(1, days / usual gap - 1); "no session yet" is 7.5
//   summaries waiting for review    5 each, at most 10
//   engagement falling              10 x levels fallen / 3 (high > medium > low > silent), between the last two summaries
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/metrics/metric_trends.hpp"

namespace debrief::projections::dashboard {

// The gap assumed between sessions while a client has had fewer than three (two gaps make a usual one).
inline constexpr double default_session_gap_days = 14;
// A score from which a client counts as "at the top of the priority queue" on a lead's dashboard.
inline constexpr double attention_score = 30;

struct ClientSignals {
    std::string client_id;
    std::string client_name;
    std::optional<double> latest_priority;        // the latest summary's priority_score
    int overdue_action_items = 0;
    int unaddressed_notes = 0;
    std::vector<commands::metrics::MetricTrend> metric_trends;  // each metric's latest against its previous value
    std::optional<int> days_since_last_session;   // nullopt: no session yet
    std::optional<double> usual_gap_days;         // the median gap between their recent sessions; nullopt with fewer than 3
    int pending_reviews = 0;                      // their draft summaries
    std::string latest_engagement;                // of the latest summary; "" without one
    std::string previous_engagement;              // of the one before; "" without one
};

struct PriorityEntry {
    std::string client_id;
    std::string client_name;
    double score = 0;                  // 0..100, one decimal
    std::vector<std::string> reasons;  // the parts that count, largest first: "2 overdue actions", "CSAT fell 12%"
};

PriorityEntry prioritize(const ClientSignals& signals);
// Every client prioritized, the highest score first (ties by name, then id).
std::vector<PriorityEntry> priority_queue(const std::vector<ClientSignals>& clients);
// The median of the gaps between consecutive session dates (days since an epoch, any order); nullopt under 3 dates.
std::optional<double> usual_gap_days(std::vector<int> session_days);

}  // namespace debrief::projections::dashboard
