// A weighted list of cue phrases matched word by word; "struggl*" matches any word starting with "struggl".
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "commands/analysis/text.hpp"

namespace debrief::analysis::detail {

class Lexicon {
public:
    struct Match {
        std::size_t position = 0;  // index of the first word
        std::size_t length = 0;    // in words
        double weight = 0;
    };

    Lexicon(std::initializer_list<std::pair<std::string_view, double>> entries);

    // Matches left to right, the longest at each position, never overlapping.
    std::vector<Match> find_all(const std::vector<Word>& words) const;
    // The longest cue that starts exactly at position.
    std::optional<Match> at(const std::vector<Word>& words, std::size_t position) const;
    bool contains(const std::vector<Word>& words) const { return !find_all(words).empty(); }

private:
    struct Cue {
        std::vector<std::string> tokens;
        double weight = 0;
    };
    static bool token_matches(std::string_view pattern, std::string_view word);
    bool matches_at(const Cue& cue, const std::vector<Word>& words, std::size_t position) const;

    std::vector<Cue> cues_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_word_;  // exact first words
    std::vector<std::size_t> prefix_first_;                                     // cues whose first word ends in '*'
};

}  // namespace debrief::analysis::detail
