// Sentence and clause splitting for spoken text, where "but" often joins a win to a challenge in one sentence.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace debrief::analysis::detail {

struct Sentence {
    std::string text;  // trimmed, with its closing punctuation
    bool question = false;
};

// Splits after . ! ? (and runs of them) followed by a space; decimals ("4.5"), times and common abbreviations
// ("Mr.", "e.g.") do not end a sentence. Expects text from normalise_punctuation.
std::vector<Sentence> split_sentences(std::string_view text);

// Splits a sentence at contrast words (but, although, though, whereas, however, except), at ';' and at a spaced
// dash, when both sides keep at least three words; the contrast word itself is dropped.
std::vector<std::string> split_clauses(std::string_view sentence);

}  // namespace debrief::analysis::detail
