// libFuzzer target: one input as the q of a search, through the query language's parser and the natural-language
// reading, as GET /v1/search runs them. A query is refused with one of the parser's codes or read into clauses that
// each hold something to look for; the reading never invents words (what it leaves is the input's words, in order),
// leaves a query it understands nothing of exactly as typed, keeps what it leaves readable by the parser, and reads
// dates as ISO days in order.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "commands/text_rules.hpp"
#include "projections/search/natural_language.hpp"
#include "projections/search/search_query.hpp"
#include "projections/search/unicode_text.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace debrief;
using namespace debrief::projections;

namespace {

bool iso_day(const std::string& s) {
    return s.size() == 10 && s[4] == '-' && s[7] == '-' && std::isdigit(static_cast<unsigned char>(s[0])) &&
           std::isdigit(static_cast<unsigned char>(s[5])) && std::isdigit(static_cast<unsigned char>(s[8]));
}

// Whether every white-space-separated piece of `part` appears in `whole`, in order.
bool pieces_in_order(std::string_view whole, std::string_view part) {
    std::size_t at = 0;
    for (std::size_t i = 0; i < part.size();) {
        const auto end = std::min(part.find(' ', i), part.size());
        if (end > i) {
            const auto found = whole.find(part.substr(i, end - i), at);
            if (found == std::string_view::npos) return false;
            at = found + (end - i);
        }
        i = end + 1;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::set<std::string> codes{"query_too_long", "invalid_query_encoding", "unbalanced_quote", "prefix_too_short", "empty_query"};
    static const std::vector<KnownName> names{{"Marcus Lee", "client", "c1"}, {"Marcus Webb", "client", "c2"}, {"Priya Shah", "client", "c3"},
                                              {"Dana Okafor", "coach", "u1"}, {"Zoë Ångström", "client", "c4"}};
    const std::string_view q(reinterpret_cast<const char*>(data), size);

    auto parsed = parse_search_query(q);
    if (!parsed) {
        FUZZ_CHECK(codes.contains(parsed.error().code));
    } else {
        FUZZ_CHECK(!parsed->clauses.empty() && parsed->clauses.size() <= max_query_clauses);
        bool positive = false;
        for (const auto& clause : parsed->clauses) {
            FUZZ_CHECK(commands::is_valid_utf8(clause.text));
            FUZZ_CHECK(unicode::word_characters(clause.text) > 0);
            positive = positive || !clause.excluded;
        }
        FUZZ_CHECK(positive);
    }

    const auto reading = interpret_query(q, "2026-12-05", names);
    if (reading.understood.empty()) {
        FUZZ_CHECK(reading.text == q);
        FUZZ_CHECK(!reading.from && !reading.to && reading.client_ids.empty() && reading.coach_ids.empty());
        return 0;
    }
    FUZZ_CHECK(commands::is_valid_utf8(reading.text));
    FUZZ_CHECK(pieces_in_order(q, reading.text));
    if (parsed) FUZZ_CHECK(parse_search_clauses(reading.text).ok());
    if (reading.from) FUZZ_CHECK(iso_day(*reading.from));
    if (reading.to) FUZZ_CHECK(iso_day(*reading.to));
    // Two dates read from one query both hold: an empty stretch is allowed (it finds nothing), a malformed one not.
    for (const auto& id : reading.client_ids) FUZZ_CHECK(id == "c1" || id == "c2" || id == "c3" || id == "c4");
    for (const auto& id : reading.coach_ids) FUZZ_CHECK(id == "u1");
    return 0;
}
