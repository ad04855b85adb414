// Summary phrasing over whitespace tokens: each token keeps its punctuation, so commas around fillers can be honoured.
#include "commands/analysis/phrasing.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <optional>

#include "commands/analysis/text.hpp"

namespace debrief::analysis::detail {
namespace {

constexpr std::size_t max_phrase_words = 22;
constexpr std::size_t max_title_words = 14;

struct Token {
    std::string text;  // as written, with attached punctuation
    std::string core;  // lower-case, without leading/trailing punctuation
};

std::string core_of(std::string_view text) {
    std::size_t first = 0, last = text.size();
    while (first < last && !is_word_byte(text[first])) ++first;
    while (last > first && !is_word_byte(text[last - 1])) --last;
    return to_lower(text.substr(first, last - first));
}

std::vector<Token> tokens_of(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        std::size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i > start) tokens.push_back({std::string(text.substr(start, i - start)), core_of(text.substr(start, i - start))});
    }
    return tokens;
}

std::string join(const std::vector<Token>& tokens) {
    std::string out;
    for (const auto& t : tokens) {
        if (t.text.empty()) continue;
        if (!out.empty()) out += ' ';
        out += t.text;
    }
    return out;
}

bool one_of(std::string_view word, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

char last_char(const Token& t) { return t.text.empty() ? '\0' : t.text.back(); }
bool ends_clause(const Token& t) { return !t.text.empty() && (t.text.back() == ',' || t.text.back() == ';' || t.text.back() == ':'); }
bool ends_sentence(const Token& t) { return !t.text.empty() && (t.text.back() == '.' || t.text.back() == '?' || t.text.back() == '!'); }

void strip_trailing_punctuation(Token& t) {
    while (!t.text.empty() && !is_word_byte(t.text.back()) && t.text.back() != ')' && t.text.back() != '%' && t.text.back() != '"')
        t.text.pop_back();
}

// Does the phrase (lower-case words) start at token i?
bool phrase_at(const std::vector<Token>& tokens, std::size_t i, std::initializer_list<std::string_view> words) {
    if (i + words.size() > tokens.size()) return false;
    std::size_t k = i;
    for (auto w : words)
        if (tokens[k++].core != w) return false;
    return true;
}

bool is_hesitation(std::string_view core) {
    return one_of(core, {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "mm", "mmm", "ah", "eh"});
}

// Leading words that carry no content: "So, yeah, I mean, I think ..." -> "...".
std::size_t leading_marker_length(const std::vector<Token>& tokens, std::size_t i) {
    if (i >= tokens.size()) return 0;
    const auto& t = tokens[i];
    auto next = i + 1 < tokens.size() ? std::string_view(tokens[i + 1].core) : std::string_view();
    bool comma = ends_clause(t);
    for (auto phrase : std::initializer_list<std::initializer_list<std::string_view>>{
             {"to", "be", "honest"}, {"if", "i'm", "honest"}, {"to", "be", "fair"}, {"the", "thing", "is"}, {"i", "feel", "like"},
             {"i", "think", "that"}, {"and", "then"}, {"so", "yeah"}, {"i", "mean"}, {"you", "know"}, {"i", "guess"}, {"i", "suppose"},
             {"i'd", "say"}, {"i", "would", "say"}, {"mind", "you"}, {"in", "fact"}, {"no", "problem"}, {"no", "worries"},
             {"fair", "enough"}, {"thank", "you"}, {"i", "think"}, {"you", "see"}, {"i", "reckon"}, {"i", "don't", "know"},
             {"like", "i", "said"}, {"what", "changed", "is"}, {"what", "changed", "was"}, {"what", "happened", "is"},
             {"what", "happened", "was"}}) {
        if (!phrase_at(tokens, i, phrase)) continue;
        auto end = i + phrase.size();
        // "I don't know" only as an aside ("I don't know, maybe ..."): "I don't know how to ..." is content.
        if ((phrase.begin()[0] == "i" && phrase.begin()[1] == "don't") && !ends_clause(tokens[end - 1])) continue;
        return phrase.size();
    }
    const auto& w = t.core;
    if (is_hesitation(w)) return 1;
    if (one_of(w, {"and", "but", "yeah", "yes", "yep", "yup", "oh", "okay", "ok", "alright", "anyway", "also", "plus", "then",
                   "honestly", "actually", "basically", "obviously", "thanks", "cool", "wow", "hey", "literally", "maybe"}))
        return 1;
    if (w == "so" && !one_of(next, {"many", "much", "far", "that"})) return 1;
    if (one_of(w, {"well", "right", "look", "listen", "no", "see", "sure", "great", "now", "like", "good", "fine", "perfect"}) &&
        (comma || (w == "well" && one_of(next, {"i", "i'm", "i've", "we", "my", "it", "the", "that"})) ||
         (w == "like" && one_of(next, {"i", "i'm", "it", "the"}))))
        return 1;
    return 0;
}

void remove_leading_markers(std::vector<Token>& tokens) {
    while (!tokens.empty()) {
        auto n = leading_marker_length(tokens, 0);
        if (n == 0) break;
        tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(n));
    }
}

// Drops tokens [i, i + n) that the speaker set off with commas ("X, you know, Y" -> "X Y").
bool remove_aside(std::vector<Token>& tokens, std::size_t i, std::size_t n) {
    bool opened = i == 0 || ends_clause(tokens[i - 1]);
    bool closed = i + n >= tokens.size() ? true : ends_clause(tokens[i + n - 1]) || ends_sentence(tokens[i + n - 1]);
    if (!opened || !closed) return false;
    bool at_end = i + n >= tokens.size() || ends_sentence(tokens[i + n - 1]);
    std::string ending;
    if (ends_sentence(tokens[i + n - 1])) ending = std::string(1, last_char(tokens[i + n - 1]));
    // "behind, you know, like I'm drowning" keeps a comma before a new clause; "without, like, handing" does not.
    bool clause_follows = i + n < tokens.size() && one_of(tokens[i + n].core, {"like", "and", "but", "so", "because", "which", "then",
                                                                               "or", "i", "i'm", "it", "it's", "they", "we", "he", "she"});
    if (i > 0 && !clause_follows) {
        strip_trailing_punctuation(tokens[i - 1]);
        if (at_end) tokens[i - 1].text += ending;
    }
    tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i), tokens.begin() + static_cast<std::ptrdiff_t>(i + n));
    return true;
}

bool repeats(const std::vector<Token>& before, const Token& t) {
    return !before.empty() && before.back().core == t.core && !t.core.empty() && !one_of(t.core, {"had", "that", "very", "really", "so"}) &&
           !ends_sentence(before.back());
}

std::vector<Token> clean_tokens(std::string_view text) {
    auto tokens = tokens_of(normalise_punctuation(text));
    std::vector<Token> out;
    out.reserve(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        auto& t = tokens[i];
        if (t.core.empty() && (t.text == "-" || t.text == "--")) {  // a spaced dash: keep it as a clause break
            if (!out.empty() && !ends_clause(out.back()) && !ends_sentence(out.back())) out.back().text += ',';
            continue;
        }
        if (is_hesitation(t.core)) {
            // "closed, um, two" -> "closed two"; "it was, um." -> "it was."
            if (!out.empty() && ends_clause(t) && ends_clause(out.back())) strip_trailing_punctuation(out.back());
            if (!out.empty() && ends_sentence(t)) {
                strip_trailing_punctuation(out.back());
                out.back().text += t.text.back();
            }
            continue;
        }
        if (t.text.size() > 1 && t.text.back() == '-' && !t.core.empty() && i + 1 < tokens.size()) continue;  // "cl- closed"
        if (repeats(out, t)) {
            out.back() = t;  // "I, I closed", "the the"
            continue;
        }
        if (one_of(t.core, {"basically", "literally"}) && !out.empty()) {
            if (ends_clause(t) && ends_clause(out.back())) strip_trailing_punctuation(out.back());
            if (ends_sentence(t)) {
                strip_trailing_punctuation(out.back());
                out.back().text += t.text.back();
            }
            continue;
        }
        out.push_back(std::move(t));
    }
    // A false start: "I just, I stayed calm" -> "I stayed calm"; "it was, it is fine" -> "it is fine".
    for (std::size_t i = 0; i + 2 < out.size(); ++i) {
        if (!one_of(out[i].core, {"i", "i'm", "i've", "we", "it", "it's", "they", "he", "she", "you"})) continue;
        // One word between the two starts: "I got that, I stopped" is two clauses, not a false start.
        if (out[i + 2].core == out[i].core && ends_clause(out[i + 1]))
            out.erase(out.begin() + static_cast<std::ptrdiff_t>(i), out.begin() + static_cast<std::ptrdiff_t>(i + 2));
    }
    // "I was, I was going to": a repeated pair of words.
    for (std::size_t i = 0; i + 3 < out.size(); ++i) {
        if (out[i].core == out[i + 2].core && out[i + 1].core == out[i + 3].core && !out[i].core.empty() && !ends_sentence(out[i + 1]))
            out.erase(out.begin() + static_cast<std::ptrdiff_t>(i), out.begin() + static_cast<std::ptrdiff_t>(i + 2));
    }
    // Asides between commas (or closing the sentence): ", you know,", ", like,", ", I mean,", ", honestly,".
    for (std::size_t i = 1; i < out.size(); ++i) {
        for (auto phrase : std::initializer_list<std::initializer_list<std::string_view>>{
                 {"you", "know"}, {"i", "mean"}, {"like"}, {"kind", "of"}, {"sort", "of"}, {"honestly"}, {"actually"}, {"right"},
                 {"yeah"}, {"i", "guess"}, {"i", "think"}, {"i", "suppose"}, {"to", "be", "honest"}, {"obviously"}, {"anyway"},
                 {"you", "see"}, {"really"}, {"so", "yeah"}, {"okay"}, {"ok"}}) {
            if (phrase_at(out, i, phrase) && remove_aside(out, i, phrase.size())) {
                --i;
                break;
            }
        }
    }
    // "kind of"/"sort of" as a hedge ("I kind of panicked"), not as "what kind of calls".
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        if ((out[i].core == "kind" || out[i].core == "sort") && out[i + 1].core == "of" &&
            (i == 0 || !one_of(out[i - 1].core, {"what", "a", "the", "this", "that", "any", "some", "which", "same", "different",
                                                 "every", "one", "no", "all", "what's", "these", "those", "other"}))) {
            out.erase(out.begin() + static_cast<std::ptrdiff_t>(i), out.begin() + static_cast<std::ptrdiff_t>(i + 2));
            --i;
        }
    }
    // An aside can leave a stutter behind: "I'm, you know, I'm answering".
    std::vector<Token> collapsed;
    for (auto& t : out) {
        if (repeats(collapsed, t)) collapsed.back() = std::move(t);
        else collapsed.push_back(std::move(t));
    }
    remove_leading_markers(collapsed);
    return collapsed;
}

// Trailing fillers and dangling words: "..., you know", "and stuff", "... and".
void trim_tail(std::vector<Token>& tokens) {
    bool changed = true;
    while (changed && !tokens.empty()) {
        changed = false;
        strip_trailing_punctuation(tokens.back());
        for (auto phrase : std::initializer_list<std::initializer_list<std::string_view>>{
                 {"and", "stuff"}, {"or", "whatever"}, {"and", "everything"}, {"or", "something"}, {"and", "all", "that"},
                 {"or", "anything"}, {"and", "things", "like", "that"}, {"and", "that"}, {"you", "know"}, {"i", "guess"},
                 {"i", "think"}, {"right"}, {"yeah"}, {"honestly"}, {"really"}, {"like"}, {"as", "well"}, {"please"}, {"okay"},
                 {"ok"}, {"then"}, {"though"}, {"maybe"}, {"and"}, {"but"}, {"so"}, {"or"}, {"because"}, {"cos"},
                 {"to"}, {"with"}, {"the"}, {"a"}, {"of"}, {"for"}, {"later"}, {"at", "some", "point"}, {"for", "me"},
                 {"and", "see", "how", "it", "goes"}, {"and", "see", "what", "happens"}, {"if", "that", "makes", "sense"},
                 {"if", "you", "know", "what", "i", "mean"}, {"sort", "of", "thing"}}) {
            if (tokens.size() <= phrase.size()) continue;
            if (phrase_at(tokens, tokens.size() - phrase.size(), phrase)) {
                tokens.resize(tokens.size() - phrase.size());
                changed = true;
                break;
            }
        }
    }
    if (!tokens.empty()) strip_trailing_punctuation(tokens.back());
}

std::string capitalised(std::string text) {
    for (auto& c : text) {
        if (std::isalpha(static_cast<unsigned char>(c))) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            break;
        }
        if (!std::ispunct(static_cast<unsigned char>(c)) && !std::isspace(static_cast<unsigned char>(c))) break;
    }
    return text;
}

// Keeps the phrase short: cut at the last clause break before the limit, else at the limit.
void limit_length(std::vector<Token>& tokens, std::size_t max_words) {
    if (tokens.size() <= max_words) return;
    for (std::size_t i = max_words; i >= 6; --i) {
        if (ends_clause(tokens[i - 1]) || ends_sentence(tokens[i - 1])) {
            tokens.resize(i);
            return;
        }
        if (i < tokens.size() && one_of(tokens[i].core, {"and", "because", "so", "but", "which", "when", "while", "cos"})) {
            tokens.resize(i);
            return;
        }
    }
    tokens.resize(max_words);
}

// Cuts the phrase before a commentary or reason clause: ", which ...", "because ...", ", so ...".
void cut_commentary(std::vector<Token>& tokens, bool reasons_too) {
    for (std::size_t i = 3; i < tokens.size(); ++i) {
        bool after_comma = ends_clause(tokens[i - 1]);
        const auto& w = tokens[i].core;
        bool new_subject = i + 1 < tokens.size() && one_of(tokens[i + 1].core, {"we", "we'll", "i", "i'll", "you", "you'll", "they", "she", "he"});
        if ((after_comma && w == "which") || (reasons_too && w == "and" && new_subject) ||  // "sit with you and we'll sort it"
            (reasons_too && after_comma && one_of(w, {"so", "it", "it's", "that", "this", "she", "he", "they", "we", "i", "which", "as"})) ||
            (reasons_too && (one_of(w, {"because", "cos", "since"}) || (w == "so" && i + 1 < tokens.size() && one_of(tokens[i + 1].core, {"that", "i", "she", "he", "they", "we"}))))) {
            tokens.resize(i);
            return;
        }
    }
}

void drop_vocatives(std::vector<Token>& tokens, const Vocatives& names) {
    for (const auto& name : names) {
        auto name_words = tokens_of(name);
        auto n = name_words.size();
        if (n == 0) continue;
        auto matches = [&](std::size_t at) {
            if (at + n > tokens.size()) return false;
            for (std::size_t k = 0; k < n; ++k)
                if (tokens[at + k].core != name_words[k].core) return false;
            return true;
        };
        // "Marcus, your CSAT ..." / "..., Marcus?" / "... Marcus."
        if (matches(0) && (ends_clause(tokens[n - 1]) || ends_sentence(tokens[n - 1]))) {
            tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(n));
            remove_leading_markers(tokens);
        }
        if (tokens.size() > n && matches(tokens.size() - n) && ends_clause(tokens[tokens.size() - n - 1])) {
            std::string ending;
            if (ends_sentence(tokens.back())) ending = std::string(1, tokens.back().text.back());
            tokens.resize(tokens.size() - n);
            strip_trailing_punctuation(tokens.back());
            tokens.back().text += ending;
        }
    }
}

bool is_adverb(std::string_view w) {
    if (one_of(w, {"still", "finally", "always", "never", "also", "sometimes", "often", "usually", "definitely", "even", "now", "then",
                   "constantly", "generally", "mostly", "already", "just", "really", "actually", "honestly", "genuinely", "literally",
                   "kind", "sort", "totally", "completely", "properly", "normally", "rarely", "hardly", "barely", "mainly"}))
        return true;
    return w.size() > 4 && w.ends_with("ly") && !one_of(w, {"apply", "reply", "supply", "rely", "comply", "multiply", "fly", "bully", "rally", "tally"});
}

bool is_modal(std::string_view w) {
    return one_of(w, {"can", "can't", "cannot", "could", "couldn't", "will", "won't", "would", "wouldn't", "should", "shouldn't", "might",
                      "must", "may", "needn't", "cant", "couldnt", "wont", "wouldnt", "shouldnt", "didn't", "didnt", "wasn't",
                      "wasnt", "was", "had", "hadn't", "used"});
}

bool is_irregular_past(std::string_view w) {
    return one_of(w, {"was", "were", "had", "did", "got", "made", "took", "went", "felt", "found", "thought", "said", "told", "gave", "kept",
                      "left", "lost", "sent", "spent", "wrote", "sold", "heard", "knew", "came", "became", "began", "ran", "saw", "won",
                      "met", "put", "set", "read", "hit", "let", "cut", "brought", "bought", "caught", "taught", "fought", "sat",
                      "stood", "understood", "held", "led", "fell", "forgot", "froze", "woke", "spoke", "broke", "chose", "drove",
                      "ate", "drank", "hung", "hurt", "meant", "paid", "slept", "shut", "stuck", "threw", "wore", "dealt", "learnt",
                      "burnt", "quit", "snapped"});
}

bool is_past(std::string_view w) { return is_irregular_past(w) || (w.size() > 3 && w.ends_with("ed")); }

// "keep" -> "keeps", "try" -> "tries", "miss" -> "misses", "have" -> "has".
std::string third_person(std::string_view verb) {
    std::string v(verb);
    if (v == "have") return "has";
    if (v == "do") return "does";
    if (v == "go") return "goes";
    if (v == "don't" || v == "dont") return "doesn't";
    if (v == "haven't") return "hasn't";
    if (v == "am") return "is";
    if (v == "realise" || v == "realize") return v + "d";  // an insight is reported as it happened: "Realised ..."
    if (v.ends_with("s") || v.ends_with("sh") || v.ends_with("ch") || v.ends_with("x") || v.ends_with("z") || v.ends_with("o"))
        return v + "es";
    if (v.size() > 1 && v.back() == 'y' && !one_of(std::string_view(&v[v.size() - 2], 1), {"a", "e", "i", "o", "u"}))
        return v.substr(0, v.size() - 1) + "ies";
    return v + "s";
}

void replace_word(Token& t, std::string word) {
    std::size_t first = 0;
    while (first < t.text.size() && !is_word_byte(t.text[first])) ++first;
    std::size_t last = t.text.size();
    while (last > first && !is_word_byte(t.text[last - 1])) --last;
    t.text = t.text.substr(0, first) + word + t.text.substr(last);
    t.core = to_lower(word);
}

// Drops filler adverbs that would open the phrase: "really struggles" reads as "struggles".
void drop_opening_fillers(std::vector<Token>& tokens) {
    while (!tokens.empty() && one_of(tokens[0].core, {"just", "really", "actually", "honestly", "genuinely", "literally", "kind", "sort",
                                                      "basically", "definitely"})) {
        if ((tokens[0].core == "kind" || tokens[0].core == "sort") && tokens.size() > 1 && tokens[1].core == "of")
            tokens.erase(tokens.begin());
        tokens.erase(tokens.begin());
    }
}

// "I keep ..." -> "Keeps ...", "I'm ..." -> "...", "I've finished" -> "Finished", "my CSAT" -> "CSAT"; the same for
// "you"/"your" when the coach describes the client.
void drop_subject(std::vector<Token>& tokens, bool second_person) {
    if (tokens.empty()) return;
    auto w = tokens[0].core;
    auto erase = [&](std::size_t n) { tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(std::min(n, tokens.size()))); };
    auto next = [&](std::size_t i) { return i < tokens.size() ? std::string_view(tokens[i].core) : std::string_view(); };

    bool first_person = !second_person;
    std::string_view be_contraction = first_person ? "i'm" : "you're";
    std::string_view have_contraction = first_person ? "i've" : "you've";
    std::string_view subject = first_person ? "i" : "you";
    std::string_view be = first_person ? "am" : "are";
    std::string_view possessive = first_person ? "my" : "your";

    if (w == "that" && one_of(next(1), {"i", "i'm", "i've"}) && first_person) {  // an answer: "That I'm the bottleneck"
        erase(1);
        w = tokens[0].core;
    }
    if (w == be_contraction || w == "im" || (w == subject && next(1) == be)) {
        erase(w == subject ? 2 : 1);
        drop_opening_fillers(tokens);
        // "I'm the bottleneck" -> "Is the bottleneck": a bare noun phrase would lose who it is about.
        bool noun_phrase = !tokens.empty() && one_of(tokens[0].core, {"the", "a", "an", "my", "your", "their"}) &&
                           !(tokens.size() > 1 && one_of(tokens[1].core, {"bit", "little", "lot", "tad", "few"}));  // "a bit worried"
        if (noun_phrase) tokens.insert(tokens.begin(), Token{"is", "is"});
        return;
    }
    if (w == have_contraction || (w == subject && next(1) == "have" && (is_past(next(2)) || next(2) == "been" || next(2).ends_with("en")))) {
        erase(w == subject ? 2 : 1);
        drop_opening_fillers(tokens);
        if (next(0) == "been") erase(1);
        else if (next(0) == "got" && next(1) != "to") replace_word(tokens[0], "has");
        drop_opening_fillers(tokens);
        return;
    }
    if (w == subject && tokens.size() > 1) {
        erase(1);
        drop_opening_fillers(tokens);
        std::size_t v = 0;
        while (v < tokens.size() && is_adverb(tokens[v].core)) ++v;
        if (v >= tokens.size()) return;
        const auto& verb = tokens[v].core;
        if (is_modal(verb) || is_past(verb)) return;
        if (one_of(verb, {"i", "i'm", "i've", "we", "it", "they", "you", "he", "she", "the", "a", "my"})) return;  // not a verb
        if (verb.ends_with("ing") || !std::isalpha(static_cast<unsigned char>(verb.empty() ? ' ' : verb[0]))) return;
        replace_word(tokens[v], third_person(verb));
        return;
    }
    // "my CSAT went up" -> "CSAT went up"; "my manager said" keeps its owner.
    if (w == possessive && tokens.size() > 2 &&
        !one_of(next(1), {"manager", "boss", "colleague", "colleagues", "team", "partner", "wife", "husband", "kids", "son", "daughter",
                          "mum", "mom", "dad", "friend", "friends", "lead", "supervisor", "coach", "family"}))
        erase(1);
}

std::string finish(std::vector<Token> tokens, std::size_t max_words) {
    trim_tail(tokens);
    limit_length(tokens, max_words);
    trim_tail(tokens);
    for (auto& t : tokens)
        if (t.core == "i" && t.text == "i") t.text = "I";
    return capitalised(join(tokens));
}

constexpr std::pair<std::string_view, std::string_view> past_to_base[] = {
    {"tried", "try"},       {"used", "use"},        {"took", "take"},         {"wrote", "write"},     {"did", "do"},
    {"made", "make"},       {"kept", "keep"},       {"gave", "give"},         {"spent", "spend"},     {"sent", "send"},
    {"got", "get"},         {"had", "have"},        {"went", "go"},           {"left", "leave"},      {"told", "tell"},
    {"said", "say"},        {"started", "start"},   {"asked", "ask"},         {"turned", "turn"},     {"blocked", "block"},
    {"batched", "batch"},   {"muted", "mute"},      {"paused", "pause"},      {"closed", "close"},    {"moved", "move"},
    {"typed", "type"},      {"noted", "note"},      {"practised", "practise"}, {"practiced", "practice"}, {"focused", "focus"},
    {"booked", "book"},     {"switched", "switch"}, {"changed", "change"},    {"shared", "share"},    {"prepared", "prepare"},
    {"scheduled", "schedule"}, {"called", "call"},  {"checked", "check"},     {"slowed", "slow"},     {"named", "name"},
};

std::optional<std::string> base_of_past(std::string_view w) {
    for (const auto& [past, base] : past_to_base)
        if (w == past) return std::string(base);
    if (one_of(w, {"put", "set", "let", "cut", "read", "split"})) return std::string(w);
    return std::nullopt;
}

using Lead = std::vector<std::string_view>;

// Openings of advice that the recommendation drops: "I'd suggest (you) ...", "what you could do is ...".
const std::vector<Lead>& advice_leads() {
    static const std::vector<Lead> leads{
        {"i'd", "suggest"}, {"i", "would", "suggest"}, {"i", "suggest"}, {"i'd", "recommend"}, {"i", "would", "recommend"},
        {"i", "recommend"}, {"my", "suggestion", "is"}, {"my", "advice", "is"}, {"my", "advice", "would", "be"},
        {"i'd", "encourage", "you", "to"}, {"i", "encourage", "you", "to"}, {"i'd", "like", "you", "to"}, {"i", "want", "you", "to"},
        {"you", "should"}, {"you", "could"}, {"you", "might", "want", "to"}, {"you", "may", "want", "to"}, {"it", "might", "help", "to"},
        {"it", "may", "help", "to"}, {"it", "could", "help", "to"}, {"it", "helps", "to"}, {"it", "might", "be", "worth"},
        {"it's", "worth"}, {"it", "would", "help", "to"}, {"the", "key", "is", "to"}, {"the", "trick", "is", "to"},
        {"why", "don't", "you"}, {"you", "can"}, {"what", "you", "could", "do", "is"}, {"one", "thing", "you", "could", "do", "is"},
        {"could", "you"}, {"can", "you"}, {"would", "you"}, {"have", "you", "tried"}, {"have", "you", "thought", "about"},
        {"have", "you", "considered"}, {"how", "about"}, {"let's"}};
    return leads;
}

std::optional<Lead> advice_lead_at(const std::vector<Token>& tokens, std::size_t i) {
    for (const auto& lead : advice_leads()) {
        if (i + lead.size() > tokens.size()) continue;
        bool same = true;
        for (std::size_t k = 0; k < lead.size() && same; ++k) same = tokens[i + k].core == lead[k];
        if (same) return lead;
    }
    return std::nullopt;
}

}  // namespace

std::string summary_phrase(std::string_view clause, bool second_person, const Vocatives& names) {
    auto tokens = clean_tokens(clause);
    drop_vocatives(tokens, names);
    remove_leading_markers(tokens);
    cut_commentary(tokens, false);
    drop_subject(tokens, second_person);
    // "How do I stop panicking?" -> "How to stop panicking".
    if (tokens.size() > 3 && tokens[0].core == "how" && one_of(tokens[1].core, {"do", "can", "should"}) && tokens[2].core == "i") {
        tokens.erase(tokens.begin() + 1, tokens.begin() + 3);
        tokens.insert(tokens.begin() + 1, Token{"to", "to"});
    }
    // "I'm overwhelmed" -> "Feeling overwhelmed": a lone participle needs a verb to read as a note.
    trim_tail(tokens);
    if (tokens.size() == 1 && (tokens[0].core.ends_with("ed") || one_of(tokens[0].core, {"stuck", "lost", "burnt", "drained", "exhausted"})))
        tokens.insert(tokens.begin(), Token{"feeling", "feeling"});
    return finish(std::move(tokens), max_phrase_words);
}

std::string action_title(std::string_view task, std::size_t due_begin, std::size_t due_end, const TitleNames& names) {
    std::string text(task);
    if (due_begin < due_end && due_end <= text.size()) {
        auto before = text.substr(0, due_begin);
        auto after = text.substr(due_end);
        // "call them by Friday, and then ..." keeps its comma; "call them by Friday." keeps nothing.
        while (!before.empty() && before.back() == ' ') before.pop_back();
        text = before + after;
    }
    auto tokens = clean_tokens(text);
    cut_commentary(tokens, true);
    if (tokens.size() > 3 && tokens[0].core == "try" && tokens[1].core == "to") tokens.erase(tokens.begin(), tokens.begin() + 2);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].core == "you" && !names.you.empty() && i > 0) replace_word(tokens[i], names.you);
        else if (tokens[i].core == "me" && !names.me.empty()) replace_word(tokens[i], names.me);
        else if (tokens[i].core == "i" && i > 0) replace_word(tokens[i], "I");
    }
    // Drop a trailing question tag or aside: "..., okay?", "..., yeah?"
    while (tokens.size() > 2 && one_of(tokens.back().core, {"okay", "ok", "yeah", "right", "please", "then", "too"})) tokens.pop_back();
    return finish(std::move(tokens), max_title_words);
}

std::string recommendation_phrase(std::string_view sentence, const Vocatives& names) {
    auto tokens = clean_tokens(sentence);
    auto with_group = names;
    for (std::string_view group : {"everyone", "everybody", "guys", "folks", "all", "team", "you all"}) with_group.emplace_back(group);
    drop_vocatives(tokens, with_group);
    remove_leading_markers(tokens);
    auto erase = [&](std::size_t n) { tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(std::min(n, tokens.size()))); };
    auto starts = [&](std::initializer_list<std::string_view> words) { return phrase_at(tokens, 0, words); };
    // "One thing I'd suggest to everyone: lower your voice" -> "Lower your voice".
    for (std::size_t i = 0; i < tokens.size() && i < 8; ++i) {
        if (tokens[i].text.back() != ':') continue;
        bool announces = false;
        for (std::size_t k = 0; k <= i; ++k)
            announces |= one_of(tokens[k].core, {"suggest", "recommend", "advice", "tip", "trick", "key", "thing", "rule", "homework"});
        if (announces && i + 1 < tokens.size()) erase(i + 1);
        break;
    }
    while (starts({"maybe"}) || starts({"perhaps"})) erase(1);

    // "For the notes, I'd suggest you write them during the call": the lead may follow a short framing clause,
    // which is kept as "For the notes: write them during the call".
    std::vector<Token> frame;
    for (std::size_t i = 1; i < tokens.size() && i <= 6; ++i) {
        if (ends_clause(tokens[i - 1]) && advice_lead_at(tokens, i)) {
            frame.assign(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(i));
            erase(i);
            break;
        }
    }

    bool imperative = false;  // the result reads as an instruction, so a question mark goes
    if (auto lead = advice_lead_at(tokens, 0)) {
        bool tried = lead->back() == "tried";
        bool thought = lead->size() > 2 && (lead->back() == "about" || lead->back() == "considered");
        bool lets = lead->front() == "let's";
        if (!lets || (tokens.size() > 1 && one_of(tokens[1].core, {"focus", "work", "try", "practise", "practice", "aim", "make", "keep"}))) {
            erase(lead->size());
            if (!tokens.empty() && (tokens[0].core == "that" || tokens[0].core == "to")) erase(1);
            if (!tokens.empty() && tokens[0].core == "you" && !(tokens.size() > 1 && tokens[1].core == "know")) erase(1);
            if (tried) tokens.insert(tokens.begin(), Token{"try", "try"});
            else if (thought) tokens.insert(tokens.begin(), Token{"consider", "consider"});
            if (!tokens.empty() && tokens[0].core == "trying") replace_word(tokens[0], "try");
            else if (!tokens.empty() && tokens[0].core.ends_with("ing") && tokens[0].core.size() > 4)
                tokens.insert(tokens.begin(), Token{"consider", "consider"});  // "I'd suggest pausing" -> "Consider pausing"
            imperative = true;
        }
    }
    if (!imperative && (starts({"what", "if", "you"}) || starts({"how", "about", "you"}))) {
        if (tokens.size() > 3) {
            if (auto base = base_of_past(tokens[3].core)) {
                erase(3);
                replace_word(tokens[0], *base);
                imperative = true;
            } else if (!is_past(tokens[3].core) && !is_modal(tokens[3].core) && !tokens[3].core.ends_with("s")) {
                erase(3);
                imperative = true;
            }
        }
    }
    if (imperative || (!tokens.empty() && !ends_sentence(tokens.back()))) {
        while (!tokens.empty() && tokens.size() > 2 && one_of(tokens.back().core, {"okay", "ok", "yeah", "right"})) tokens.pop_back();
    }
    if (!imperative && !tokens.empty() && tokens.back().text.ends_with("?")) {
        // Still a question ("What if you paused first?"): keep its mark, it reads as a suggestion.
        auto phrase = finish(tokens, max_phrase_words);
        return phrase.empty() ? phrase : phrase + "?";
    }
    if (!frame.empty() && imperative) {
        strip_trailing_punctuation(frame.back());
        frame.back().text += ':';
        if (!tokens.empty() && !tokens[0].text.empty() && tokens[0].core != "i")
            tokens[0].text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(tokens[0].text[0])));
        tokens.insert(tokens.begin(), frame.begin(), frame.end());
    } else if (!frame.empty()) {
        tokens.insert(tokens.begin(), frame.begin(), frame.end());
    }
    return finish(std::move(tokens), max_phrase_words);
}

std::vector<std::string> content_words(std::string_view phrase) {
    std::vector<std::string> out;
    for (const auto& w : words_of(phrase)) {
        if (one_of(w.lower, {"a", "an", "the", "to", "of", "and", "or", "in", "on", "at", "for", "with", "my", "your", "their", "i", "you",
                             "it", "is", "was", "be", "that", "this", "so", "but", "by", "from", "up", "out", "me", "them", "really",
                             "just", "very"}))
            continue;
        out.push_back(w.lower);
    }
    return out;
}

}  // namespace debrief::analysis::detail
