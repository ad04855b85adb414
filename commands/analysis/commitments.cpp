// Commitment, request and reply detection over words; the analyser decides whose action item each one becomes.
#include "commands/analysis/commitments.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "commands/analysis/lexicon.hpp"

namespace debrief::analysis::detail {
namespace {

bool one_of(std::string_view word, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

std::string_view at(const std::vector<Word>& words, std::size_t i) { return i < words.size() ? std::string_view(words[i].lower) : std::string_view(); }

bool is_filler_adverb(std::string_view w) {
    return one_of(w, {"definitely", "also", "just", "really", "actually", "then", "first", "probably", "certainly", "totally",
                      "absolutely", "now", "honestly", "properly", "finally", "defo", "100", "literally"});
}

// "try to", "make sure to", "start to": the task is what follows.
std::size_t skip_soft_verbs(const std::vector<Word>& words, std::size_t i) {
    while (i < words.size() && is_filler_adverb(at(words, i))) ++i;
    if (at(words, i) == "try" && at(words, i + 1) == "to") i += 2;
    if (at(words, i) == "try" && at(words, i + 1) == "and") i += 2;
    if (at(words, i) == "make" && at(words, i + 1) == "sure" && at(words, i + 2) == "to") i += 3;
    while (i < words.size() && is_filler_adverb(at(words, i))) ++i;
    return i;
}

// Talk about the conversation itself, not a task.
bool is_conversation_move(const std::vector<Word>& words, std::size_t task, bool coach) {
    auto w = at(words, task), next = at(words, task + 1);
    if (w.empty()) return true;
    if (w == "be" && next != "sure") return true;
    if (one_of(w, {"admit", "say", "guess", "bet", "tell", "think", "leave", "pass", "shut", "hush"})) return true;
    if (w == "see" && next != "if" && next != "whether") return true;
    if (w == "let" && (next == "you" || next == "that") && at(words, task + 2) != "know") return true;
    if (w == "give" && next == "you" && (at(words, task + 2) == "an" || at(words, task + 2) == "a")) return true;  // "an example"
    if (!coach) return false;
    if (one_of(w, {"start", "stop", "pause", "hand", "play", "pull", "read", "recap", "summarise", "summarize", "jump", "move",
                   "wrap", "go", "come", "ask", "show", "put", "explain", "rephrase", "check", "keep", "finish", "leave"}))
        return !(w == "check" && (next == "with" || next == "if" || next == "whether" || next == "in"));  // "check with QA"
    if (w == "share" && (next == "my" || next == "the") && at(words, task + 2) == "screen") return true;
    return false;
}

// Words before the commitment that make it hypothetical or reported.
bool hedged_before(const std::vector<Word>& words, std::size_t lead) {
    for (std::size_t i = 0; i < lead; ++i)
        if (one_of(at(words, i), {"if", "maybe", "unless", "said", "thought", "told", "hope", "wish", "whether", "perhaps", "might"}))
            return true;
    return false;
}

// A first-person lead at i: returns the word after it, and whether it needs a due date to count.
std::optional<std::pair<std::size_t, bool>> lead_at(const std::vector<Word>& words, std::size_t i, bool coach) {
    auto w = at(words, i);
    auto skip = [&](std::size_t j) {
        while (j < words.size() && is_filler_adverb(at(words, j))) ++j;
        return j;
    };
    if (w == "i'll" || w == "ill") return std::pair{i + 1, false};
    if (w == "i" && at(words, i + 1) == "will") return std::pair{i + 2, false};
    if (w == "i'm" || (w == "i" && at(words, i + 1) == "am")) {
        auto j = skip(i + (w == "i" ? 2 : 1));
        if (at(words, j) == "going" && at(words, j + 1) == "to") return std::pair{j + 2, false};
        if (at(words, j) == "gonna") return std::pair{j + 1, false};
        if (one_of(at(words, j), {"planning", "committing"}) && at(words, j + 1) == "to") return std::pair{j + 2, false};
        return std::nullopt;
    }
    if (w == "i") {
        auto j = skip(i + 1);
        if (one_of(at(words, j), {"plan", "promise", "commit", "intend"}) && at(words, j + 1) == "to") return std::pair{j + 2, false};
        if (one_of(at(words, j), {"want", "need", "have"}) && at(words, j + 1) == "to") return std::pair{j + 2, true};
        if (at(words, j) == "should") return std::pair{j + 1, true};
        return std::nullopt;
    }
    if (w == "i've" && at(words, i + 1) == "got" && at(words, i + 2) == "to") return std::pair{i + 3, true};
    if (w == "i'd" && at(words, i + 1) == "like" && at(words, i + 2) == "to") return std::pair{i + 3, true};
    if (w == "my" && one_of(at(words, i + 1), {"plan", "goal"}) && at(words, i + 2) == "is" && at(words, i + 3) == "to")
        return std::pair{i + 4, at(words, i + 1) == "goal"};
    if ((w == "my" || w == "the") && at(words, i + 1) == "next" && at(words, i + 2) == "step" && at(words, i + 3) == "is" &&
        at(words, i + 4) == "to")
        return std::pair{i + 5, false};
    if (coach && w == "let" && at(words, i + 1) == "me") return std::pair{i + 2, false};
    return std::nullopt;
}

}  // namespace

std::optional<std::size_t> commitment_task(const std::vector<Word>& words, bool has_due_date, bool coach) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        auto lead = lead_at(words, i, coach);
        if (!lead) continue;
        auto [task, needs_date] = *lead;
        if (needs_date && !has_due_date) continue;
        if (hedged_before(words, i)) return std::nullopt;
        task = skip_soft_verbs(words, task);
        if (task >= words.size() || is_conversation_move(words, task, coach)) continue;
        return task;
    }
    return std::nullopt;
}

std::optional<std::size_t> offered_task(const std::vector<Word>& words) {
    for (std::size_t i = 0; i + 2 < words.size(); ++i) {
        auto w = at(words, i), next = at(words, i + 1);
        std::optional<std::size_t> task;
        if (w == "i" && one_of(next, {"could", "can", "might"})) task = i + 2;
        else if (w == "what" && next == "if" && at(words, i + 2) == "i") task = i + 3;
        if (!task) continue;
        auto t = skip_soft_verbs(words, *task);
        if (t >= words.size() || is_conversation_move(words, t, false) || one_of(at(words, t), {"do", "see", "have", "be", "get", "feel"}))
            return std::nullopt;
        return t;
    }
    return std::nullopt;
}

std::optional<std::size_t> request_task(const std::vector<Word>& words) {
    std::optional<std::size_t> task;
    for (std::size_t i = 0; i < words.size() && !task; ++i) {
        auto w = at(words, i), next = at(words, i + 1);
        // "What will you do about it?" asks for ideas; it is not a request.
        bool open_question = (i > 0 && one_of(at(words, i - 1), {"what", "how", "when", "where", "which", "who", "why", "else"})) ||
                             (i > 1 && one_of(at(words, i - 2), {"what", "how", "where", "which"}));
        if (open_question) continue;
        if (one_of(w, {"can", "could", "will", "would"}) && next == "you") {
            std::size_t j = i + 2;
            if (at(words, j) == "be" && one_of(at(words, j + 1), {"willing", "able", "happy", "up"}) &&
                one_of(at(words, j + 2), {"to", "for"}))
                j += 3;
            else if (at(words, j) == "like" && at(words, j + 1) == "to")
                j += 2;
            task = j;
        } else if (w == "are" && next == "you" && one_of(at(words, i + 2), {"able", "happy", "okay", "ok", "willing", "up"}) &&
                   one_of(at(words, i + 3), {"to", "for"})) {
            task = i + 4;
        } else if (w == "i'd" || w == "i") {
            // "I'd like you to", "I would like you to", "I want you to", "I need you to".
            std::size_t j = i + 1;
            if (w == "i" && next == "would") ++j;
            if (w == "i'd" || next == "would") {
                if (at(words, j) != "like") continue;
                ++j;
            } else if (one_of(at(words, j), {"want", "need"})) {
                ++j;
            } else {
                continue;
            }
            if (at(words, j) == "you" && at(words, j + 1) == "to") task = j + 2;
        } else if (w == "your" && one_of(next, {"homework", "action", "task", "challenge"}) && at(words, i + 2) == "is" &&
                   at(words, i + 3) == "to") {
            task = i + 4;
        } else if (one_of(w, {"you'll", "youll"})) {
            task = i + 1;
        } else if (w == "you" && (next == "will" || (one_of(next, {"are"}) && at(words, i + 2) == "going" && at(words, i + 3) == "to"))) {
            task = next == "will" ? i + 2 : i + 4;
        } else if (w == "you're" && next == "going" && at(words, i + 2) == "to") {
            task = i + 3;
        } else if (w == "let's" && next == "have" && at(words, i + 2) == "you") {
            task = i + 3;
        }
    }
    if (!task) return std::nullopt;
    auto t = skip_soft_verbs(words, *task);
    if (t >= words.size()) return std::nullopt;
    // Prompts to talk, and statements about what will happen to the listener, are not tasks.
    auto verb = at(words, t);
    if (one_of(verb, {"tell", "walk", "talk", "describe", "explain", "remember", "recall", "imagine", "think", "say", "hear", "see",
                      "clarify", "expand", "elaborate", "picture", "summarise", "summarize", "listen", "hang", "hold", "repeat",
                      "be", "feel", "notice", "find", "get", "have", "need", "want", "know", "like", "love", "believe", "mean"}))
        return std::nullopt;
    if (one_of(verb, {"give", "show", "share"}) && at(words, t + 1) == "me" && at(words, t + 2) != "your") return std::nullopt;
    return t;
}

bool has_timing_cue(const std::vector<Word>& words) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        auto w = at(words, i);
        if (one_of(w, {"next", "every", "each", "daily", "weekly", "tomorrow", "tonight", "today"})) return true;
        if (w == "from" && at(words, i + 1) == "now" && at(words, i + 2) == "on") return true;
        if (w == "going" && at(words, i + 1) == "forward") return true;
        if (w == "this" && one_of(at(words, i + 1), {"week", "afternoon", "morning", "month"})) return true;
    }
    return false;
}

Reply classify_reply(const std::vector<Word>& words) {
    static const Lexicon refusals{{"i can't", 1}, {"i cannot", 1}, {"i won't", 1}, {"not really", 1}, {"don't think so", 1},
                                  {"i'd rather not", 1}, {"not sure", 1}, {"probably not", 1}, {"no way", 1}, {"i don't think i", 1},
                                  {"not right now", 1}, {"i'm not", 1}};
    static const Lexicon commits{{"i will", 1}, {"i'll", 1}, {"will do", 1}, {"i can do that", 1}, {"i can do it", 1},
                                 {"i'm going to", 1}, {"i'm gonna", 1}, {"let's do it", 1}, {"deal", 1}, {"i promise", 1},
                                 {"absolutely", 1}, {"definitely", 1}, {"for sure", 1}, {"count me in", 1}, {"i'm on it", 1},
                                 {"on it", 1}, {"i'll try", 1}, {"i can manage that", 1}, {"i'll do", 1}, {"consider it done", 1}};
    static const Lexicon agreements{{"yes", 1}, {"yeah", 1}, {"yep", 1}, {"yup", 1}, {"sure", 1}, {"ok", 1}, {"okay", 1},
                                    {"alright", 1}, {"all right", 1}, {"of course", 1}, {"sounds good", 1}, {"sounds like a plan", 1},
                                    {"that works", 1}, {"fine", 1}, {"good idea", 1}, {"great idea", 1}, {"makes sense", 1},
                                    {"happy to", 1}, {"no problem", 1}, {"no worries", 1}, {"can do", 1}, {"i can", 1},
                                    {"i could", 1}, {"mm hmm", 1}, {"mhm", 1}, {"uh huh", 1}, {"right", 1}, {"cool", 1},
                                    {"perfect", 1}, {"great", 1}};
    if (words.empty()) return Reply::none;
    bool polite_no = at(words, 0) == "no" && one_of(at(words, 1), {"problem", "worries"});
    if (!polite_no && (at(words, 0) == "no" || at(words, 0) == "nah" || at(words, 0) == "nope")) return Reply::refuse;
    if (refusals.contains(words)) return Reply::refuse;
    if (commits.contains(words)) return Reply::commit;
    // An agreement word must open the reply: "yes" inside a longer answer is not consent.
    for (std::size_t i = 0; i < std::min<std::size_t>(words.size(), 3); ++i)
        if (agreements.at(words, i)) return Reply::agree;
    return Reply::none;
}

bool is_anaphoric(const std::vector<Word>& task_words) {
    if (task_words.empty()) return true;
    for (const auto& w : task_words)
        if (!one_of(w.lower, {"do", "it", "that", "this", "try", "give", "a", "go", "shot", "one", "them", "those", "so", "then",
                              "definitely", "too", "again", "yeah", "sure", "bash", "crack", "whirl", "what", "you", "said",
                              "suggested", "the", "same", "thing", "things", "as", "well", "something", "like", "out"}))
            return false;
    return true;
}

}  // namespace debrief::analysis::detail
