// Conversational predicates over a sentence's words; each looks only at the few words that give the act away.
#include "commands/analysis/speech_acts.hpp"

#include <algorithm>
#include <initializer_list>

namespace debrief::analysis::detail {
namespace {

bool one_of(std::string_view word, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

// The first word after openers that carry no content ("so", "um", "and", "yeah" ...).
std::size_t first_content(const std::vector<Word>& words) {
    std::size_t i = 0;
    while (i < words.size() && one_of(words[i].lower, {"so", "um", "uh", "er", "erm", "and", "but", "yeah", "yes", "well", "oh", "okay", "ok",
                                                        "like", "right", "honestly", "actually", "basically", "anyway", "also", "then",
                                                        "look", "listen", "now", "no", "sure", "and", "again"}))
        ++i;
    return i;
}

std::string_view word_at(const std::vector<Word>& words, std::size_t i) { return i < words.size() ? std::string_view(words[i].lower) : std::string_view(); }

}  // namespace

bool opens_in_second_person(const std::vector<Word>& words) {
    return one_of(word_at(words, first_content(words)), {"you", "you're", "your", "you've", "yours"});
}

bool speaks_to_someone(const std::vector<Word>& words) {
    auto i = first_content(words);
    if (i >= words.size()) return true;
    auto w = word_at(words, i), next = word_at(words, i + 1);
    return opens_in_second_person(words) || (one_of(w, {"that", "it"}) && one_of(next, {"sounds", "must"})) || (w == "sounds" && next == "like");
}

bool reported_speech(std::string_view text, const std::vector<Word>& words) {
    if (words.size() < 3 || !one_of(words[0].lower, {"i", "he", "she", "they", "we", "you"})) return false;
    if (!one_of(words[1].lower, {"said", "say", "says", "told", "tell", "asked", "goes", "went"})) return false;
    auto end = words[1].end;
    if (one_of(words[1].lower, {"told", "tell", "asked"})) end = words[2].end;  // "I told him, ..."
    auto rest = commands::trim(text.substr(std::min(end, text.size())));
    return !rest.empty() && (rest[0] == ',' || rest[0] == ':' || rest[0] == '"');
}

bool reports_or_recaps(const std::vector<Word>& words) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        auto w = word_at(words, i), next = word_at(words, i + 1);
        if (one_of(w, {"mentioned", "said", "told", "talked", "spoke", "raised", "described", "recap", "summarise", "summarize", "summary"}))
            return true;
        if ((w == "sum" || w == "brought") && next == "up") return true;
    }
    return false;
}

bool moves_on(const std::vector<Word>& words) {
    std::size_t i = 0;
    while (i < words.size() && one_of(words[i].lower, {"okay", "ok", "right", "so", "alright", "now", "and", "great", "good"})) ++i;
    auto w = word_at(words, i), next = word_at(words, i + 1);
    return w == "let's" || (w == "let" && next == "us") || (w == "moving" && next == "on") || (w == "before" && next == "we");
}

bool opens_conditionally(const std::vector<Word>& words) {
    return one_of(word_at(words, 0), {"if", "when", "once", "whenever", "imagine", "suppose", "unless"});
}

bool is_how_question(const std::vector<Word>& words) {
    for (std::size_t i = 0; i + 2 < words.size() && i < 4; ++i) {
        auto w = word_at(words, i), next = word_at(words, i + 1);
        if (word_at(words, i + 2) != "i") continue;
        if ((w == "how" && one_of(next, {"do", "can", "should"})) || (w == "what" && one_of(next, {"do", "should"}))) return true;
    }
    return false;
}

bool points_back(const std::vector<Word>& words, std::size_t task) {
    return one_of(word_at(words, task), {"try", "do", "give"}) && one_of(word_at(words, task + 1), {"that", "it", "this"});
}

}  // namespace debrief::analysis::detail
