// Engagement level from a client's share of the talk, measured against an even share between everyone who spoke.
#pragma once

#include "commands/analysis/analyser.hpp"

namespace debrief::analysis::detail {

struct TalkTotals {
    double speaking_seconds = 0;  // everyone's speaking time
    int word_count = 0;           // everyone's words
    int speakers = 0;             // people who said at least one word
};

// share = the mean of the client's share of speaking time and of words (each where its total is known);
// ratio = share / (1 / speakers), so 1.0 is exactly an even share.
//   silent  no words at all
//   high    ratio >= 0.75 and at least 3 turns
//   low     ratio <  0.35, or a single turn
//   medium  everything in between
inline constexpr double high_share_ratio = 0.75;
inline constexpr double low_share_ratio = 0.35;
inline constexpr int high_min_turns = 3;

EngagementLevel engagement_level(const ParticipantInfo& client, const TalkTotals& totals);

}  // namespace debrief::analysis::detail
