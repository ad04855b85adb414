// The natural-language reading of a search query: dates against the request's day, people the actor may see,
// summary sections, kinds and session types become filters; the filler around them goes; everything else, and any
// query in which nothing is understood, stays the text exactly.
#include <doctest/doctest.h>

#include "projections/search/natural_language.hpp"

using namespace debrief::projections;
using Strings = std::vector<std::string>;

namespace {

constexpr std::string_view today = "2026-12-04";  // a Friday

const std::vector<KnownName> people{
        {"Marcus Lee", "client", "c1"},   {"Priya Natarajan", "client", "c2"}, {"Dana Park", "coach", "u1"},
        {"Ann Lee", "client", "c3"},      {"Ann Lee Smith", "client", "c4"},   {"José Álvarez", "client", "c5"},
        {"Sam Ortiz", "client", "c6"},    {"Sam Wu", "coach", "u2"},           {"Zoë", "client", "c7"},
};

Interpretation read(std::string_view q, std::string_view on = today) { return interpret_query(q, on, people); }

struct Dates {
    std::optional<std::string> from, to;
    bool operator==(const Dates&) const = default;
};
Dates dates(std::string_view q, std::string_view on = today) {
    const auto i = read(q, on);
    CHECK_MESSAGE(i.text == "", q);  // the whole query was a date
    return {i.from, i.to};
}

bool nothing_understood(const Interpretation& i, std::string_view q) {
    return i.text == q && !i.from && !i.to && i.client_ids.empty() && i.coach_ids.empty() && i.fields.empty() && i.kinds.empty() &&
           !i.session_type && i.understood.empty();
}

}  // namespace

TEST_CASE("natural language: the issue's examples") {
    auto i = read("clients who struggled with time management last month");
    CHECK(i.text == "time management");
    CHECK(i.from == "2026-11-01");
    CHECK(i.to == "2026-11-30");
    CHECK(i.fields == Strings{"challenges"});
    CHECK(i.understood == Strings{"struggled with → challenges", "last month → 2026-11-01..2026-11-30"});
    CHECK(i.client_ids.empty());
    CHECK(i.kinds.empty());

    i = read("Marcus's action items due this week");
    CHECK(i.text == "");
    CHECK(i.client_ids == Strings{"c1"});
    CHECK(i.kinds == Strings{"action_item"});
    CHECK(i.from == "2026-11-30");
    CHECK(i.to == "2026-12-06");
    CHECK(i.understood == Strings{"Marcus's → client Marcus Lee", "action items → action items", "due this week → 2026-11-30..2026-12-06"});

    i = read("breakthroughs in call reviews since October");
    CHECK(i.text == "");
    CHECK(i.fields == Strings{"wins"});
    CHECK(i.session_type == "call_review");
    CHECK(i.from == "2026-10-01");
    CHECK(i.to == "2026-12-04");
    CHECK(i.understood == Strings{"breakthroughs → wins", "call reviews → call reviews", "since October → 2026-10-01..2026-12-04"});

    CHECK(nothing_understood(read("the Henderson renewal"), "the Henderson renewal"));
}

TEST_CASE("natural language: a query with nothing to read keeps its text exactly, filler and spacing included") {
    for (const auto* q : {"  find   the Henderson  renewal ", "time management", "a real struggle", "in about of with", "who said what",
                          "Marcuses", "may need help", "last session", "", "   "})
        CHECK_MESSAGE(nothing_understood(read(q), q), q);
}

TEST_CASE("natural language: relative dates against the request's day, weeks from Monday to Sunday") {
    CHECK(dates("today") == Dates{"2026-12-04", "2026-12-04"});
    CHECK(dates("Yesterday") == Dates{"2026-12-03", "2026-12-03"});
    CHECK(dates("tomorrow") == Dates{"2026-12-05", "2026-12-05"});
    CHECK(dates("this week") == Dates{"2026-11-30", "2026-12-06"});
    CHECK(dates("last week") == Dates{"2026-11-23", "2026-11-29"});
    CHECK(dates("next week") == Dates{"2026-12-07", "2026-12-13"});
    CHECK(dates("due this week") == dates("this week"));
    CHECK(dates("this month") == Dates{"2026-12-01", "2026-12-31"});
    CHECK(dates("LAST MONTH") == Dates{"2026-11-01", "2026-11-30"});
    CHECK(dates("next month") == Dates{"2027-01-01", "2027-01-31"});
    CHECK(dates("this year") == Dates{"2026-01-01", "2026-12-31"});
    CHECK(dates("last year") == Dates{"2025-01-01", "2025-12-31"});
    CHECK(dates("last 7 days") == Dates{"2026-11-28", "2026-12-04"});
    CHECK(dates("past 30 days") == Dates{"2026-11-05", "2026-12-04"});
    CHECK(dates("last 1 day") == Dates{"2026-12-04", "2026-12-04"});
    CHECK(dates("last 2 weeks") == Dates{"2026-11-21", "2026-12-04"});
    CHECK(dates("next 3 days") == Dates{"2026-12-04", "2026-12-06"});
    CHECK(dates("in the last 7 days") == dates("last 7 days"));
    CHECK(dates("over the past 30 days") == dates("past 30 days"));
    CHECK(dates("last week's") == dates("last week"));
    // At the edges of weeks, months, years and February.
    CHECK(dates("this week", "2026-12-06") == Dates{"2026-11-30", "2026-12-06"});  // a Sunday
    CHECK(dates("this week", "2026-11-30") == Dates{"2026-11-30", "2026-12-06"});  // a Monday
    CHECK(dates("last week", "2027-01-01") == Dates{"2026-12-21", "2026-12-27"});
    CHECK(dates("last month", "2027-01-15") == Dates{"2026-12-01", "2026-12-31"});
    CHECK(dates("last month", "2028-03-31") == Dates{"2028-02-01", "2028-02-29"});
    CHECK(dates("this month", "2027-02-10") == Dates{"2027-02-01", "2027-02-28"});
    CHECK(dates("last 1 days", "2028-03-01") == Dates{"2028-03-01", "2028-03-01"});
    CHECK(dates("last 2 days", "2028-03-01") == Dates{"2028-02-29", "2028-03-01"});
}

TEST_CASE("natural language: since, in, before, after, on and by a date, a month or a year; a month or day without a year is the latest not after today") {
    CHECK(dates("since October") == Dates{"2026-10-01", "2026-12-04"});
    CHECK(dates("since oct") == dates("since October"));
    CHECK(dates("since 3 March") == Dates{"2026-03-03", "2026-12-04"});
    CHECK(dates("since the 3rd of March") == dates("since 3 March"));
    CHECK(dates("since March 3rd") == dates("since 3 March"));
    CHECK(dates("since 2026-10-01") == Dates{"2026-10-01", "2026-12-04"});
    CHECK(dates("since December 5") == Dates{"2025-12-05", "2026-12-04"});  // 5 December 2026 is still to come
    CHECK(dates("since December 4") == Dates{"2026-12-04", "2026-12-04"});
    CHECK(dates("since yesterday") == Dates{"2026-12-03", "2026-12-04"});
    CHECK(dates("since last week") == Dates{"2026-11-23", "2026-12-04"});
    CHECK(dates("in March") == Dates{"2026-03-01", "2026-03-31"});
    CHECK(dates("in March 2025") == Dates{"2025-03-01", "2025-03-31"});
    CHECK(dates("in December") == Dates{"2026-12-01", "2026-12-31"});  // this month is not after today
    CHECK(dates("during February") == Dates{"2026-02-01", "2026-02-28"});
    CHECK(dates("in 2025") == Dates{"2025-01-01", "2025-12-31"});
    CHECK(dates("in Sept 2024") == Dates{"2024-09-01", "2024-09-30"});
    CHECK(dates("on 2026-11-02") == Dates{"2026-11-02", "2026-11-02"});
    CHECK(dates("on March 3, 2025") == Dates{"2025-03-03", "2025-03-03"});
    CHECK(dates("before October") == Dates{std::nullopt, "2026-09-30"});
    CHECK(dates("before 2026-03-01") == Dates{std::nullopt, "2026-02-28"});
    CHECK(dates("after October") == Dates{"2026-11-01", std::nullopt});
    CHECK(dates("after 3 March 2026") == Dates{"2026-03-04", std::nullopt});
    CHECK(dates("due before 2026-12-11") == Dates{std::nullopt, "2026-12-10"});
    CHECK(dates("due by 2026-12-11") == Dates{std::nullopt, "2026-12-11"});
    // 29 February: the latest one, years back if need be.
    CHECK(dates("since 29 February", "2028-03-01") == Dates{"2028-02-29", "2028-03-01"});
    CHECK(dates("since 29 February", "2027-03-01") == Dates{"2024-02-29", "2027-03-01"});
    // Two dates: both hold.
    CHECK(dates("since October before November") == Dates{"2026-10-01", "2026-10-31"});
}

TEST_CASE("natural language: what only looks like a date stays text") {
    for (const auto* q : {"since 2026-02-30", "in 2026-13-01", "last 0 days", "last 99999 days", "past days", "who may need help", "due by Friday", "2026-10-01", "since", "before",
                          "on monday", "last session", "in 42", "in 1066"}) {
        const auto i = read(q);
        CHECK_MESSAGE(!i.from, q);
        CHECK_MESSAGE(!i.to, q);
    }
    CHECK(read("since 2026-02-30").text == "since 2026-02-30");
    auto i = read("since February 30");  // no such day: the month is read, the number stays
    CHECK(i.from == "2026-02-01");
    CHECK(i.text == "30");
    i = read("notes last month", "not a date");  // without the request's day no date is read; the rest still is
    CHECK(i.kinds == Strings{"note"});
    CHECK(i.text == "last month");
    CHECK_FALSE(i.from);
}

TEST_CASE("natural language: people by full name, by a first name nobody else has, possessive or not, in any case and accent") {
    auto i = read("goals Marcus Lee set");
    CHECK(i.client_ids == Strings{"c1"});
    CHECK(i.text == "goals set");
    CHECK(i.understood == Strings{"Marcus Lee → client Marcus Lee"});

    i = read("marcus budget");
    CHECK(i.client_ids == Strings{"c1"});
    CHECK(i.text == "budget");
    CHECK(i.understood == Strings{"marcus → client Marcus Lee"});

    CHECK(read("Marcus’ budget").client_ids == Strings{"c1"});
    CHECK(read("Marcus’s budget").client_ids == Strings{"c1"});
    CHECK(read("Marcus Lee's budget").client_ids == Strings{"c1"});
    CHECK(read("Priya's notes").client_ids == Strings{"c2"});
    CHECK(read("jose alvarez").client_ids == Strings{"c5"});
    CHECK(read("JOSÉ").client_ids == Strings{"c5"});
    CHECK(read("zoe").client_ids == Strings{"c7"});

    i = read("notes by Dana");  // a coach
    CHECK(i.coach_ids == Strings{"u1"});
    CHECK(i.client_ids.empty());
    CHECK(i.text == "");
    CHECK(i.understood == Strings{"notes → notes", "Dana → coach Dana Park"});

    // "Sam" is two people and "Ann" is two people: their first names alone are no one; their full names are.
    CHECK(nothing_understood(read("Sam budget"), "Sam budget"));
    CHECK(read("Sam Ortiz and Sam Wu").client_ids == Strings{"c6"});
    CHECK(read("Sam Ortiz and Sam Wu").coach_ids == Strings{"u2"});
    CHECK(read("Sam Ortiz and Sam Wu").text == "");
    CHECK(nothing_understood(read("Ann budget"), "Ann budget"));
    // The longest name first.
    CHECK(read("Ann Lee Smith budget").client_ids == Strings{"c4"});
    CHECK(read("Ann Lee budget").client_ids == Strings{"c3"});
    CHECK(read("Ann Lee budget").text == "budget");
    // A surname alone and names nobody knows are text.
    CHECK(nothing_understood(read("Lee"), "Lee"));
    CHECK(nothing_understood(read("the Henderson renewal"), "the Henderson renewal"));
    CHECK(nothing_understood(interpret_query("Marcus budget", today, {}), "Marcus budget"));
}

TEST_CASE("natural language: the same name twice is one person; two people with one name are both") {
    const std::vector<KnownName> twins{{"Alex Kim", "client", "c1"}, {"Alex Kim", "client", "c2"}, {"Alex Kim", "client", "c1"}, {"Robin", "team", "t1"}};
    auto i = interpret_query("Alex Kim pricing", today, twins);
    CHECK(i.client_ids == Strings{"c1", "c2"});
    CHECK(i.text == "pricing");
    i = interpret_query("Alex pricing", today, twins);  // two people are called Alex
    CHECK(i.client_ids.empty());
    CHECK(nothing_understood(interpret_query("Robin pricing", today, twins), "Robin pricing"));  // neither client nor coach
}

TEST_CASE("natural language: summary sections, kinds and session types") {
    struct Case {
        const char* q;
        Strings fields, kinds;
        std::optional<std::string> session_type;
        const char* text;
    };
    const Case cases[] = {
            {"struggling with delegation", {"challenges"}, {}, {}, "delegation"},
            {"struggles with delegation", {"challenges"}, {}, {}, "delegation"},
            {"challenges with delegation", {"challenges"}, {}, {}, "delegation"},
            {"difficulties around pricing", {"challenges"}, {}, {}, "around pricing"},
            {"wins and challenges", {"wins", "challenges"}, {}, {}, ""},
            {"successes at work", {"wins"}, {}, {}, "work"},
            {"breakthrough moments", {"wins"}, {}, {}, "moments"},
            {"open action items about hiring", {}, {"action_item"}, {}, "open hiring"},
            {"actions for the board", {}, {"action_item"}, {}, "board"},
            {"notes about pricing", {}, {"note"}, {}, "pricing"},
            {"transcripts and summaries", {}, {"transcript", "summary"}, {}, ""},
            {"pricing in call reviews", {}, {}, "call_review", "pricing"},
            {"feedback from the call review", {}, {}, "call_review", "feedback"},
            {"energy in group workshops", {}, {}, "group_workshop", "energy"},
            {"workshop feedback", {}, {}, "group_workshop", "feedback"},
            {"goals in one-to-ones", {}, {}, "individual", "goals"},
            {"goals in 1:1s", {}, {}, "individual", "goals"},
            {"goals in individual sessions", {}, {}, "individual", "goals"},
            {"workshops and call reviews", {}, {}, "group_workshop", "call reviews"},  // one session type per query
            {"notes and notes", {}, {"note"}, {}, ""},
    };
    for (const auto& c : cases) {
        const auto i = read(c.q);
        CHECK_MESSAGE(i.fields == c.fields, c.q);
        CHECK_MESSAGE(i.kinds == c.kinds, c.q);
        CHECK_MESSAGE(i.session_type == c.session_type, c.q);
        CHECK_MESSAGE(i.text == c.text, c.q);
    }
}

TEST_CASE("natural language: filler goes where it led to or glued what was read; content words stay") {
    CHECK(read("show me Marcus's notes").text == "");
    CHECK(read("find wins about delegation").text == "delegation");
    CHECK(read("sessions where we talked about pricing last month").text == "pricing");
    CHECK(read("time management with the team last month").text == "time management with the team");
    CHECK(read("the board meeting in call reviews").text == "board meeting");  // a leading "the" goes once something was read
    CHECK(read("notes of the budget review").text == "budget review");
    CHECK(read("pricing — last month").text == "pricing");  // a dash left standing goes
    CHECK(read("what Marcus said about hiring").text == "what said about hiring");  // "about" touches nothing read
}

TEST_CASE("natural language: quoted phrases, exclusions and prefixes are the query language's, never read") {
    auto i = read("\"last month\" notes");
    CHECK(i.text == "\"last month\"");
    CHECK(i.kinds == Strings{"note"});
    CHECK_FALSE(i.from);

    i = read("notes -\"call reviews\" -Marcus manag* since October");
    CHECK(i.text == "-\"call reviews\" -Marcus manag*");
    CHECK(i.kinds == Strings{"note"});
    CHECK(i.client_ids.empty());
    CHECK_FALSE(i.session_type);
    CHECK(i.from == "2026-10-01");

    CHECK(nothing_understood(read("\"Marcus's action items due this week\""), "\"Marcus's action items due this week\""));
    CHECK(nothing_understood(read("-notes budget"), "-notes budget"));
    CHECK(nothing_understood(read("notes* budget"), "notes* budget"));
    i = read("\"unclosed notes last month");  // the parser refuses it; nothing inside is read
    CHECK(nothing_understood(i, "\"unclosed notes last month"));
}

TEST_CASE("natural language: text that the parser refuses anyway is returned unread") {
    CHECK(nothing_understood(read("notes \xff last month"), "notes \xff last month"));
    const std::string long_query = "notes " + std::string(1000, 'x');
    CHECK(nothing_understood(read(long_query), long_query));
}
