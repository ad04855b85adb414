// Advice cues for coach sentences: explicit suggestion phrases, and imperatives that are not prompts to talk.
#include "commands/analysis/advice.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "commands/analysis/lexicon.hpp"

namespace debrief::analysis::detail {
namespace {

bool one_of(std::string_view word, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

const Lexicon& advice_cues() {
    static const Lexicon lexicon{
        {"i'd suggest", 2}, {"i would suggest", 2}, {"i suggest", 2}, {"i'd recommend", 2}, {"i would recommend", 2},
        {"i recommend", 2}, {"my suggestion", 2}, {"my advice", 2}, {"what if you", 2}, {"how about you", 2},
        {"how about trying", 2}, {"why don't you", 2}, {"why not try", 2}, {"you could try", 2}, {"you might try", 2},
        {"you might want to", 2}, {"you may want to", 2}, {"it might help to", 2}, {"it may help to", 2},
        {"it could help to", 2}, {"it would help to", 2}, {"it might be worth", 2}, {"it's worth", 1.5}, {"it helps to", 2},
        {"make sure you", 2}, {"make sure to", 2}, {"remember to", 2}, {"don't forget to", 2}, {"let's focus on", 2},
        {"let's work on", 2}, {"let's try", 2}, {"let's practise", 2}, {"let's practice", 2}, {"let us try", 2}, {"let us focus on", 2},
        {"let us work on", 2}, {"let us practise", 2}, {"i'd like you to", 2},
        {"i want you to", 2}, {"you should", 2}, {"the key is", 2}, {"the trick is", 2}, {"keep doing", 2}, {"keep using", 2},
        {"a good habit", 1.5}, {"one thing that helps", 2}, {"one thing that works", 2}, {"have you tried", 2},
        {"have a go at", 2}, {"i'd encourage you", 2}, {"i encourage you", 2}, {"try to", 2}, {"try", 1.5}, {"consider", 1.5},
        {"next time", 1.5}, {"you could", 1.5}, {"instead of", 1}, {"rather than", 1}, {"focus on", 1.5}, {"practise", 1},
        {"practice", 1}, {"have you thought about", 2}, {"have you considered", 2}, {"could you try", 2}, {"can you try", 2},
        {"would it help to", 2}, {"what you could do", 2}, {"one thing you could do", 2}, {"from now on", 1},
    };
    return lexicon;
}

// Verbs that open an instruction: "Write your notes during the call", "Don't apologise twice".
bool is_instruction_verb(std::string_view w) {
    return one_of(w, {"use", "write", "put", "ask", "say", "keep", "take", "make", "start", "stop", "pause", "check", "log", "note",
                      "block", "turn", "mute", "read", "aim", "breathe", "slow", "acknowledge", "label", "name", "summarise",
                      "summarize", "repeat", "smile", "prepare", "plan", "schedule", "book", "set", "batch", "practise", "practice",
                      "focus", "remember", "avoid", "switch", "offer", "jot", "type", "give", "delegate", "block", "protect",
                      "trust", "lead", "open", "close", "own", "build", "record", "track", "listen", "leave", "let", "hand",
                      "share", "speak", "agree", "be", "think", "treat", "drop", "push", "reframe", "swap"});
}

}  // namespace

double advice_strength(std::string_view sentence, const std::vector<Word>& words, bool question) {
    if (words.empty()) return 0;
    // Skip openers and a name or two: "So, Marcus, write ..." is still an instruction.
    std::size_t first = 0;
    while (first < words.size() && one_of(words[first].lower, {"so", "and", "okay", "ok", "right", "now", "then", "also", "maybe", "well",
                                                                "um", "uh", "just", "but", "yeah", "alright", "honestly", "please"}))
        ++first;
    if (first >= words.size()) return 0;
    for (const auto& w : words)
        if (w.lower == "i'll") return 0;  // the coach's own plan
    if (words.size() > 1 && words[0].lower == "let" && words[1].lower == "me") return 0;
    // Pleasantries are not advice: "take care of yourself", "have a good weekend", "enjoy your break".
    static const Lexicon pleasantries{{"take care", 1}, {"have a good", 1}, {"have a great", 1}, {"have a nice", 1}, {"enjoy your", 1},
                                      {"look after yourself", 1}, {"see you", 1}, {"speak soon", 1}, {"talk soon", 1}, {"be kind to yourself", 1}};
    if (pleasantries.contains(words)) return 0;

    double strength = 0;
    for (auto m : advice_cues().find_all(words)) {
        // "You should be proud of that" is praise.
        if (m.position + m.length + 1 < words.size() && words[m.position + m.length].lower == "be" &&
            one_of(words[m.position + m.length + 1].lower, {"proud", "pleased", "happy", "glad", "chuffed", "fine", "ok", "okay", "good",
                                                            "really", "so", "very", "thrilled", "delighted"}))
            continue;
        // "try" inside a report ("you tried", "he tried") or after "I" is not advice; "try" as advice opens a clause.
        if (words[m.position].lower == "try" && m.length == 1 && m.position > first) {
            auto before = words[m.position - 1].lower;
            if (!one_of(before, {"and", "to", "could", "might", "should", "just", "then", "so", "maybe", "perhaps", "also", "please"})) continue;
        }
        strength = std::max(strength, m.weight);
    }
    auto w = words[first].lower;
    auto next = first + 1 < words.size() ? words[first + 1].lower : std::string();
    bool prompt = one_of(next, {"me", "us"}) || (w == "let" && next == "me") || (w == "think" && next == "about" && question);
    if (!prompt && is_instruction_verb(w)) strength = std::max(strength, 1.5);
    if (w == "don't" && first + 1 < words.size() && is_instruction_verb(next)) strength = std::max(strength, 1.5);
    if (one_of(w, {"if", "when", "whenever", "once"})) {
        // The instruction comes after the condition's comma.
        for (std::size_t i = first + 1; i + 1 < words.size(); ++i) {
            auto after = words[i].end;
            if (after < sentence.size() && sentence[after] == ',') {
                auto verb = words[i + 1].lower;
                bool to_me = i + 2 < words.size() && one_of(words[i + 2].lower, {"me", "us"});
                if (is_instruction_verb(verb) && !to_me) strength = std::max(strength, 1.5);
                break;
            }
        }
    }
    if (question) {
        bool advice_question = false;
        for (std::initializer_list<std::string_view> opener : {std::initializer_list<std::string_view>{"what", "if", "you"}, {"how", "about"},
                                                               {"why", "don't", "you"}, {"why", "not"}, {"have", "you", "tried"},
                                                               {"could", "you", "try"}, {"can", "you", "try"}, {"would", "it", "help"},
                                                               {"have", "you", "thought", "about"}, {"have", "you", "considered"}}) {
            for (std::size_t i = 0; i + opener.size() <= words.size() && !advice_question; ++i) {
                // "What could you try there?" asks the client to think; it is not the coach's suggestion.
                if (i > 0 && one_of(words[i - 1].lower, {"what", "how", "where", "which", "who", "else"})) continue;
                std::size_t k = 0;
                for (auto o : opener)
                    if (words[i + k].lower != o) break;
                    else ++k;
                advice_question = k == opener.size();
            }
        }
        if (!advice_question) return 0;
        strength = std::max(strength, 2.0);
    }
    return strength;
}

}  // namespace debrief::analysis::detail
