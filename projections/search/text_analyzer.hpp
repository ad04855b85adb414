// Text analysis for search: text in, terms out, each with its word position (for phrases) and its byte offsets in
// the text (for snippets and highlights). Words are split at spaces, punctuation and symbols in any script (an
// apostrophe inside a word keeps it whole: "don't", "Marcus's"); each ideograph, kana or Thai letter is a word of
// its own; words are folded (lower case, Latin accents off: unicode_text.hpp), English stop words are left out
// (their positions still count, so a phrase with one inside still lines up), and words of ASCII letters are
// stemmed with Snowball's English (Porter2) stemmer: "struggled", "struggling" and "struggles" are one term.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace debrief::projections {

struct Token {
    std::string term;
    std::uint32_t position = 0;  // the word's place in the text, stop words and overlong words counted
    std::uint32_t start = 0;     // bytes [start, end) of the word in the text analysed
    std::uint32_t end = 0;
    bool operator==(const Token&) const = default;
};

// Longer words are not indexed (a run of letters that long is no word a user would type; their position counts).
inline constexpr std::size_t max_term_bytes = 64;

// Not thread-safe (the stemmer keeps a buffer): one per thread.
class TextAnalyzer {
public:
    TextAnalyzer();
    ~TextAnalyzer();
    TextAnalyzer(const TextAnalyzer&) = delete;
    TextAnalyzer& operator=(const TextAnalyzer&) = delete;

    std::vector<Token> analyze(std::string_view text);
    // One word as a query names it: the term it is indexed under, or nullopt for a stop word or nothing indexable.
    std::optional<std::string> term(std::string_view word);
    // Folded only, not stemmed: what a prefix ("manag*") and a suggestion are matched against.
    static std::string fold(std::string_view text);
    static bool is_stop_word(std::string_view folded);

private:
    std::string stem(const std::string& folded);
    sb_stemmer* stemmer_;
};

}  // namespace debrief::projections
