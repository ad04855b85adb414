// Ranking a summary list: highest signal first, near-duplicates dropped, capped at a length a coach can read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "commands/analysis/analyser.hpp"

namespace debrief::analysis::detail {

struct Candidate {
    std::string text;
    double score = 0;       // higher is a stronger, more specific signal
    std::size_t order = 0;  // order of discovery: the earlier mention wins a tie
};

struct ActionCandidate {
    ActionItemDraft draft;
    double score = 0;
    std::size_t order = 0;
};

inline constexpr std::size_t max_coach_action_items = 3;  // the coach's promises, on top of the client's own items

// Near-duplicates: 80% of the shorter phrase's content words appear in the longer one, or the two share 60% of
// all their content words.
bool similar(std::string_view a, std::string_view b);

// At most max_items_per_list, best first.
std::vector<std::string> rank(std::vector<Candidate> items);
// At most max_items_per_list items owned by the client and max_coach_action_items owned by the coach, best first;
// the coach's have their own cap so that the client's many commitments never crowd them out.
std::vector<ActionItemDraft> rank(std::vector<ActionCandidate> actions);
// Advice the client already took on as one of these action items would only repeat it.
std::vector<Candidate> without_taken_on(std::vector<Candidate> recommendations, const std::vector<ActionItemDraft>& actions);

}  // namespace debrief::analysis::detail
