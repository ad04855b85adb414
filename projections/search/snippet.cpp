// Choosing a snippet's window over the matched tokens (two pointers, one pass), then widening it to its byte budget
// and cutting it between words.
#include "projections/search/snippet.hpp"

#include <algorithm>
#include <map>

#include "projections/search/unicode_text.hpp"

namespace debrief::projections {
namespace {

constexpr std::string_view ellipsis = "\u2026";

struct Hit {
    std::uint32_t start, end;
    std::string_view term;
};

bool is_continuation(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

// Whether byte p falls inside a well-formed UTF-8 sequence that starts before it (a cut there would split a character).
bool inside_sequence(std::string_view text, std::size_t p) {
    if (p == 0 || p >= text.size() || !is_continuation(text[p])) return false;
    std::size_t start = p;
    while (start > 0 && p - start < 3 && is_continuation(text[start])) --start;
    return start < p && start + unicode::decode(text, start).length > p;
}

// The code point that ends at byte p > 0 and its length (an invalid byte: U+FFFD, one byte).
unicode::Decoded code_point_before(std::string_view text, std::size_t p) {
    std::size_t start = p - 1;
    while (start > 0 && p - start < 4 && is_continuation(text[start])) --start;
    const auto d = unicode::decode(text, start);
    return start + d.length == p ? d : unicode::Decoded{unicode::invalid, 1};
}

enum class Cut { none, between_words, at_space };

// How good a place byte p is to cut the text: at white space, between words (punctuation, or ideographs, which are
// words of their own), or not at all (inside a word or a character).
Cut cut_at(std::string_view text, std::size_t p) {
    if (p == 0 || p >= text.size()) return Cut::at_space;
    if (inside_sequence(text, p)) return Cut::none;
    const auto before = code_point_before(text, p).code_point, after = unicode::decode(text, p).code_point;
    if (unicode::is_space(before) || unicode::is_space(after)) return Cut::at_space;
    const auto breaks = [](char32_t c) { return unicode::is_separator(c) || unicode::is_standalone(c); };
    const auto apostrophe = [](char32_t c) { return c == U'\'' || c == U'\u2019'; };
    if ((apostrophe(before) && !breaks(after)) || (apostrophe(after) && !breaks(before))) return Cut::none;  // "don't" is one word
    return breaks(before) || breaks(after) ? Cut::between_words : Cut::none;
}

// The best cut in [from, to], the one nearest `to` if `latest` (a window's end) else nearest `from` (its start);
// `fallback` if there is none.
std::size_t best_cut(std::string_view text, std::size_t from, std::size_t to, bool latest, std::size_t fallback) {
    std::size_t space = std::string_view::npos, word = std::string_view::npos;
    for (std::size_t p = from; p <= to;) {
        const auto cut = cut_at(text, p);
        if (cut == Cut::at_space && (latest || space == std::string_view::npos)) space = p;
        if (cut != Cut::none && (latest || word == std::string_view::npos)) word = p;
        if (!latest && space != std::string_view::npos) break;
        if (p == text.size()) break;
        p += inside_sequence(text, p) ? 1 : unicode::decode(text, p).length;
    }
    return space != std::string_view::npos ? space : word != std::string_view::npos ? word : fallback;
}

bool only_space(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto d = unicode::decode(text, i);
        if (!unicode::is_space(d.code_point)) return false;
        i += d.length;
    }
    return true;
}

// The largest code-point start at or before p (never below floor).
std::size_t character_start(std::string_view text, std::size_t p, std::size_t floor) {
    while (p > floor && inside_sequence(text, p)) --p;
    return p;
}

}  // namespace

Snippet make_snippet(std::string_view text, const std::vector<Token>& tokens, const std::set<std::string>& matched, std::size_t max_bytes) {
    if (max_bytes == 0 || text.empty()) return {};
    std::vector<Hit> hits;
    for (const auto& token : tokens)
        if (token.start < token.end && token.end <= text.size() && matched.contains(token.term)) hits.push_back({token.start, token.end, token.term});
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.start < b.start; });

    // The run of hits within max_bytes with the most distinct terms, then the most hits, then the earliest.
    std::size_t best_first = 0, best_last = 0, best_distinct = 0, best_count = 0;
    std::map<std::string_view, std::size_t> in_window;  // the window [i, j)'s terms and their counts
    for (std::size_t i = 0, j = 0; i < hits.size(); ++i) {
        j = std::max(j, i);
        while (j < hits.size() && hits[j].end - hits[i].start <= max_bytes) ++in_window[hits[j++].term];
        const auto distinct = j > i ? in_window.size() : 1;  // a word longer than max_bytes is a window of its own
        const auto count = j > i ? j - i : 1;
        if (distinct > best_distinct || (distinct == best_distinct && count > best_count)) {
            std::tie(best_first, best_last, best_distinct, best_count) = std::tuple{i, i + count, distinct, count};
        }
        if (j > i && --in_window[hits[i].term] == 0) in_window.erase(hits[i].term);
    }

    std::size_t start = 0, end = 0;
    bool word_cut = false;  // a single matched word longer than max_bytes, cut
    if (hits.empty()) {
        end = text.size() <= max_bytes ? text.size() : best_cut(text, 1, max_bytes, true, character_start(text, max_bytes, 0));
    } else {
        const std::size_t first = hits[best_first].start, last = hits[best_last - 1].end;
        if (last - first > max_bytes) {
            start = first;
            end = character_start(text, first + max_bytes, first);
            word_cut = true;
        } else {  // the hits centred, and what one end of the text leaves unused given to the other side
            const auto spare = max_bytes - (last - first);
            auto before = std::min(first, spare / 2);
            const auto after = std::min(text.size() - last, spare - before);
            before = std::min(first, spare - after);
            start = before == first ? 0 : best_cut(text, first - before, first, false, first);
            end = last + after == text.size() ? text.size() : best_cut(text, last, last + after, true, last);
        }
    }
    // White space at the edges goes (a hit starts and ends with a word character, so this never reaches one).
    while (start < end && unicode::is_space(unicode::decode(text, start).code_point)) start += unicode::decode(text, start).length;
    while (end > start && unicode::is_space(code_point_before(text, end).code_point)) end -= code_point_before(text, end).length;
    if (start >= end) return {};

    Snippet snippet;
    if (!only_space(text.substr(0, start))) snippet.text = ellipsis;
    const auto offset = snippet.text.size();
    snippet.text += text.substr(start, end - start);
    if (!only_space(text.substr(end))) snippet.text += ellipsis;
    for (const auto& hit : hits) {
        const bool inside = hit.start >= start && hit.end <= end;
        if (!inside && !(word_cut && hit.start == start)) continue;
        const auto to = std::min<std::size_t>(hit.end, end);
        snippet.highlights.emplace_back(static_cast<std::uint32_t>(offset + hit.start - start), static_cast<std::uint32_t>(offset + to - start));
    }
    return snippet;
}

}  // namespace debrief::projections
