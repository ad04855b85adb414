// The query side of the search index: BM25 over each field's postings (block-max WAND when a query is a plain set
// of words), phrases, prefixes, exclusions, filters and roles over in-memory columns of every document's filing
// (Tantivy's fast fields, in miniature), facets, and sorting with a keyset cursor. Every read of one query comes from
// one RocksDB snapshot, so a batch committed meanwhile is seen whole or not at all.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "projections/search/index_writer.hpp"
#include "projections/search/natural_language.hpp"
#include "projections/search/search_document.hpp"
#include "projections/search/search_query.hpp"

namespace rocksdb {
class DB;
}

namespace debrief::projections {

// The query's text, as clauses (parsed from what the user typed, not analysed yet). No word, phrase or prefix at
// all: every document the filters and the scope admit matches (a query of filters only, such as "Marcus's action
// items this week" once its names and dates are read), scored 0.
struct SearchTerms {
    std::vector<std::string> words, phrases, prefixes;
    std::vector<std::string> excluded_words, excluded_phrases;
    std::vector<std::string> analysed;  // terms as the index holds them, used as they are (similar sessions' query)
    bool all = false;  // every word and prefix must match; else any (phrases must always match)
};

// The clauses of a parsed query (search_query.hpp) as the terms of a search; all: every word must match.
SearchTerms search_terms(const SearchQuery& query, bool all);

struct SearchFilters {
    std::set<SearchField> fields;  // empty: every field
    std::vector<std::string> client_ids, coach_ids, tags;  // each: any of them
    std::string session_type;
    std::optional<std::int32_t> from_day, to_day;  // inclusive, day_number()
    std::set<std::string> excluded_sessions;
};

// Whose material the caller may find: everything (an admin), the documents of these coaches (a coach: their own;
// a lead: theirs and their coaches'), or a client's own approved summaries and action items.
struct SearchScope {
    bool everything = false;
    std::set<std::string> coach_ids;
    std::string client_id;
};

enum class SearchSort { relevance, date };

// Where a page ended: the next page starts after it.
struct SearchPlace {
    double score = 0;
    std::int32_t day = 0;
    std::uint8_t field = 0;
    std::uint32_t doc = 0;
    bool operator==(const SearchPlace&) const = default;
};

struct SearchRequest {
    std::string organization;
    SearchTerms terms;
    SearchFilters filters;
    SearchScope scope;
    SearchSort sort = SearchSort::relevance;
    std::size_t limit = 10;
    std::optional<SearchPlace> after;
    // false: every matching document is scored, no block skipped (the benchmark's baseline for block-max WAND).
    bool skip_blocks = true;
};

struct SearchHit {
    SearchDocument document;
    std::uint32_t doc = 0;
    double score = 0;
};

struct SearchAnswer {
    std::vector<SearchHit> hits;
    std::set<std::string> query_terms;  // the analysed terms the hits may hold (for highlights)
    std::uint64_t total = 0;
    bool total_exact = true;  // false: more matched than were counted (total is a lower bound)
    std::map<std::string, std::uint64_t> kinds, clients;
    std::optional<SearchPlace> next;
};

struct Suggestion {
    std::string text;
    std::string kind;  // "term" | "client" | "coach"
    std::uint64_t weight = 0;  // the documents that hold the word, or that concern the client or coach
    std::string id;            // the client's or the coach's
};

struct SimilarSession {
    std::string session_id;
    double score = 0;
    std::vector<std::string> terms;  // the words it shares with the session, as the session said them
    std::string coach_id, date, session_type;
    std::vector<std::string> client_ids;
};

// Counting stops here: totals and facets beyond it are lower bounds, as Elasticsearch's track_total_hits.
inline constexpr std::uint64_t counted_matches = 10'000;

class SearchIndex {
public:
    explicit SearchIndex(rocksdb::DB& db);
    ~SearchIndex();
    // After a batch is committed: the columns of the documents it stored or removed, and the names of the
    // organizations whose users or clients it changed.
    void apply(const std::vector<IndexWriter::DocumentChange>& changes, const std::set<std::string>& people_changed = {});
    // A query that needs a term the index does not have finds nothing; one that cannot run is an Error.
    Result<SearchAnswer> search(const SearchRequest& request) const;
    // The coaches a coach lead leads, from the users the index has seen.
    std::set<std::string> coaches_led_by(const std::string& organization, const std::string& lead) const;
    // The clients and coaches whose names a caller of this scope may search by: an admin's, every client and every
    // coach and coach lead; a coach's or a lead's, the clients of their coaches and those coaches; a client's, none.
    std::vector<KnownName> known_names(const std::string& organization, const SearchScope& scope) const;
    // Words that start with the prefix (folded, not stemmed) in the documents of the scope's coaches (an admin's:
    // the organization's; a client's: none), and the known names with a word that starts with it; heaviest first.
    // Sessions like this one (MoreLikeThis): its transcript's most telling terms (tf-idf) as an any-word query over
    // the other sessions' transcripts within the scope, each session scored by the sum of its matching turns.
    // nullopt when the session is not in the index or not in the scope.
    Result<std::optional<std::vector<SimilarSession>>> similar_sessions(const std::string& organization, const SearchScope& scope,
                                                                        const std::string& session_id, std::size_t limit) const;
    std::vector<Suggestion> suggest(const std::string& organization, const SearchScope& scope, std::string_view prefix, std::size_t limit) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::projections
