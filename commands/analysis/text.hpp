// Word-level text helpers shared by the analyser: punctuation clean-up, lower-casing and words with their byte spans.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "commands/text_rules.hpp"
#include <vector>

namespace debrief::analysis::detail {

struct Word {
    std::string lower;  // ASCII-lower-cased; UTF-8 letters are kept as they are
    std::size_t begin = 0;
    std::size_t end = 0;  // byte span in the text the words were taken from
};

// Curly quotes and apostrophes become ASCII, en/em dashes become " - ", "…" becomes "...".
std::string normalise_punctuation(std::string_view text);
std::string to_lower(std::string_view text);
// Words are runs of letters, digits, non-ASCII bytes and inner apostrophes ("didn't"); hyphens and '/' separate.
std::vector<Word> words_of(std::string_view text);
bool is_word_byte(char c);
bool has_digit(std::string_view text);
}  // namespace debrief::analysis::detail
