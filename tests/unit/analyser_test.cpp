// Summary analyser and due dates: realistic fixture transcripts end to end, every due-date phrase, and the edge cases.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/analysis/analyser.hpp"
#include "commands/analysis/due_dates.hpp"
#include "commands/transcript/transcript.hpp"

using namespace debrief;
using namespace debrief::analysis;

namespace {

std::string read_fixture(std::string_view name) {
    // The source tree from CMake, not __FILE__: ccache with base_dir makes __FILE__ relative to the build dir.
    auto path = std::filesystem::path(DEBRIEF_SOURCE_DIR) / "tests/fixtures/transcripts" / name;
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read fixture " << path.string());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

AnalysisInput input_from(std::string_view transcript_text, std::string session_date, std::string session_type,
                         std::vector<std::string> coaches, std::vector<std::string> clients) {
    auto parsed = transcript::parse(transcript::Format::plain, transcript_text);
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().code + ": " + parsed.error().message));
    AnalysisInput input;
    input.session_date = std::move(session_date);
    input.session_type = std::move(session_type);
    input.coach_speakers = std::move(coaches);
    input.client_speakers = std::move(clients);
    for (const auto& s : parsed->segments) input.utterances.push_back({s.speaker, s.start_seconds, s.end_seconds, s.text});
    for (const auto& p : parsed->participants) input.participants.push_back({p.name, p.speaking_seconds, p.word_count, p.turn_count});
    return input;
}

const SummaryDraft& summary_of(const std::vector<SummaryDraft>& summaries, std::string_view speaker) {
    auto it = std::find_if(summaries.begin(), summaries.end(), [&](const SummaryDraft& s) { return s.speaker == speaker; });
    REQUIRE_MESSAGE(it != summaries.end(), "no summary for " << speaker);
    return *it;
}

bool contains(const std::vector<std::string>& items, std::string_view text) {
    return std::find(items.begin(), items.end(), text) != items.end();
}

bool any_contains(const std::vector<std::string>& items, std::string_view fragment) {
    return std::any_of(items.begin(), items.end(), [&](const std::string& item) { return item.find(fragment) != std::string::npos; });
}

const ActionItemDraft* action(const SummaryDraft& summary, std::string_view title) {
    for (const auto& a : summary.action_items)
        if (a.title == title) return &a;
    return nullptr;
}

// Prints a list on failure, so a changed phrase is easy to see.
std::string listed(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += "\n  - " + item;
    return out;
}

std::string listed(const std::vector<ActionItemDraft>& items) {
    std::string out;
    for (const auto& a : items) out += "\n  - [" + a.owner + "] " + a.title + " (" + a.due_date.value_or("no date") + ")";
    return out;
}

void check_action(const SummaryDraft& summary, std::string_view title, std::string_view owner, std::optional<std::string> due) {
    auto* found = action(summary, title);
    REQUIRE_MESSAGE(found != nullptr, "no action item '" << title << "' in" << listed(summary.action_items));
    CHECK(found->owner == owner);
    CHECK(found->due_date == due);
}

void check_clean(const SummaryDraft& summary) {
    std::vector<std::string> everything = summary.wins;
    everything.insert(everything.end(), summary.challenges.begin(), summary.challenges.end());
    everything.insert(everything.end(), summary.coach_recommendations.begin(), summary.coach_recommendations.end());
    for (const auto& a : summary.action_items) everything.push_back(a.title);
    for (const auto& item : everything) {
        CAPTURE(item);
        CHECK_FALSE(item.empty());
        CHECK(std::isupper(static_cast<unsigned char>(item[0])));
        CHECK(item.find(" um") == std::string::npos);
        CHECK(item.find("Um") == std::string::npos);
        CHECK(item.find("you know") == std::string::npos);
        CHECK(item.find(", like,") == std::string::npos);
        CHECK_FALSE(item.ends_with("."));
    }
    CHECK(summary.wins.size() <= max_items_per_list);
    CHECK(summary.challenges.size() <= max_items_per_list);
    CHECK(summary.coach_recommendations.size() <= max_items_per_list);
    CHECK(std::count_if(summary.action_items.begin(), summary.action_items.end(), [](auto& a) { return a.owner == "client"; }) <=
          static_cast<long>(max_items_per_list));
    CHECK(summary.priority_score >= 0.0);
    CHECK(summary.priority_score <= 1.0);
}

std::string due(std::string_view text, std::string_view session_date) { return resolve_due_date(text, session_date).value_or("none"); }

}  // namespace

TEST_CASE("analyser: call review - KPI wins and drops, an agreed request due Friday, the coach's promises, advice") {
    auto input = input_from(read_fixture("call_review_marcus.txt"), "2026-03-04", "call_review", {"Dana Whitfield"}, {"Marcus"});
    auto summaries = analyse(input);
    REQUIRE(summaries.size() == 1);
    const auto& marcus = summaries[0];
    CHECK(marcus.speaker == "Marcus");
    check_clean(marcus);

    INFO("wins:" << listed(marcus.wins));
    CHECK(contains(marcus.wins, "CSAT went up from 4.1 to 4.5 this month"));  // the coach's "Your CSAT went up ..."
    CHECK(contains(marcus.wins, "Last Tuesday I closed two escalations without handing them over to you"));
    CHECK(any_contains(marcus.wins, "he actually thanked me at the end"));
    CHECK(any_contains(marcus.wins, "first time I've felt like I actually know what I'm doing"));

    INFO("challenges:" << listed(marcus.challenges));
    CHECK(contains(marcus.challenges, "Keeps running out of time on the wrap-up"));
    CHECK(contains(marcus.challenges, "Keeps forgetting the data protection question when the caller is in a hurry"));
    CHECK(any_contains(marcus.challenges, "Customers get really angry when I put them on hold"));
    CHECK(any_contains(marcus.challenges, "QA score dropped to 78 from 84"));  // a KPI drop in the coach's words
    CHECK_FALSE(any_contains(marcus.challenges, "escalations"));             // closing escalations is a win

    INFO("action items:" << listed(marcus.action_items));
    check_action(marcus, "Turn off the chat window during calls", "client", "2026-03-06");  // "by Friday" + "Yes, I will."
    check_action(marcus, "Put a sticky note on my screen with the DPA line", "client", "2026-03-04");
    check_action(marcus, "Try mute on the long calls", "client", "2026-03-05");  // "from tomorrow"
    check_action(marcus, "Ask Sophie to cover the chat queue in the afternoons", "client", std::nullopt);
    check_action(marcus, "Book Marcus a slot with Priya from QA", "coach", "2026-03-13");  // "next week": Friday of next week
    check_action(marcus, "Check with Gareth what the targets will be and let Marcus know", "coach", "2026-03-09");

    INFO("recommendations:" << listed(marcus.coach_recommendations));
    CHECK(contains(marcus.coach_recommendations, "Use mute instead of hold when you just need a few seconds to look something up"));
    CHECK(contains(marcus.coach_recommendations, "For the notes: write them during the call, in short bullets, instead of after"));
    CHECK(contains(marcus.coach_recommendations, "Focus on the compliance opening for the next two weeks"));
    CHECK_FALSE(any_contains(marcus.coach_recommendations, "proud"));  // praise is not advice

    CHECK(marcus.engagement == EngagementLevel::high);
    CHECK(marcus.breakthrough);  // "It's the first time I've felt like ..."
}

TEST_CASE("analyser: one-to-one - breakthrough, delegation commitments, a deadline said after the request") {
    auto input = input_from(read_fixture("one_to_one_sam.txt"), "2026-11-24", "individual", {"Helen"}, {"Sam"});
    auto summaries = analyse(input);
    REQUIRE(summaries.size() == 1);
    const auto& sam = summaries[0];
    check_clean(sam);

    INFO("wins:" << listed(sam.wins));
    CHECK(contains(sam.wins, "Finished the quarterly review on time"));
    CHECK(contains(sam.wins, "The team's attendance went up, we had the best month since June"));
    CHECK(contains(sam.wins, "It finally clicked that I don't have to do all of it myself"));
    CHECK(any_contains(sam.wins, "Realised I've been holding on to everything"));

    INFO("challenges:" << listed(sam.challenges));
    CHECK(contains(sam.challenges, "Can't keep up with it the way it is now"));
    CHECK(contains(sam.challenges, "Always behind, like I'm drowning a bit"));
    CHECK(contains(sam.challenges, "Working most evenings and a couple of Saturdays"));
    CHECK(any_contains(sam.challenges, "quitting altogether"));

    INFO("action items:" << listed(sam.action_items));
    check_action(sam, "Talk to Priya about taking over the weekly rota", "client", "2026-11-26");  // Thursday after a Tuesday
    // "I could ask them to ..." then "Could you try that at your huddle next Monday?" "Yeah, I'll do that."
    check_action(sam, "Ask them to bring a suggestion with the problem, not just the problem", "client", "2026-11-30");
    // "... everything you did this week ...? Just a list, by 3 December.": the deadline, not "this week".
    check_action(sam, "Write down everything you did this week that someone else could have done", "client", "2026-12-03");
    check_action(sam, "Block two hours every Friday morning for planning, no meetings", "client", std::nullopt);
    check_action(sam, "Send Sam the delegation matrix I mentioned", "coach", "2026-11-24");  // "tonight"
    CHECK_FALSE(any_contains([&] {
        std::vector<std::string> titles;
        for (const auto& a : sam.action_items) titles.push_back(a.title);
        return titles;
    }(), "Take care"));  // a goodbye is not an action item, even after "I will."

    INFO("recommendations:" << listed(sam.coach_recommendations));
    CHECK(contains(sam.coach_recommendations, "Block out time for the planning work first, before the inbox gets you"));
    CHECK(contains(sam.coach_recommendations, "Ask Marcus whether he'd like to take the weekly vendor call"));

    CHECK(sam.engagement == EngagementLevel::high);
    CHECK(sam.breakthrough);
    CHECK(sam.priority_score >= 0.5);  // quitting, exhaustion and evenings outweigh the wins
}

TEST_CASE("analyser: group workshop - attribution by name and by reply, advice to the room, engagement and priority spread") {
    auto input = input_from(read_fixture("group_workshop_deescalation.txt"), "2026-12-29", "group_workshop", {"Rachel"},
                            {"Priya", "Tom", "Aisha", "Ben", "Jordan"});
    auto summaries = analyse(input);
    REQUIRE(summaries.size() == 5);
    CHECK(summaries[0].speaker == "Priya");
    CHECK(summaries[4].speaker == "Jordan");
    for (const auto& s : summaries) check_clean(s);
    const auto& priya = summary_of(summaries, "Priya");
    const auto& tom = summary_of(summaries, "Tom");
    const auto& aisha = summary_of(summaries, "Aisha");
    const auto& ben = summary_of(summaries, "Ben");
    const auto& jordan = summary_of(summaries, "Jordan");

    SUBCASE("the thriving participant") {
        INFO("wins:" << listed(priya.wins) << "\nchallenges:" << listed(priya.challenges));
        CHECK(contains(priya.wins, "QA score went up to 92 this week"));
        CHECK(contains(priya.wins, "He calmed down in thirty seconds"));
        CHECK(any_contains(priya.wins, "It finally clicked that they're not angry at me"));
        CHECK(priya.breakthrough);
        CHECK(contains(priya.challenges, "Always ends up chatting too long once they've calmed down"));
        CHECK_FALSE(any_contains(priya.challenges, "late delivery"));  // the caller's anger in her story is not her challenge
        INFO("action items:" << listed(priya.action_items));
        check_action(priya, "Practise a closing line with Aisha", "client", "2026-12-31");
        // Homework to everyone, and Priya answered "Will do.": hers, due this week's Friday in the new year.
        check_action(priya, "Use pause and label on at least two calls", "client", "2027-01-01");
        CHECK(priya.engagement == EngagementLevel::high);
    }
    SUBCASE("the struggling participant") {
        INFO("challenges:" << listed(tom.challenges));
        CHECK(contains(tom.challenges, "They start shouting and I just freeze"));
        CHECK(contains(tom.challenges, "Sometimes I think about quitting"));
        CHECK(contains(tom.challenges, "Feeling overwhelmed"));
        CHECK(contains(tom.challenges, "Had three complaints last week and two of them were about my tone"));
        CHECK_FALSE(any_contains(tom.challenges, "fed up"));  // his role-play line to the "customer"
        CHECK_FALSE(tom.breakthrough);
        INFO("action items:" << listed(tom.action_items));
        check_action(tom, "Try the pause-and-label technique on your next three angry callers", "client", std::nullopt);
        check_action(tom, "Set up a one-to-one with Tom", "coach", "2027-01-08");
        check_action(tom, "Sort it with the floor manager", "coach", std::nullopt);
        INFO("recommendations:" << listed(tom.coach_recommendations));
        // Said right after Tom spoke, without his name: still his.
        CHECK(contains(tom.coach_recommendations, "Take a short break after a difficult call, even two minutes, before you take the next one"));
        CHECK_FALSE(any_contains(priya.coach_recommendations, "short break"));
        CHECK_FALSE(any_contains(aisha.coach_recommendations, "short break"));
    }
    SUBCASE("the quieter participants") {
        INFO("Aisha's action items:" << listed(aisha.action_items));
        check_action(aisha, "Share your knowledge base shortcuts list with the group", "client", "2027-01-01");
        check_action(aisha, "Send Rachel a couple of examples with the times", "client", "2026-12-29");  // "after this"
        check_action(aisha, "Raise it with the systems team", "coach", std::nullopt);
        CHECK(any_contains(aisha.wins, "Cut my hold time down a lot"));
        CHECK(any_contains(aisha.challenges, "The system is so slow in the afternoons"));
        CHECK(aisha.engagement == EngagementLevel::medium);
        CHECK(ben.engagement == EngagementLevel::low);
        CHECK(ben.wins.empty());
        CHECK(ben.challenges.empty());
        CHECK(ben.action_items.empty());
    }
    SUBCASE("advice to the room reaches everyone who was in it; the absent client gets nothing") {
        const std::string advice = "When a caller is shouting, lower your voice and slow down, don't match their pace";
        for (const auto* s : {&priya, &tom, &aisha, &ben}) {
            INFO(s->speaker << ":" << listed(s->coach_recommendations));
            CHECK(contains(s->coach_recommendations, advice));
        }
        CHECK(jordan.engagement == EngagementLevel::silent);
        CHECK(jordan.wins.empty());
        CHECK(jordan.challenges.empty());
        CHECK(jordan.coach_recommendations.empty());
        CHECK(jordan.action_items.empty());
        CHECK_FALSE(jordan.breakthrough);
    }
    SUBCASE("priority: struggling above steady above thriving; silence is urgent") {
        CHECK(tom.priority_score > aisha.priority_score);
        CHECK(aisha.priority_score > priya.priority_score);
        CHECK(tom.priority_score >= 0.8);
        CHECK(priya.priority_score <= 0.2);
        CHECK(jordan.priority_score > priya.priority_score);
        CHECK(jordan.priority_score > ben.priority_score);
        CHECK(tom.priority_score > jordan.priority_score);
    }
}

TEST_CASE("analyser: a coach request the client agrees to becomes the client's action item with its due date") {
    auto input = input_from("Coach: Can you block chat during calls by Friday?\nMaria: Yes, I will.\n", "2026-03-04", "individual",
                            {"Coach"}, {"Maria"});
    auto summaries = analyse(input);
    REQUIRE(summaries.size() == 1);
    REQUIRE(summaries[0].action_items.size() == 1);
    CHECK(summaries[0].action_items[0].title == "Block chat during calls");
    CHECK(summaries[0].action_items[0].owner == "client");
    CHECK(summaries[0].action_items[0].due_date == "2026-03-06");
    CHECK(summaries[0].coach_recommendations.empty());  // taken on, so not repeated as advice
}

TEST_CASE("analyser: a declined or unanswered request is not an action item") {
    auto declined = analyse(input_from("Coach: Can you call the supplier by Friday?\nMaria: No, I can't this week, I'm off.\n",
                                       "2026-03-04", "individual", {"Coach"}, {"Maria"}));
    CHECK(declined[0].action_items.empty());
    auto unanswered = analyse(input_from("Coach: Can you call the supplier by Friday?\nCoach: Anyway, let's move on.\n",
                                         "2026-03-04", "individual", {"Coach"}, {"Maria"}));
    CHECK(unanswered[0].action_items.empty());
    // "Tell me about that call" gets a "yes" too, but it is a prompt to talk, not a task.
    auto prompt = analyse(input_from("Coach: Can you walk me through that call?\nMaria: Yes, so the customer rang twice.\n",
                                     "2026-03-04", "individual", {"Coach"}, {"Maria"}));
    CHECK(prompt[0].action_items.empty());
}

TEST_CASE("analyser: the client's own commitments, first person rewritten and fillers dropped") {
    auto input = input_from("Coach: How was the week?\n"
                            "Maria: So, um, I closed two escalations without, you know, any help. "
                            "But I keep running out of time on the wrap-up.\n"
                            "Coach: What will you do about it?\n"
                            "Maria: I will call the supplier by Friday. And I'm going to, um, batch my notes from next week.\n",
                            "2026-03-04", "individual", {"Coach"}, {"Maria"});
    auto summaries = analyse(input);
    const auto& maria = summaries[0];
    INFO("wins:" << listed(maria.wins) << "\nchallenges:" << listed(maria.challenges) << "\nactions:" << listed(maria.action_items));
    CHECK(maria.wins == std::vector<std::string>{"Closed two escalations without any help"});
    CHECK(maria.challenges == std::vector<std::string>{"Keeps running out of time on the wrap-up"});
    check_action(maria, "Call the supplier", "client", "2026-03-06");
    check_action(maria, "Batch my notes", "client", "2026-03-13");
    CHECK(maria.action_items.size() == 2);
}

TEST_CASE("analyser: negation, hopes and KPI direction decide between win and challenge") {
    auto input = input_from("Coach: Tell me about the month.\n"
                            "Maria: My handle time went down to six minutes. I don't panic anymore when they shout. "
                            "I want to get my CSAT up. My QA score didn't go up this month.\n",
                            "2026-03-04", "call_review", {"Coach"}, {"Maria"});
    auto summaries = analyse(input);
    const auto& maria = summaries[0];
    INFO("wins:" << listed(maria.wins) << "\nchallenges:" << listed(maria.challenges));
    CHECK(contains(maria.wins, "Handle time went down to six minutes"));           // lower is better for handle time
    CHECK(contains(maria.wins, "Doesn't panic anymore when they shout"));          // a negated difficulty with "anymore"
    CHECK(contains(maria.challenges, "QA score didn't go up this month"));         // a negated rise
    CHECK_FALSE(any_contains(maria.wins, "CSAT"));                                 // a hope is not a win
    CHECK_FALSE(any_contains(maria.challenges, "CSAT"));
}

TEST_CASE("analyser: a client who never speaks is silent, with empty lists and a high priority") {
    auto input = input_from("Coach: Morning all. Maria, how did it go?\nMaria: I finally finished the refund backlog.\n", "2026-03-04",
                            "group_workshop", {"Coach"}, {"Maria", "Joe"});
    auto summaries = analyse(input);
    REQUIRE(summaries.size() == 2);
    const auto& joe = summary_of(summaries, "Joe");
    CHECK(joe.engagement == EngagementLevel::silent);
    CHECK(joe.wins.empty());
    CHECK(joe.challenges.empty());
    CHECK(joe.action_items.empty());
    CHECK(joe.coach_recommendations.empty());
    CHECK_FALSE(joe.breakthrough);
    CHECK(joe.priority_score == doctest::Approx(0.6));
    CHECK(summary_of(summaries, "Maria").priority_score < joe.priority_score);
    CHECK(contains(summary_of(summaries, "Maria").wins, "Finally finished the refund backlog"));
}

TEST_CASE("analyser: empty input gives one silent summary per client, and none without clients") {
    AnalysisInput input;
    input.session_date = "2026-03-04";
    input.client_speakers = {"Maria", "Joe"};
    auto summaries = analyse(input);
    REQUIRE(summaries.size() == 2);
    CHECK(summaries[0].speaker == "Maria");
    CHECK(summaries[1].speaker == "Joe");
    for (const auto& s : summaries) {
        CHECK(s.engagement == EngagementLevel::silent);
        CHECK(s.wins.empty());
        CHECK(s.action_items.empty());
        CHECK(s.priority_score == doctest::Approx(0.6));
    }
    CHECK(analyse(AnalysisInput{}).empty());
}

TEST_CASE("analyser: a client speaker missing from the utterances and participants changes nothing for the others") {
    auto text = "Coach: How are things?\nMaria: I'm struggling with the new billing screens.\n";
    auto alone = analyse(input_from(text, "2026-03-04", "individual", {"Coach"}, {"Maria"}));
    auto with_ghost = analyse(input_from(text, "2026-03-04", "individual", {"Coach"}, {"Maria", "Nobody Here"}));
    REQUIRE(with_ghost.size() == 2);
    CHECK(with_ghost[0].challenges == alone[0].challenges);
    CHECK(with_ghost[0].challenges == std::vector<std::string>{"Struggling with the new billing screens"});
    CHECK(with_ghost[1].speaker == "Nobody Here");
    CHECK(with_ghost[1].engagement == EngagementLevel::silent);
}

TEST_CASE("analyser: speaker names match case-insensitively and statistics come from the utterances when missing") {
    AnalysisInput input;
    input.session_date = "2026-03-04";
    input.coach_speakers = {"coach"};
    input.client_speakers = {"MARIA"};
    input.utterances = {{"Coach", 0.0, 5.0, "How did the week go?"},
                        {"Maria", 5.0, 20.0, "I closed two escalations on my own and my CSAT went up."},
                        {"Coach", 20.0, 25.0, "Great."},
                        {"Maria", 25.0, 40.0, "I'm still struggling with the wrap-up though."},
                        {"Coach", 40.0, 45.0, "Okay."},
                        {"Maria", 45.0, 60.0, "But it's getting better."}};
    auto summaries = analyse(input);  // no participants list at all
    REQUIRE(summaries.size() == 1);
    CHECK(summaries[0].speaker == "MARIA");
    CHECK(summaries[0].engagement == EngagementLevel::high);
    CHECK_FALSE(summaries[0].wins.empty());
    CHECK_FALSE(summaries[0].challenges.empty());
}

TEST_CASE("analyser: engagement thresholds against an even share of the talk") {
    auto level_of = [](int client_words, int client_turns, int others_words, int speakers) {
        AnalysisInput input;
        input.client_speakers = {"Client"};
        input.participants.push_back({"Client", client_words / 2.5, client_words, client_turns});
        for (int i = 1; i < speakers; ++i)
            input.participants.push_back({"Other " + std::to_string(i), others_words / 2.5, others_words, 10});
        return analyse(input)[0].engagement;
    };
    CHECK(level_of(400, 10, 500, 2) == EngagementLevel::high);    // 44% of two speakers: ratio 0.89
    CHECK(level_of(400, 2, 500, 2) == EngagementLevel::medium);   // enough words but too few turns for high
    CHECK(level_of(200, 10, 500, 2) == EngagementLevel::medium);  // 29%: ratio 0.57
    CHECK(level_of(100, 10, 500, 2) == EngagementLevel::low);     // 17%: ratio 0.33
    CHECK(level_of(400, 1, 100, 2) == EngagementLevel::low);      // a single turn, however long
    CHECK(level_of(0, 0, 500, 2) == EngagementLevel::silent);
    CHECK(level_of(120, 6, 100, 5) == EngagementLevel::high);     // 23% of five speakers: ratio 1.15
    CHECK(to_string(EngagementLevel::high) == "high");
    CHECK(to_string(EngagementLevel::medium) == "medium");
    CHECK(to_string(EngagementLevel::low) == "low");
    CHECK(to_string(EngagementLevel::silent) == "silent");
}

TEST_CASE("analyser: the same input always gives the same drafts") {
    auto input = input_from(read_fixture("group_workshop_deescalation.txt"), "2026-12-29", "group_workshop", {"Rachel"},
                            {"Priya", "Tom", "Aisha", "Ben"});
    auto first = analyse(input);
    auto second = analyse(input);
    REQUIRE(first.size() == second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        CHECK(first[i].wins == second[i].wins);
        CHECK(first[i].challenges == second[i].challenges);
        CHECK(first[i].coach_recommendations == second[i].coach_recommendations);
        CHECK(first[i].priority_score == second[i].priority_score);
        REQUIRE(first[i].action_items.size() == second[i].action_items.size());
        for (std::size_t k = 0; k < first[i].action_items.size(); ++k) {
            CHECK(first[i].action_items[k].title == second[i].action_items[k].title);
            CHECK(first[i].action_items[k].due_date == second[i].action_items[k].due_date);
        }
    }
}

TEST_CASE("due date: a weekday is the next one strictly after the session date") {
    // 2026-03-04 is a Wednesday.
    CHECK(due("I will call the supplier by Friday", "2026-03-04") == "2026-03-06");
    CHECK(due("on Friday", "2026-03-04") == "2026-03-06");
    CHECK(due("this Friday", "2026-03-04") == "2026-03-06");
    CHECK(due("this coming Monday", "2026-03-04") == "2026-03-09");
    CHECK(due("by Wednesday", "2026-03-04") == "2026-03-11");  // the session's own weekday: a week later
    CHECK(due("Thursday", "2026-03-04") == "2026-03-05");
    CHECK(due("by Friday", "2026-03-06") == "2026-03-13");  // said on a Friday
    CHECK(due("by Monday", "2026-03-08") == "2026-03-09");  // said on a Sunday
    CHECK(due("next Friday", "2026-03-04") == "2026-03-13");  // Friday of next week
    CHECK(due("next Monday", "2026-03-08") == "2026-03-09");  // from a Sunday, next week starts tomorrow
    CHECK(due("BY FRIDAY", "2026-03-04") == "2026-03-06");
}

TEST_CASE("due date: today, tomorrow and spans of days, weeks and months") {
    CHECK(due("today", "2026-03-04") == "2026-03-04");
    CHECK(due("I'll do it tonight", "2026-03-04") == "2026-03-04");
    CHECK(due("by end of day", "2026-03-04") == "2026-03-04");
    CHECK(due("I'll send them after this call", "2026-03-04") == "2026-03-04");
    CHECK(due("by tomorrow", "2026-03-04") == "2026-03-05");
    CHECK(due("the day after tomorrow", "2026-03-04") == "2026-03-06");
    CHECK(due("in two weeks", "2026-03-04") == "2026-03-18");
    CHECK(due("in 3 days", "2026-03-04") == "2026-03-07");
    CHECK(due("in twelve days", "2026-03-04") == "2026-03-16");
    CHECK(due("in two weeks' time", "2026-03-04") == "2026-03-18");
    CHECK(due("a week from now", "2026-03-04") == "2026-03-11");
    CHECK(due("in a couple of days", "2026-03-04") == "2026-03-06");
    CHECK(due("in a fortnight", "2026-03-04") == "2026-03-18");
    CHECK(due("within a month", "2026-01-31") == "2026-02-28");  // clamped to the end of February
    CHECK(due("in 3 days", "2026-12-30") == "2027-01-02");
}

TEST_CASE("due date: end of the week, next week and the end of the month") {
    CHECK(due("by the end of the week", "2026-03-04") == "2026-03-06");  // Wednesday: this Friday
    CHECK(due("this week", "2026-03-02") == "2026-03-06");
    CHECK(due("by the end of the week", "2026-03-06") == "2026-03-06");  // Friday: the same day
    CHECK(due("by the end of the week", "2026-03-07") == "2026-03-07");  // Saturday: the session date
    CHECK(due("next week", "2026-03-04") == "2026-03-13");               // Friday of next week
    CHECK(due("sometime next week", "2026-03-08") == "2026-03-13");      // from a Sunday
    CHECK(due("by next week", "2026-03-04") == "2026-03-09");            // must be done when it starts
    CHECK(due("early next week", "2026-03-04") == "2026-03-09");
    CHECK(due("by the end of next week", "2026-03-04") == "2026-03-13");
    CHECK(due("the week after next", "2026-03-04") == "2026-03-20");
    CHECK(due("by the end of the month", "2026-03-04") == "2026-03-31");
    CHECK(due("this month", "2026-02-10") == "2026-02-28");
    CHECK(due("by the end of the month", "2028-02-10") == "2028-02-29");  // leap year
    CHECK(due("next month", "2026-03-04") == "2026-04-30");
    CHECK(due("by next month", "2026-03-04") == "2026-04-01");
}

TEST_CASE("due date: month and year rollover") {
    // 2026-12-29 is a Tuesday.
    CHECK(due("by Friday", "2026-12-29") == "2027-01-01");
    CHECK(due("by the end of the week", "2026-12-29") == "2027-01-01");
    CHECK(due("next week", "2026-12-29") == "2027-01-08");
    CHECK(due("by the end of the month", "2026-12-29") == "2026-12-31");
    CHECK(due("next month", "2026-12-29") == "2027-01-31");
    CHECK(due("on 3 January", "2026-12-29") == "2027-01-03");
    CHECK(due("in two weeks", "2026-12-29") == "2027-01-12");
    CHECK(due("by the 2nd", "2026-12-29") == "2027-01-02");
    CHECK(due("tomorrow", "2026-12-31") == "2027-01-01");
    CHECK(due("tomorrow", "2028-02-28") == "2028-02-29");
}

TEST_CASE("due date: calendar dates take the first such date on or after the session date") {
    CHECK(due("on 3 March", "2026-03-01") == "2026-03-03");
    CHECK(due("on 3 March", "2026-03-03") == "2026-03-03");  // on the session date itself
    CHECK(due("on 3 March", "2026-03-04") == "2027-03-03");  // already past this year
    CHECK(due("March 3", "2026-02-01") == "2026-03-03");
    CHECK(due("by March 3rd", "2026-02-01") == "2026-03-03");
    CHECK(due("the 3rd of March", "2026-02-01") == "2026-03-03");
    CHECK(due("by 21st Sept", "2026-02-01") == "2026-09-21");
    CHECK(due("on 3 March 2028", "2026-02-01") == "2028-03-03");  // an explicit year is kept
    CHECK(due("by the 15th", "2026-03-04") == "2026-03-15");
    CHECK(due("by the 31st", "2026-04-04") == "2026-05-31");  // April has no 31st
    CHECK(due("on 29 February", "2026-03-04") == "2028-02-29");
    CHECK(due("due 2026-12-01", "2026-03-04") == "2026-12-01");
    CHECK(due("by 2026-02-30", "2026-03-04") == "none");  // not a real date
    CHECK(due("on 31 April", "2026-03-04") == "none");
}

TEST_CASE("due date: numeric dates only after a deadline word and only when one reading is valid") {
    CHECK(due("by 15/03", "2026-03-04") == "2026-03-15");   // 15 can only be the day
    CHECK(due("on 03/15", "2026-03-04") == "2026-03-15");   // 15 can only be the day, month first
    CHECK(due("by 15/03/2027", "2026-03-04") == "2027-03-15");
    CHECK(due("before 15/03/27", "2026-03-04") == "2027-03-15");
    CHECK(due("by 03/04", "2026-03-04") == "none");         // 3 April or March 4? Ambiguous.
    CHECK(due("by 04/04", "2026-03-04") == "2026-04-04");   // the same either way
    CHECK(due("I scored 9/10 on QA", "2026-03-04") == "none");
    CHECK(due("I took 16/20 calls", "2026-03-04") == "none");
}

TEST_CASE("due date: the first phrase wins and its span includes the preposition") {
    auto match = find_due_date("I'll call them on Monday and email the team by Friday", "2026-03-04");
    REQUIRE(match.has_value());
    CHECK(match->date == "2026-03-09");
    CHECK(std::string_view("I'll call them on Monday and email the team by Friday").substr(match->begin, match->end - match->begin) ==
          "on Monday");
    CHECK_FALSE(match->deadline);
    auto deadline = find_due_date("send it by the end of the month", "2026-03-04");
    REQUIRE(deadline.has_value());
    CHECK(deadline->deadline);
    CHECK(std::string_view("send it by the end of the month").substr(deadline->begin) == "by the end of the month");
    auto later = find_due_date("Call her no later than Thursday at the latest.", "2026-03-04");
    REQUIRE(later.has_value());
    CHECK(std::string_view("Call her no later than Thursday at the latest.").substr(later->begin, later->end - later->begin) ==
          "no later than Thursday at the latest");
}

TEST_CASE("due date: past references, recurring days, no phrase and a bad session date give nothing") {
    CHECK(due("last Friday I was off", "2026-03-04") == "none");
    CHECK(due("I send my numbers every Friday", "2026-03-04") == "none");
    CHECK(due("I closed two escalations", "2026-03-04") == "none");
    CHECK(due("", "2026-03-04") == "none");
    CHECK(due("in 10 minutes", "2026-03-04") == "none");
    CHECK(due("by Friday", "") == "none");
    CHECK(due("by Friday", "04/03/2026") == "none");
    CHECK(due("by Friday", "2026-02-30") == "none");
    CHECK(due("due 2026-12-01", "not a date") == "2026-12-01");   // a full date needs no session date
    CHECK(due("on 3 March 2027", "") == "2027-03-03");
}
