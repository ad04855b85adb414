// UTF-8 decoding, word separators and folding for the search analysis.
#include "projections/search/unicode_text.hpp"

#include <algorithm>

#include "projections/search/unicode_fold_table.hpp"

namespace debrief::projections::unicode {
namespace {

struct Range {
    char32_t first, last;
};

// Blocks (or parts of blocks) of punctuation, symbols, spaces and controls beyond ASCII.
constexpr Range separator_ranges[] = {
        {0x0080, 0x00B4}, {0x00B6, 0x00BF}, {0x00D7, 0x00D7}, {0x00F7, 0x00F7},  // C1 controls, Latin-1 punctuation (not µ)
        {0x037E, 0x037E}, {0x0387, 0x0387},                                      // Greek question mark, ano teleia
        {0x055A, 0x055F}, {0x0589, 0x058A},                                      // Armenian punctuation
        {0x05BE, 0x05BE}, {0x05C0, 0x05C0}, {0x05C3, 0x05C3}, {0x05F3, 0x05F4},  // Hebrew punctuation
        {0x060C, 0x060D}, {0x061B, 0x061F}, {0x066A, 0x066D}, {0x06D4, 0x06D4},  // Arabic punctuation
        {0x0964, 0x0965}, {0x0970, 0x0970},                                      // Devanagari danda
        {0x0E4F, 0x0E4F}, {0x0E5A, 0x0E5B},                                      // Thai punctuation
        {0x1680, 0x1680}, {0x2000, 0x206F},                                      // spaces, general punctuation
        {0x20A0, 0x20CF}, {0x2100, 0x214F}, {0x2190, 0x2BFF},                    // currency, letterlike, arrows to symbols
        {0x2E00, 0x2E7F}, {0x3000, 0x3003}, {0x3008, 0x3020}, {0x3030, 0x3030},  // supplemental and CJK punctuation
        {0xE000, 0xF8FF},                                                        // private use
        {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFEFF, 0xFEFF},                    // vertical and small forms, BOM
        {0xFF01, 0xFF0F}, {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65},  // fullwidth punctuation
        {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF},                                    // specials (U+FFFD), emoji and symbols
        {0xE0000, 0xE007F},                                                      // tags
};

// Scripts without spaces between words.
constexpr Range standalone_ranges[] = {
        {0x0E01, 0x0E4E},    // Thai
        {0x3040, 0x30FF},    // Hiragana, Katakana
        {0x3400, 0x4DBF},    // CJK Extension A
        {0x4E00, 0x9FFF},    // CJK Unified Ideographs
        {0xF900, 0xFAFF},    // CJK Compatibility Ideographs
        {0x20000, 0x3134F},  // CJK Extensions B to G
};

template <std::size_t N>
bool in(const Range (&ranges)[N], char32_t c) {
    auto it = std::upper_bound(std::begin(ranges), std::end(ranges), c, [](char32_t v, const Range& r) { return v < r.first; });
    return it != std::begin(ranges) && c <= std::prev(it)->last;
}

}  // namespace

Decoded decode(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return {lead, 1};
    std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (length == 0 || lead > 0xF4 || at + length > text.size()) return {invalid, 1};
    char32_t c = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0) != 0x80) return {invalid, 1};
        c = (c << 6) | (byte(at + i) & 0x3F);
    }
    constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < smallest[length] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return {invalid, 1};
    return {c, length};
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

bool is_separator(char32_t c) {
    if (c < 0x80) return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    return in(separator_ranges, c);
}

bool is_space(char32_t c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_standalone(char32_t c) { return c >= 0x0E01 && in(standalone_ranges, c); }

void fold_into(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        return;
    }
    const auto* end = fold_table + fold_table_size;
    const auto* found = std::lower_bound(fold_table, end, c, [](const FoldEntry& e, char32_t v) { return e.code_point < v; });
    if (found != end && found->code_point == c) {
        out += found->folded;
        return;
    }
    append_utf8(out, c);
}

std::size_t word_characters(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto d = decode(text, i);
        if (!is_separator(d.code_point)) ++count;
        i += d.length;
    }
    return count;
}

}  // namespace debrief::projections::unicode
