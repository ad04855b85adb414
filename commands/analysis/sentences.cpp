// Sentence and clause splitting: punctuation first, then contrast words, never leaving a fragment under three words.
#include "commands/analysis/sentences.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "commands/analysis/text.hpp"

namespace debrief::analysis::detail {
namespace {

constexpr std::size_t min_clause_words = 3;

bool is_abbreviation(std::string_view word) {
    constexpr std::array<std::string_view, 12> known{"mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "approx", "e.g", "i.e", "no"};
    auto lower = to_lower(word);
    if (std::find(known.begin(), known.end(), lower) != known.end()) return true;
    // "J. Smith": an initial; "I." is a sentence that ends with "I".
    return word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0])) && word[0] != 'I';
}

std::size_t word_count(std::string_view text) { return words_of(text).size(); }

}  // namespace

std::vector<Sentence> split_sentences(std::string_view text) {
    std::vector<Sentence> sentences;
    std::size_t start = 0;
    auto emit = [&](std::size_t end, bool question) {
        auto piece = commands::trim(text.substr(start, end - start));
        if (std::any_of(piece.begin(), piece.end(), is_word_byte)) sentences.push_back({std::string(piece), question});
        start = end;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c != '.' && c != '!' && c != '?') continue;
        std::size_t end = i;
        bool question = false;
        while (end < text.size() && (text[end] == '.' || text[end] == '!' || text[end] == '?')) question |= text[end++] == '?';
        while (end < text.size() && (text[end] == '"' || text[end] == '\'' || text[end] == ')')) ++end;
        if (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) {
            i = end - 1;
            continue;
        }
        if (c == '.' && end == i + 1) {
            std::size_t word_start = i;
            while (word_start > 0 && (is_word_byte(text[word_start - 1]) || text[word_start - 1] == '.')) --word_start;
            if (is_abbreviation(text.substr(word_start, i - word_start))) continue;
        }
        emit(end, question);
        i = end - 1;
    }
    emit(text.size(), false);
    return sentences;
}

std::vector<std::string> split_clauses(std::string_view sentence) {
    struct Cut {
        std::size_t begin, resume;
    };
    std::vector<Cut> cuts;
    for (std::size_t i = 0; i < sentence.size(); ++i) {
        if (sentence[i] == ';') cuts.push_back({i, i + 1});
        else if (sentence[i] == '-' && i > 0 && i + 1 < sentence.size() && sentence[i - 1] == ' ' && sentence[i + 1] == ' ')
            cuts.push_back({i, i + 1});
    }
    constexpr std::array<std::string_view, 6> contrast{"but", "although", "though", "whereas", "however", "except"};
    for (const auto& w : words_of(sentence))
        if (std::find(contrast.begin(), contrast.end(), w.lower) != contrast.end()) cuts.push_back({w.begin, w.end});
    std::sort(cuts.begin(), cuts.end(), [](const Cut& a, const Cut& b) { return a.begin < b.begin; });

    std::vector<std::string> clauses;
    std::size_t start = 0;
    for (const auto& cut : cuts) {
        if (cut.begin < start) continue;
        auto left = sentence.substr(start, cut.begin - start);
        auto right = sentence.substr(cut.resume);
        if (word_count(left) < min_clause_words || word_count(right) < min_clause_words) continue;
        auto piece = commands::trim(left);
        while (!piece.empty() && (piece.back() == ',' || piece.back() == ' ')) piece.remove_suffix(1);
        clauses.emplace_back(piece);
        start = cut.resume;
    }
    auto rest = commands::trim(sentence.substr(start));
    while (!rest.empty() && (rest.front() == ',' || rest.front() == ' ')) rest.remove_prefix(1);
    if (!rest.empty()) clauses.emplace_back(rest);
    return clauses;
}

}  // namespace debrief::analysis::detail
