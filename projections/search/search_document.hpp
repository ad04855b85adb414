// What the search index holds: documents, each one field of one thing a coach wrote or said (a transcript segment,
// one section of a summary, an action item, a note), with what filters and roles need to know about it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace debrief::projections {

// Each field has its own postings, statistics and boost (a query runs over the fields it may reach, as Lucene runs
// a query over several fields): a summary is four documents, so a query can ask for challenges only.
enum class SearchField : std::uint8_t { transcript, wins, challenges, summary_action_items, recommendations, action_item, note };
inline constexpr std::size_t search_field_count = 7;
inline constexpr SearchField all_search_fields[search_field_count] = {SearchField::transcript,  SearchField::wins,
                                                                      SearchField::challenges,  SearchField::summary_action_items,
                                                                      SearchField::recommendations, SearchField::action_item,
                                                                      SearchField::note};

// "transcript", "summary", "action_item" or "note": the kind a result is answered with and filtered by.
std::string_view kind_of(SearchField field);
// "text", "wins", "challenges", "action_items", "recommendations", "title", "text": the part of the thing matched.
std::string_view field_name(SearchField field);
// The score's multiplier: what the coach curated (summaries, action items, notes) ranks above what was said.
double field_boost(SearchField field);
std::optional<SearchField> parse_kind_field(std::string_view kind, std::string_view field);

struct SearchDocument {
    SearchField field = SearchField::transcript;
    std::string id;  // the session (transcript), summary, action item or note
    std::string session_id;
    int segment = -1;  // a transcript segment's index in its session
    std::string speaker;
    std::optional<double> start_seconds;
    std::vector<std::string> client_ids;  // whom it concerns: the speaker, or for the coach's turns every client of the session
    std::string coach_id;
    std::string session_type;  // empty when not about a session
    std::string date;          // YYYY-MM-DD: the session's date, else the day it was written
    std::vector<std::string> tags;  // its clients' tags
    bool client_visible = false;   // an approved summary or an action item: its clients may find it
    std::string text;
    bool operator==(const SearchDocument&) const = default;
};

// Stored as JSON: a document is read once per result (for its snippet), never in the inner loop.
std::string encode_document(const SearchDocument& document);
SearchDocument decode_document(std::string_view stored);  // throws on a damaged document

// Days since 1970-01-01 of a YYYY-MM-DD date; nullopt when it is not one.
std::optional<std::int32_t> day_number(std::string_view date);

}  // namespace debrief::projections
