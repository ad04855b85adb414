// Follow-up priority: a weighted sum of the summary's signals; the formula is documented in priority.hpp.
#include "commands/analysis/priority.hpp"

#include <algorithm>
#include <cmath>

namespace debrief::analysis::detail {

double priority_score(const PrioritySignals& s) {
    double score = 0.15;
    score += 0.10 * std::min(s.challenges, 4);
    score += 0.12 * std::min(s.risk_words, 3);
    switch (s.engagement) {
        case EngagementLevel::silent: score += 0.35; break;
        case EngagementLevel::low: score += 0.20; break;
        case EngagementLevel::medium: score += 0.05; break;
        case EngagementLevel::high: break;
    }
    if (s.action_items == 0) score += 0.10;
    int toned = s.negative_clauses + s.positive_clauses;
    if (toned > 0) score += 0.15 * std::max(0.0, static_cast<double>(s.negative_clauses - s.positive_clauses) / toned);
    if (s.breakthrough) score -= 0.15;
    score -= 0.05 * std::min(s.wins, 4);
    score = std::clamp(score, 0.0, 1.0);
    return std::round(score * 100) / 100;
}

}  // namespace debrief::analysis::detail
