// What a sentence does in the conversation beyond its words: talks to someone, quotes, recaps, moves on, points back.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "commands/analysis/text.hpp"

namespace debrief::analysis::detail {

// "Your CSAT went up", "So, you stayed calm": the sentence is about the listener (after openers like "so", "and").
bool opens_in_second_person(const std::vector<Word>& words);
// "You sound really fed up", "That sounds stressful": said to someone (a role-play customer, the coach), so not the
// speaker's own win or challenge.
bool speaks_to_someone(const std::vector<Word>& words);
// "I said, I can hear how frustrating this is": quoted words, not a report of how things went.
bool reported_speech(std::string_view text, const std::vector<Word>& words);
// "You mentioned quitting", "to recap, you're ...": the client's own words again, already read from their turns.
bool reports_or_recaps(const std::vector<Word>& words);
// "Let's move on to the technique": the coach turns from the last speaker back to the room.
bool moves_on(const std::vector<Word>& words);
// "If ...", "When ...", "Imagine ...": a hypothetical.
bool opens_conditionally(const std::vector<Word>& words);
// "How do I stop panicking?": a question that names a difficulty.
bool is_how_question(const std::vector<Word>& words);
// "try that at the huddle", "do it on Monday": the task at word `task` points back to something said before.
bool points_back(const std::vector<Word>& words, std::size_t task);

}  // namespace debrief::analysis::detail
