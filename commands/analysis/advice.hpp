// How clearly a coach's sentence gives advice: "I'd suggest ...", "try ...", "what if you ...", an imperative.
#pragma once

#include <string_view>
#include <vector>

#include "commands/analysis/text.hpp"

namespace debrief::analysis::detail {

inline constexpr double advice_threshold = 1.5;        // advice to the client it is addressed to
inline constexpr double group_advice_threshold = 2.0;  // advice to the whole group must be unmistakable

// 0 when the sentence is not advice. Questions count only in advice form ("what if you ...?", "have you tried ...?",
// "could you try ...?"); prompts such as "tell me about ..." and the coach's own plans ("I'll ...") do not count.
// An instruction may open the sentence or follow a condition: "If it crashes mid-call, offer the callback".
double advice_strength(std::string_view sentence, const std::vector<Word>& words, bool question);

}  // namespace debrief::analysis::detail
