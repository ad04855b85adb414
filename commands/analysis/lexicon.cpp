// Cue phrase matching: cues are indexed by their first word so a sentence costs one hash lookup per word.
#include "commands/analysis/lexicon.hpp"

#include <algorithm>
#include <cctype>

namespace debrief::analysis::detail {

Lexicon::Lexicon(std::initializer_list<std::pair<std::string_view, double>> entries) {
    for (const auto& [phrase, weight] : entries) {
        Cue cue;
        cue.weight = weight;
        // Same word boundaries as words_of, with '*' kept as part of the word it ends.
        std::string token;
        for (char c : phrase) {
            if (is_word_byte(c) || c == '\'' || c == '*') {
                token += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            } else if (!token.empty()) {
                cue.tokens.push_back(std::move(token));
                token.clear();
            }
        }
        if (!token.empty()) cue.tokens.push_back(std::move(token));
        if (cue.tokens.empty()) continue;
        auto index = cues_.size();
        if (cue.tokens.front().ends_with('*')) prefix_first_.push_back(index);
        else by_first_word_[cue.tokens.front()].push_back(index);
        cues_.push_back(std::move(cue));
    }
}

bool Lexicon::token_matches(std::string_view pattern, std::string_view word) {
    if (pattern.ends_with('*')) return word.starts_with(pattern.substr(0, pattern.size() - 1));
    return pattern == word;
}

bool Lexicon::matches_at(const Cue& cue, const std::vector<Word>& words, std::size_t position) const {
    if (position + cue.tokens.size() > words.size()) return false;
    for (std::size_t k = 0; k < cue.tokens.size(); ++k)
        if (!token_matches(cue.tokens[k], words[position + k].lower)) return false;
    return true;
}

std::optional<Lexicon::Match> Lexicon::at(const std::vector<Word>& words, std::size_t position) const {
    std::optional<Match> best;
    auto consider = [&](std::size_t index) {
        const auto& cue = cues_[index];
        if (!matches_at(cue, words, position)) return;
        if (!best || cue.tokens.size() > best->length || (cue.tokens.size() == best->length && cue.weight > best->weight))
            best = Match{position, cue.tokens.size(), cue.weight};
    };
    if (position >= words.size()) return best;
    if (auto it = by_first_word_.find(words[position].lower); it != by_first_word_.end())
        for (auto index : it->second) consider(index);
    for (auto index : prefix_first_) consider(index);
    return best;
}

std::vector<Lexicon::Match> Lexicon::find_all(const std::vector<Word>& words) const {
    std::vector<Match> matches;
    for (std::size_t i = 0; i < words.size();) {
        if (auto m = at(words, i)) {
            matches.push_back(*m);
            i += m->length;  // "running out of time" must not also count as "out of time"
        } else {
            ++i;
        }
    }
    return matches;
}

}  // namespace debrief::analysis::detail
