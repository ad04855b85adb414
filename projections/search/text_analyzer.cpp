// The analysis loop: split, fold, drop stop words, stem.
#include "projections/search/text_analyzer.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "projections/search/unicode_text.hpp"

namespace debrief::projections {
namespace {

// Lucene's English stop set (EnglishAnalyzer): words too common to tell documents apart.
constexpr std::array<std::string_view, 33> stop_words{"a",    "an",   "and",   "are",   "as",   "at",    "be",   "but",  "by",
                                                      "for",  "if",   "in",    "into",  "is",   "it",    "no",   "not",  "of",
                                                      "on",   "or",   "such",  "that",  "the",  "their", "then", "there", "these",
                                                      "they", "this", "to",    "was",   "will", "with"};

bool is_apostrophe(char32_t c) { return c == U'\'' || c == U'\u2019'; }
bool is_word_char(char32_t c) { return !unicode::is_separator(c) && !unicode::is_standalone(c); }
bool ascii_word(const std::string& folded) {
    return std::all_of(folded.begin(), folded.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '\''; });
}

}  // namespace

TextAnalyzer::TextAnalyzer() : stemmer_(sb_stemmer_new("english", nullptr)) {
    if (!stemmer_) throw std::runtime_error("libstemmer has no English stemmer");
}

TextAnalyzer::~TextAnalyzer() { sb_stemmer_delete(stemmer_); }

bool TextAnalyzer::is_stop_word(std::string_view folded) {
    return std::binary_search(stop_words.begin(), stop_words.end(), folded);
}

std::string TextAnalyzer::stem(const std::string& folded) {
    if (!ascii_word(folded)) return folded;  // the English stemmer is for English words; other scripts stay whole
    const auto* stemmed = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(folded.data()), static_cast<int>(folded.size()));
    if (!stemmed) throw std::bad_alloc();
    std::string out(reinterpret_cast<const char*>(stemmed), static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
    std::erase(out, '\'');  // "don't" and "dont" are the same word to someone typing
    return out.empty() ? folded : out;
}

std::vector<Token> TextAnalyzer::analyze(std::string_view text) {
    std::vector<Token> tokens;
    std::uint32_t position = 0;
    std::string folded;
    auto emit = [&](std::size_t start, std::size_t end) {
        const auto at = position++;
        if (folded.empty() || folded.size() > max_term_bytes || is_stop_word(folded)) return;
        tokens.push_back({stem(folded), at, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end)});
    };
    std::size_t i = 0;
    while (i < text.size()) {
        auto d = unicode::decode(text, i);
        if (unicode::is_standalone(d.code_point)) {
            folded.clear();
            unicode::fold_into(folded, d.code_point);
            emit(i, i + d.length);
            i += d.length;
            continue;
        }
        if (unicode::is_separator(d.code_point)) {
            i += d.length;
            continue;
        }
        const auto start = i;
        folded.clear();
        while (i < text.size()) {
            d = unicode::decode(text, i);
            if (is_apostrophe(d.code_point) && !folded.empty() && i + d.length < text.size() &&
                is_word_char(unicode::decode(text, i + d.length).code_point)) {
                folded += '\'';
                i += d.length;
                continue;
            }
            if (!is_word_char(d.code_point)) break;
            unicode::fold_into(folded, d.code_point);
            i += d.length;
        }
        emit(start, i);
    }
    return tokens;
}

std::optional<std::string> TextAnalyzer::term(std::string_view word) {
    auto tokens = analyze(word);
    if (tokens.size() != 1) return std::nullopt;
    return std::move(tokens.front().term);
}

std::string TextAnalyzer::fold(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        auto d = unicode::decode(text, i);
        unicode::fold_into(out, d.code_point);
        i += d.length;
    }
    return out;
}

}  // namespace debrief::projections
