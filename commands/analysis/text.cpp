// Word-level text helpers: speech transcripts mix typographic and ASCII punctuation, so both are folded to ASCII first.
#include "commands/analysis/text.hpp"

#include <cctype>

namespace debrief::analysis::detail {

std::string normalise_punctuation(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        // Every replaced character is a three-byte UTF-8 sequence starting E2 80.
        if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 && static_cast<unsigned char>(text[i + 1]) == 0x80) {
            auto c = static_cast<unsigned char>(text[i + 2]);
            const char* replacement = nullptr;
            if (c == 0x98 || c == 0x99) replacement = "'";
            else if (c == 0x9C || c == 0x9D) replacement = "\"";
            else if (c == 0x93 || c == 0x94) replacement = " - ";
            else if (c == 0xA6) replacement = "...";
            if (replacement) {
                out += replacement;
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_word_byte(char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u >= 0x80;
}

std::vector<Word> words_of(std::string_view text) {
    std::vector<Word> words;
    words.reserve(text.size() / 5 + 1);  // about one word in every five or six bytes of English
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_word_byte(text[i])) {
            ++i;
            continue;
        }
        std::size_t start = i;
        while (i < text.size() && (is_word_byte(text[i]) || (text[i] == '\'' && i + 1 < text.size() && is_word_byte(text[i + 1]))))
            ++i;
        words.push_back({to_lower(text.substr(start, i - start)), start, i});
    }
    return words;
}

bool has_digit(std::string_view text) {
    for (char c : text)
        if (std::isdigit(static_cast<unsigned char>(c))) return true;
    return false;
}

}  // namespace debrief::analysis::detail
