// The natural-language reading of a search query (issue 10, point 6): dates ("last month", "since October"), people
// ("Marcus's"), summary sections ("struggled with"), document kinds ("action items") and session types ("call
// reviews") are taken out of the text and become filters, and `understood` says what was read, for the answer to
// show. Pure: the request's date and the names the actor may see come in. Quoted phrases, exclusions and prefixes are
// never read this way, and a query in which nothing is understood keeps its text exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace debrief::projections {

struct KnownName {
    std::string name;
    std::string kind;  // "client" | "coach"
    std::string id;
};

struct Interpretation {
    std::string text;                         // what stays the text query (the input minus what was understood)
    std::optional<std::string> from, to;      // YYYY-MM-DD, inclusive
    std::vector<std::string> client_ids, coach_ids;
    std::vector<std::string> fields;          // summary sections: "challenges", "wins"
    std::vector<std::string> kinds;           // "action_item", "note", "transcript", "summary"
    std::optional<std::string> session_type;  // "individual" | "group_workshop" | "call_review"
    std::vector<std::string> understood;      // "last month → 2026-11-01..2026-11-30", "Marcus → client Marcus Lee", ...
};

// today: "YYYY-MM-DD" (the request's clock, UTC; if it is not a date, no date is read). names: the organization's
// clients and coaches the actor may see. A query longer than max_query_bytes or not UTF-8 is returned as its text,
// unread (the query parser refuses it).
Interpretation interpret_query(std::string_view q, std::string_view today, const std::vector<KnownName>& names);

}  // namespace debrief::projections
