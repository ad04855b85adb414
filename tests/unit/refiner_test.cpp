// The built-in refiner: each chat request a coach may type, what it changes, and the clear answer to the rest.
#include <doctest/doctest.h>

#include "commands/refinement/refiner.hpp"

using namespace debrief;
using namespace debrief::refinement;

namespace {
events::SummaryContent sample() {
    return {{"Closed two escalations without help, which she had never done before, and felt confident about it", "Finished the report"},
            {"Keeps answering chat while on calls", "Notes are late"},
            {{"Block chat during calls", "client-1", "2026-11-27"}, {"Send the note template", "coach-1", ""}},
            {"Write notes during the call, in short bullets"}};
}
const RefineContext context{"2026-11-20", ClientId{"client-1"}, UserId{"coach-1"}, false};  // a Friday

Refinement ok(std::string_view message, const events::SummaryContent& before = sample()) {
    auto result = refine(before, message, context);
    REQUIRE_MESSAGE(result.ok(), message << ": " << (result.ok() ? "" : result.error().code + " " + result.error().message));
    CHECK_FALSE(result->reply.empty());
    return result.value();
}
std::string code_of(std::string_view message) {
    auto result = refine(sample(), message, context);
    REQUIRE_FALSE(result.ok());
    return result.error().code;
}
}  // namespace

TEST_CASE("refiner: remove an item by number, ordinal or 'last'") {
    CHECK(ok("remove action item 2").after.action_items.size() == 1);
    CHECK(ok("Remove action item 2.").after.action_items[0].title == "Block chat during calls");
    CHECK(ok("delete the first win").after.wins == std::vector<std::string>{"Finished the report"});
    CHECK(ok("drop challenge #2").after.challenges == std::vector<std::string>{"Keeps answering chat while on calls"});
    CHECK(ok("remove the last challenge").after.challenges.size() == 1);
    CHECK(ok("remove recommendation 1").after.coach_recommendations.empty());
}

TEST_CASE("refiner: add an action item with its due date read from the text, for the client or the coach") {
    auto added = ok("add action item: call the supplier by Friday").after.action_items;
    REQUIRE(added.size() == 3);
    CHECK(added[2].title == "Call the supplier");
    CHECK(added[2].due_date == "2026-11-27");
    CHECK(added[2].owner_id == "client-1");
    auto coach_item = ok("Add action item: coach: Share the QA rubric next week").after.action_items.back();
    CHECK(coach_item.owner_id == "coach-1");
    CHECK(coach_item.title == "Share the QA rubric");
    CHECK_FALSE(coach_item.due_date.empty());
    auto undated = ok("add action item: Practise the greeting").after.action_items.back();
    CHECK(undated.due_date.empty());
    CHECK(undated.title == "Practise the greeting");
}

TEST_CASE("refiner: add wins, challenges and recommendations as typed") {
    CHECK(ok("add win: Hit a CSAT of 4.6 this week").after.wins.back() == "Hit a CSAT of 4.6 this week");
    CHECK(ok("add a challenge: night shifts are tiring").after.challenges.back() == "Night shifts are tiring");
    CHECK(ok("add recommendation: pair with Priya on Tuesdays").after.coach_recommendations.back() == "Pair with Priya on Tuesdays");
}

TEST_CASE("refiner: edit one item, rewrite a list") {
    auto edited = ok("edit action item 1: block chat during calls every morning by Monday").after.action_items[0];
    CHECK(edited.title == "Block chat during calls every morning");
    CHECK(edited.due_date == "2026-11-23");
    CHECK(edited.owner_id == "client-1");
    CHECK(ok("change win 2 to Finished the quarterly report early").after.wins[1] == "Finished the quarterly report early");
    auto rewritten = ok("rewrite challenges: Chat interrupts calls; Notes pile up at the end of the day").after.challenges;
    CHECK(rewritten == std::vector<std::string>{"Chat interrupts calls", "Notes pile up at the end of the day"});
}

TEST_CASE("refiner: shorten one list or every list") {
    auto wins = ok("shorten the wins").after.wins;
    REQUIRE(wins.size() == 2);
    CHECK(wins[0] == "Closed two escalations without help");
    auto everything = ok("shorten everything").after;
    CHECK(everything.wins[0].size() < sample().wins[0].size());
    CHECK(everything.challenges == sample().challenges);  // already short
}

TEST_CASE("refiner: reschedule and reassign action items") {
    CHECK(ok("move action item 1 to next Monday").after.action_items[0].due_date == "2026-11-23");
    CHECK(ok("reschedule action item 2 to 3 December").after.action_items[1].due_date == "2026-12-03");
    CHECK(ok("assign action item 1 to the coach").after.action_items[0].owner_id == "coach-1");
    CHECK(ok("assign action item 2 to the client").after.action_items[1].owner_id == "client-1");
}

TEST_CASE("refiner: more encouraging reframes challenges and opens with the progress made") {
    auto after = ok("Make it more encouraging, please").after;
    CHECK(after.challenges[0] == "Growth area: keeps answering chat while on calls");
    CHECK(after.coach_recommendations[0].starts_with("Keep building on your progress: closed two escalations"));
    // Asking twice changes nothing more.
    auto again = refine(after, "more encouraging", context);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "refinement_no_change");
}

TEST_CASE("refiner: what it cannot do gets the list of what it can") {
    auto unsupported = refine(sample(), "make it sound like Shakespeare", context);
    REQUIRE_FALSE(unsupported.ok());
    CHECK(unsupported.error().code == "refinement_unsupported");
    CHECK(unsupported.error().message.find("remove action item 2") != std::string::npos);
    CHECK(unsupported.error().message.find("more encouraging") != std::string::npos);
    CHECK(code_of("remove action item 7") == "refinement_out_of_range");
    CHECK(code_of("remove win 0") == "refinement_unsupported");
    CHECK(code_of("move action item 1 to whenever") == "refinement_unsupported");
    CHECK(code_of("") == "invalid_field");
    CHECK(code_of(std::string(2001, 'x')) == "invalid_field");
    CHECK(code_of("remove action item 2 3") == "refinement_unsupported");
}
