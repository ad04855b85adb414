// Commitments and agreed requests: "I'll call the supplier", "Can you block chat by Friday?" + "Yes, I will."
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "commands/analysis/text.hpp"

namespace debrief::analysis::detail {

// The word where the task of a first-person commitment starts: "I'll call the supplier" -> "call".
// "I will", "I'm going to", "I plan to", "my plan is to", and for the coach "let me send you ..."; a wish or a need
// ("I want to", "I need to") counts only when a due date is set. Conversation management ("I'll be honest",
// "let me share my screen") and commitments under "if"/"maybe" are not commitments.
std::optional<std::size_t> commitment_task(const std::vector<Word>& words, bool has_due_date, bool coach);

// The word where the task of an idea the speaker offers starts: "I could ask them to ..." -> "ask"; "maybe I could",
// "what if I". Not a commitment on its own, but what "could you try that?" refers to.
std::optional<std::size_t> offered_task(const std::vector<Word>& words);

// The word where the task of a request to the listener starts: "Can you block chat ..." -> "block";
// "I'd like you to", "could you try to", "your homework is to", "you'll". Prompts to talk ("can you walk me
// through it?") are not requests.
std::optional<std::size_t> request_task(const std::vector<Word>& words);

// True when the request carries its own timing ("next", "every", "from now on", "going forward"), which makes a
// plain "yes" an agreement to do it rather than an answer.
bool has_timing_cue(const std::vector<Word>& words);

enum class Reply { none, refuse, agree, commit };
// How a turn answers the turn before it, from its first sentence: "no"/"I can't" refuse, "yes"/"sure" agree,
// "I will"/"I'll do that"/"will do" commit.
Reply classify_reply(const std::vector<Word>& first_sentence);

// A task that only points back ("do it", "try that", "give it a go") and needs the sentence it answers.
bool is_anaphoric(const std::vector<Word>& task_words);

}  // namespace debrief::analysis::detail
