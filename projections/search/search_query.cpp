// Reading a query into clauses: one pass over the code points, white space between clauses, quotes around phrases.
#include "projections/search/search_query.hpp"

#include <algorithm>

#include "commands/text_rules.hpp"
#include "projections/search/text_analyzer.hpp"
#include "projections/search/unicode_text.hpp"

namespace debrief::projections {
namespace {

Error query_error(std::string code, std::string message) {
    auto error = invalid(std::move(code), std::move(message));
    error.field = "q";
    return error;
}


std::size_t space_length(std::string_view q, std::size_t at) {
    const auto d = unicode::decode(q, at);
    return unicode::is_space(d.code_point) ? d.length : 0;
}

}  // namespace

Result<SearchQuery> parse_search_clauses(std::string_view q) {
    if (q.size() > max_query_bytes)
        return query_error("query_too_long", "The query is " + std::to_string(q.size()) + " bytes long; at most " + std::to_string(max_query_bytes) +
                                                     " bytes are allowed. Search for fewer or shorter words.");
    if (const auto bad = commands::first_invalid_utf8(q))
        return query_error("invalid_query_encoding", "The query is not UTF-8 text (byte " + std::to_string(*bad) +
                                                             " is not part of a UTF-8 character). Send q as UTF-8, percent-encoded in the URL.");
    if (std::count(q.begin(), q.end(), '"') % 2 != 0)
        return query_error("unbalanced_quote",
                           "The query has an odd number of double quotes (\"). Put each exact phrase between two quotes, like \"time management\", "
                           "or leave the quotes out.");

    SearchQuery query;
    std::size_t i = 0;
    while (i < q.size()) {
        if (const auto space = space_length(q, i)) {
            i += space;
            continue;
        }
        QueryClause clause;
        // A '-' excludes only what follows it directly: a lone "-" is punctuation, and one inside "follow-up" is part of the word.
        if (q[i] == '-' && i + 1 < q.size() && !space_length(q, i + 1)) {
            clause.excluded = true;
            ++i;
        }
        if (q[i] == '"') {
            const auto close = q.find('"', i + 1);  // there is one: the quotes are balanced
            clause.kind = QueryClause::Kind::phrase;
            clause.text = q.substr(i + 1, close - i - 1);
            i = close + 1;
            if (unicode::word_characters(clause.text) == 0) continue;  // "" and " - " ask for nothing
        } else {
            const auto start = i;
            while (i < q.size() && q[i] != '"' && !space_length(q, i)) i += unicode::decode(q, i).length;
            auto word = q.substr(start, i - start);
            if (word.ends_with('*')) {
                while (word.ends_with('*')) word.remove_suffix(1);
                clause.kind = QueryClause::Kind::prefix;
                if (unicode::word_characters(TextAnalyzer::fold(word)) < min_prefix_letters)
                    return query_error("prefix_too_short", "The prefix \"" + std::string(word) + "*\" is too short: a prefix needs at least " +
                                                                   std::to_string(min_prefix_letters) + " letters before its '*', like manag*.");
            } else if (unicode::word_characters(word) == 0) {
                continue;  // punctuation alone is no word
            }
            clause.text = word;
        }
        if (query.clauses.size() == max_query_clauses)
            return query_error("query_too_long", "The query has more than " + std::to_string(max_query_clauses) +
                                                         " words, phrases and prefixes; at most " + std::to_string(max_query_clauses) +
                                                         " are allowed. Search for fewer words.");
        query.clauses.push_back(std::move(clause));
    }
    return query;
}

Result<SearchQuery> parse_search_query(std::string_view q) {
    auto query = parse_search_clauses(q);
    if (!query) return query;
    if (std::none_of(query->clauses.begin(), query->clauses.end(), [](const QueryClause& c) { return !c.excluded; }))
        return query_error("empty_query",
                           "The query has nothing to search for. Type at least one word, \"exact phrase\" or prefix* (at least 2 letters before "
                           "the '*') that is not excluded with a leading '-'.");
    return query;
}

}  // namespace debrief::projections
