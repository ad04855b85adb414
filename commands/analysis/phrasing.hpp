// Turning spoken sentences into summary phrases: fillers out, first person to a readable note, short and capitalised.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace debrief::analysis::detail {

// Names a speaker may be addressed by ("maria lopez", "maria"), lower-case; dropped when they open or close a phrase.
using Vocatives = std::vector<std::string>;

// Every phrase is first cleaned of speech: hesitations ("um", "uh"), false starts ("cl- closed", "I just, I stayed"),
// stutters ("I I"), comma-bounded fillers (", you know,", ", like,"), hedges ("kind of", "basically") and leading
// discourse markers ("so", "yeah", "I mean", "I think"); then trailing fillers go ("..., right?", "and stuff").

// A win or challenge: "I closed two escalations without help" -> "Closed two escalations without help",
// "I keep running out of time" -> "Keeps running out of time", "My CSAT went up" -> "CSAT went up".
// second_person reads the coach's "your CSAT went up" / "you stayed calm" the same way.
std::string summary_phrase(std::string_view clause, bool second_person, const Vocatives& names);

struct TitleNames {
    std::string you;  // replaces "you" in the title ("book you a slot" -> "book Marcus a slot"); empty keeps it
    std::string me;   // replaces "me" ("send me your notes" -> "send Dana your notes"); empty keeps it
};
// An action item title from a task ("call the supplier by Friday because ..."), without the due-date span
// [due_begin, due_end) (bytes in task; pass equal values for none), trailing reasons and fillers.
std::string action_title(std::string_view task, std::size_t due_begin, std::size_t due_end, const TitleNames& names);

// A coach's advice as an instruction: "I'd suggest you write notes during the call" -> "Write notes during the
// call", "What if you tried mute?" -> "Try mute", "let's focus on X" -> "Focus on X".
std::string recommendation_phrase(std::string_view sentence, const Vocatives& names);

// Lower-case content words, for near-duplicate detection.
std::vector<std::string> content_words(std::string_view phrase);

}  // namespace debrief::analysis::detail
