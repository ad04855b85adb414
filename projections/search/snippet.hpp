// Highlighted snippets of a search hit: the stretch of a document's text that holds the most of the query's terms,
// cut between words, with the matched words' byte ranges for the client to mark.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "projections/search/text_analyzer.hpp"

namespace debrief::projections {

struct Snippet {
    std::string text;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;  // byte [start, end) within text, in order
};

// tokens: the analysis of `text` (TextAnalyzer::analyze); matched: the terms of the query that matched (analysed terms).
// Picks the window of at most max_bytes of text with the most distinct matched terms (then the most matches, then the
// earliest), the matches centred in it, cut at white space (or, in a text without any, between words) and never
// inside a UTF-8 sequence, with "…" where text was cut: the snippet's text is at most max_bytes + 6 bytes.
// Highlights are the matched words' byte ranges inside the snippet's text (after any leading "…"). A text without a
// match gives its start. A single matched word longer than max_bytes is cut, and so is its highlight.
Snippet make_snippet(std::string_view text, const std::vector<Token>& tokens, const std::set<std::string>& matched, std::size_t max_bytes = 200);

}  // namespace debrief::projections
