// The few Unicode facts the search analysis needs, without a Unicode library: decoding UTF-8, which code points
// separate words (spaces, punctuation, symbols), which scripts are written without spaces (each ideograph or kana
// is a word of its own), and simple case folding with the Latin accents folded away (so "Café" finds "cafe").
// Tables cover Latin, Greek, Cyrillic and Armenian case pairs; other scripts have no case, or keep it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace debrief::projections::unicode {

inline constexpr char32_t invalid = 0xFFFD;

// The code point at text[at], and how many bytes it took (at least 1): an invalid or truncated sequence, an
// overlong form or a surrogate decodes as `invalid` over one byte, so decoding always moves on.
struct Decoded {
    char32_t code_point;
    std::size_t length;
};
Decoded decode(std::string_view text, std::size_t at);
void append_utf8(std::string& out, char32_t code_point);

// Spaces, control characters, punctuation and symbols: what separates words.
bool is_separator(char32_t c);
// White space alone (ASCII's, the no-break and ideographic spaces, the line and paragraph separators): what
// separates the clauses of a query, where punctuation does not.
bool is_space(char32_t c);
// Code points that are neither space, punctuation nor symbol: what the analysis would make a term of.
std::size_t word_characters(std::string_view text);
// Scripts written without spaces between words (CJK ideographs, kana, Hangul syllables, Thai): each is a token.
bool is_standalone(char32_t c);
// The lower-case form with Latin accents removed (À -> a, ß -> ss is not done: one code point in, one or two out
// through `fold_into`).
void fold_into(std::string& out, char32_t c);

}  // namespace debrief::projections::unicode
