// The search query language: words, phrases, prefixes and exclusions as typed, and every refusal with its stable code.
#include <doctest/doctest.h>

#include "projections/search/search_query.hpp"

using namespace debrief::projections;
using Kind = QueryClause::Kind;

namespace {

std::vector<QueryClause> clauses(std::string_view q) {
    auto parsed = parse_search_query(q);
    REQUIRE_MESSAGE(parsed.ok(), q);
    return parsed->clauses;
}

std::string error_code(std::string_view q) {
    auto parsed = parse_search_query(q);
    REQUIRE_MESSAGE(!parsed.ok(), q);
    CHECK(parsed.error().kind == debrief::ErrorKind::invalid);
    CHECK(parsed.error().field == "q");
    CHECK_FALSE(parsed.error().message.empty());
    return parsed.error().code;
}

}  // namespace

TEST_CASE("search query: words, phrases, prefixes and exclusions come out in the order typed, not analysed") {
    CHECK(clauses("Struggling  with\tdelegation") ==
          std::vector<QueryClause>{{Kind::word, "Struggling"}, {Kind::word, "with"}, {Kind::word, "delegation"}});
    CHECK(clauses("\"time management\" manag* -pricing -\"call the supplier\" -budg*") ==
          std::vector<QueryClause>{{Kind::phrase, "time management"},
                                   {Kind::prefix, "manag"},
                                   {Kind::word, "pricing", true},
                                   {Kind::phrase, "call the supplier", true},
                                   {Kind::prefix, "budg", true}});
    CHECK(clauses("  Café  ") == std::vector<QueryClause>{{Kind::word, "Café"}});
}

TEST_CASE("search query: a '-' inside a word or standing alone is no exclusion; punctuation alone and empty phrases are dropped") {
    CHECK(clauses("follow-up") == std::vector<QueryClause>{{Kind::word, "follow-up"}});
    CHECK(clauses("budget - forecast") == std::vector<QueryClause>{{Kind::word, "budget"}, {Kind::word, "forecast"}});
    CHECK(clauses("budget -") == std::vector<QueryClause>{{Kind::word, "budget"}});
    CHECK(clauses("wins , ... !! — goals") == std::vector<QueryClause>{{Kind::word, "wins"}, {Kind::word, "goals"}});
    CHECK(clauses("\"\" goals \" , \" -\"\"") == std::vector<QueryClause>{{Kind::word, "goals"}});
    CHECK(clauses("x-ray -x-ray") == std::vector<QueryClause>{{Kind::word, "x-ray"}, {Kind::word, "x-ray", true}});
}

TEST_CASE("search query: a quote ends a word and a phrase ends at its closing quote, spaces inside kept as typed") {
    CHECK(clauses("plan\"next steps\"today") ==
          std::vector<QueryClause>{{Kind::word, "plan"}, {Kind::phrase, "next steps"}, {Kind::word, "today"}});
    CHECK(clauses("\"  two  spaces \"") == std::vector<QueryClause>{{Kind::phrase, "  two  spaces "}});
    CHECK(clauses("\"manag*\" \"-pricing\"") == std::vector<QueryClause>{{Kind::phrase, "manag*"}, {Kind::phrase, "-pricing"}});
}

TEST_CASE("search query: prefixes need two letters once folded; a '*' inside a word is no prefix") {
    CHECK(clauses("ab*") == std::vector<QueryClause>{{Kind::prefix, "ab"}});
    CHECK(clauses("Éc*") == std::vector<QueryClause>{{Kind::prefix, "Éc"}});
    CHECK(clauses("ß*") == std::vector<QueryClause>{{Kind::prefix, "ß"}});  // folds to "ss"
    CHECK(clauses("時間*") == std::vector<QueryClause>{{Kind::prefix, "時間"}});
    CHECK(clauses("man**") == std::vector<QueryClause>{{Kind::prefix, "man"}});
    CHECK(clauses("a*b") == std::vector<QueryClause>{{Kind::word, "a*b"}});
    for (const auto* q : {"a*", "*", "-*", "-a*", "goals é*", "-*-*", "時*", "'a*"}) CHECK_MESSAGE(error_code(q) == "prefix_too_short", q);
}

TEST_CASE("search query: nothing to look for is empty_query") {
    for (const auto* q : {"", "   ", "\t\n", "-pricing", "-pricing -\"call review\"", "... , !", "\"\"", "- -", "\xe3\x80\x80"})
        CHECK_MESSAGE(error_code(q) == "empty_query", q);
}

TEST_CASE("search query: quotes must pair up") {
    for (const auto* q : {"\"", "\"time management", "time \"management\" \"", "-\"pricing"}) CHECK_MESSAGE(error_code(q) == "unbalanced_quote", q);
}

TEST_CASE("search query: at most 1000 bytes and 32 clauses") {
    CHECK(clauses(std::string(1000, 'a')).size() == 1);
    CHECK(error_code(std::string(1001, 'a')) == "query_too_long");
    std::string words;
    for (int i = 0; i < 32; ++i) words += "w" + std::to_string(i) + " ";
    CHECK(clauses(words).size() == 32);
    CHECK(error_code(words + "one-more") == "query_too_long");
    CHECK(clauses(words + ", \"\" -").size() == 32);  // what is dropped does not count
}

TEST_CASE("search query: text that is not UTF-8 is refused before anything is read from it") {
    for (const std::string q : {"ab\xff", "\xc0\xaf", "goals \xed\xa0\x80", "\xe2\x82", "\"\xf4\x90\x80\x80\""})
        CHECK_MESSAGE(error_code(q) == "invalid_query_encoding", q);
    CHECK(error_code("\"odd \xff") == "invalid_query_encoding");  // the encoding is checked first
}

TEST_CASE("search query: Unicode spaces separate clauses; other scripts are words") {
    CHECK(clauses("время\xc2\xa0управление\xe3\x80\x80時間") ==
          std::vector<QueryClause>{{Kind::word, "время"}, {Kind::word, "управление"}, {Kind::word, "時間"}});
}
