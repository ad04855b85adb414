// The priority rule of client_priority.hpp: capped parts, each with the sentence that explains it.
#include "projections/dashboard/client_priority.hpp"

#include <algorithm>
#include <cmath>

namespace debrief::projections::dashboard {
namespace {

struct Part {
    double points;
    std::string reason;
};

std::string plural(int n, const std::string& one, const std::string& many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

// high 3, medium 2, low 1, silent 0; -1 for an unknown or absent level.
int engagement_rank(const std::string& level) {
    if (level == "high") return 3;
    if (level == "medium") return 2;
    if (level == "low") return 1;
    if (level == "silent") return 0;
    return -1;
}

std::string percent(double ratio) { return std::to_string(static_cast<long>(std::lround(std::abs(ratio) * 100))) + "%"; }

}  // namespace

PriorityEntry prioritize(const ClientSignals& s) {
    std::vector<Part> parts;
    if (s.latest_priority && *s.latest_priority > 0)
        parts.push_back({25 * std::clamp(*s.latest_priority, 0.0, 1.0),
                         "latest summary's priority " + commands::metrics::format_value(*s.latest_priority)});
    if (s.overdue_action_items > 0)
        parts.push_back({5.0 * std::min(s.overdue_action_items, 3), plural(s.overdue_action_items, "overdue action", "overdue actions")});
    if (s.unaddressed_notes > 0)
        parts.push_back({5.0 * std::min(s.unaddressed_notes, 2), plural(s.unaddressed_notes, "unaddressed note", "unaddressed notes")});
    // Every drop is a reason; the worst one scores.
    double worst_drop = 0;
    std::vector<std::string> drops;
    for (const auto& trend : s.metric_trends) {
        if (!trend.drop) continue;
        worst_drop = std::max(worst_drop, std::abs(trend.change_ratio));
        drops.push_back(commands::metrics::display_name(trend.metric) + (trend.change < 0 ? " fell " : " rose ") + percent(trend.change_ratio));
    }
    if (!drops.empty()) {
        parts.push_back({15 * std::min(1.0, worst_drop / 0.25), drops.front()});
        for (std::size_t i = 1; i < drops.size(); ++i) parts.push_back({0, drops[i]});
    }
    if (!s.days_since_last_session) {
        parts.push_back({7.5, "no session yet"});
    } else {
        const double gap = s.usual_gap_days.value_or(default_session_gap_days);
        const double days = *s.days_since_last_session;
        if (gap > 0 && days > gap) {
            const auto usual = static_cast<long>(std::lround(gap));
            parts.push_back({15 * std::min(1.0, days / gap - 1),
                             "no session for " + plural(static_cast<int>(days), "day", "days") +
                                 (s.usual_gap_days ? ", usually every " + std::to_string(usual) : "")});
        }
    }
    if (s.pending_reviews > 0)
        parts.push_back({5.0 * std::min(s.pending_reviews, 2), plural(s.pending_reviews, "summary waiting for review", "summaries waiting for review")});
    const int latest = engagement_rank(s.latest_engagement), previous = engagement_rank(s.previous_engagement);
    if (latest >= 0 && previous > latest)
        parts.push_back({10.0 * (previous - latest) / 3, "engagement fell from " + s.previous_engagement + " to " + s.latest_engagement});

    // Largest part first; a part worth nothing (a second KPI drop) keeps its place after the ones that score.
    std::stable_sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.points > b.points; });
    PriorityEntry entry{s.client_id, s.client_name, 0, {}};
    double total = 0;
    for (auto& part : parts) {
        total += part.points;
        entry.reasons.push_back(std::move(part.reason));
    }
    entry.score = std::round(std::min(total, 100.0) * 10) / 10;
    return entry;
}

std::vector<PriorityEntry> priority_queue(const std::vector<ClientSignals>& clients) {
    std::vector<PriorityEntry> queue;
    queue.reserve(clients.size());
    for (const auto& client : clients) queue.push_back(prioritize(client));
    std::sort(queue.begin(), queue.end(), [](const PriorityEntry& a, const PriorityEntry& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.client_name != b.client_name) return a.client_name < b.client_name;
        return a.client_id < b.client_id;
    });
    return queue;
}

std::optional<double> usual_gap_days(std::vector<int> session_days) {
    std::sort(session_days.begin(), session_days.end());
    session_days.erase(std::unique(session_days.begin(), session_days.end()), session_days.end());  // two sessions a day: one gap of 0 is no cadence
    if (session_days.size() < 3) return std::nullopt;
    std::vector<int> gaps;
    for (std::size_t i = 1; i < session_days.size(); ++i) gaps.push_back(session_days[i] - session_days[i - 1]);
    std::sort(gaps.begin(), gaps.end());
    const auto n = gaps.size();
    return n % 2 == 1 ? static_cast<double>(gaps[n / 2]) : (gaps[n / 2 - 1] + gaps[n / 2]) / 2.0;
}

}  // namespace debrief::projections::dashboard
