// Follow-up priority 0..1: how urgently a coach should check in with a client after this session.
#pragma once

#include "commands/analysis/analyser.hpp"

namespace debrief::analysis::detail {

struct PrioritySignals {
    int challenges = 0;        // in the summary (deduplicated)
    int wins = 0;              // in the summary (deduplicated)
    int action_items = 0;
    int risk_words = 0;        // distinct risk words outside wins: "quit", "overwhelmed", "burnout", "complaint" ...
    int negative_clauses = 0;  // every clause scored as a challenge, before deduplication
    int positive_clauses = 0;  // every clause scored as a win
    EngagementLevel engagement = EngagementLevel::silent;
    bool breakthrough = false;
};

// priority = 0.15                                        base: every client deserves some follow-up
//          + 0.10 x min(challenges, 4)                   up to 0.40
//          + 0.12 x min(risk_words, 3)                   up to 0.36
//          + engagement: silent 0.35, low 0.20, medium 0.05, high 0
//          + 0.10 when there is no action item           nothing agreed means nothing to follow up on
//          + 0.15 x max(0, (neg - pos) / (neg + pos))    the balance of the client's own tone
//          - 0.15 when a breakthrough was detected
//          - 0.05 x min(wins, 4)                         up to 0.20
// clamped to [0, 1] and rounded to two decimals. A silent client scores 0.60.
double priority_score(const PrioritySignals& signals);

}  // namespace debrief::analysis::detail
