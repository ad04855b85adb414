// The query language of `GET /v1/search?q=`: words, "exact phrases", prefixes (`manag*`) and exclusions (`-word`,
// `-"a phrase"`), separated by white space. Parsing only reads the clauses as typed; the analysis (folding,
// stemming, stop words) is the search's business, so "follow-up" is one word clause here and two terms there.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace debrief::projections {

struct QueryClause {
    enum class Kind { word, phrase, prefix };
    Kind kind = Kind::word;
    std::string text;       // the word, the phrase's inner text, or the prefix without its '*', as typed (not analysed)
    bool excluded = false;  // written with a leading '-'
    bool operator==(const QueryClause&) const = default;
};

struct SearchQuery {
    std::vector<QueryClause> clauses;  // in the order typed
};

inline constexpr std::size_t max_query_bytes = 1000;
inline constexpr std::size_t max_query_clauses = 32;
inline constexpr std::size_t min_prefix_letters = 2;  // "a*" would read the whole dictionary's "a" range

// Errors are `invalid(...)` with a stable code: "query_too_long" (more than max_query_bytes bytes, or more than
// max_query_clauses clauses), "invalid_query_encoding" (not UTF-8), "unbalanced_quote" (an odd number of '"'),
// "prefix_too_short" (a prefix of fewer than min_prefix_letters letters once folded: "a*", "*"), "empty_query"
// (nothing to look for: only spaces, punctuation, empty phrases or excluded clauses).
Result<SearchQuery> parse_search_query(std::string_view q);
// The same without "empty_query": what is left of a query once its natural-language reading took names and dates
// out may be only exclusions, or nothing (then the filters alone choose).
Result<SearchQuery> parse_search_clauses(std::string_view q);

}  // namespace debrief::projections
