// Is a clause a win or a challenge? Cue phrases with negation, aspiration and KPI direction, plus insight and risk cues.
#pragma once

#include <string>
#include <vector>

#include "commands/analysis/text.hpp"

namespace debrief::analysis::detail {

struct Polarity {
    double win = 0;        // evidence of progress: "closed", "went up" on CSAT, "don't panic anymore"
    double challenge = 0;  // evidence of difficulty: "struggle", "keep running out of time", "went up" on handle time
    bool kpi = false;      // names a call-centre KPI (CSAT, handle time, QA score, ...)
    bool insight = false;  // "I realise", "it finally clicked", "that's the first time"
    std::vector<std::string> risks;  // follow-up risk words present: "quit", "overwhelmed", "complaint", ...

    static constexpr double threshold = 1.5;  // one strong cue, or a weak one with a booster
    bool is_win() const { return win >= threshold && win >= challenge + 0.5; }
    bool is_challenge() const { return challenge >= threshold && challenge >= win + 0.5; }
};

// KPI direction: "handle time went up" is a challenge, "CSAT went up" a win; "from 78 to 85" counts as up.
// Negation flips a win cue ("didn't finish") and cancels a challenge cue, except after "no"/"without" or with
// "anymore"/"no longer" ("I don't panic anymore"), which is a win. A win cue after "want to", "will", "if" ... is
// a hope, not a win.
Polarity score_polarity(const std::vector<Word>& words);

}  // namespace debrief::analysis::detail
