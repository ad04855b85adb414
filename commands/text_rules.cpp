// Shared validation rules for text fields: one decoder of UTF-8 and one list of the characters each kind refuses.
#include "commands/text_rules.hpp"

#include <cstdint>
#include <algorithm>
#include <cstdio>

namespace debrief::commands {
namespace {

// Decodes the code point at text[i] and advances i; nullopt for anything that is not well-formed UTF-8
// (truncated, overlong, a surrogate, beyond U+10FFFF).
std::optional<std::uint32_t> next_code_point(std::string_view text, std::size_t& i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
        ++i;
        return c;
    }
    int length = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0 || i + length > text.size()) return std::nullopt;
    std::uint32_t code = c & (0xFF >> (length + 1));
    for (int k = 1; k < length; ++k) {
        auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0) != 0x80) return std::nullopt;
        code = (code << 6) | (next & 0x3F);
    }
    bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return std::nullopt;
    i += length;
    return code;
}

bool is_control(std::uint32_t c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F); }

// Characters that change how the text around them is displayed, or are not displayed at all: bidi embeddings,
// overrides, isolates and marks; zero-width spaces and joiners; fillers and tags that render as nothing.
bool is_invisible_or_bidi(std::uint32_t c) {
    return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 ||
           c == 0x180E || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) ||
           c == 0x3164 || c == 0xFEFF || c == 0xFFA0 || (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE0000 && c <= 0xE007F);
}

std::string describe(std::uint32_t c) {
    char text[16];
    std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
    return text;
}

// " at byte N", and the line for text of several lines: enough to find the character without quoting the text.
std::string where(std::string_view value, std::size_t at) {
    auto text = " at byte " + std::to_string(at);
    if (value.find('\n') == std::string_view::npos) return text;
    auto line = 1 + std::count(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    return text + " (line " + std::to_string(line) + ")";
}

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto at = i;
        if (!next_code_point(text, i)) return at;
    }
    return std::nullopt;
}

std::string with_invalid_utf8_replaced(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto at = i;
        if (next_code_point(text, i)) {
            out.append(text.substr(at, i - at));
        } else {
            out += "\xEF\xBF\xBD";
            i = at + 1;
        }
    }
    return out;
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view blanks = " \t\r\n\f\v";
    auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

std::optional<Error> check_text(std::string_view field, std::string_view value, TextKind kind) {
    std::size_t i = 0, at = 0;
    auto refuse = [&](std::string what) {
        Error error = invalid("invalid_characters", std::string(field) + " " + what + where(value, at));
        error.field = std::string(field);
        return error;
    };
    while (i < value.size()) {
        at = i;
        auto code = next_code_point(value, i);
        if (!code) return refuse("is not valid UTF-8");
        const auto c = *code;
        if (c == '\t' || c == '\n') {
            if (kind == TextKind::multiline) continue;
            return refuse("must be one line, without tabs or line breaks");
        }
        if (is_control(c)) return refuse("must not contain control characters (" + describe(c) + ")");
        if (kind != TextKind::multiline && (c == 0x2028 || c == 0x2029)) return refuse("must be one line, without line or paragraph separators");
        if (kind == TextKind::name && is_invisible_or_bidi(c))
            return refuse("must not contain invisible or text-direction characters (" + describe(c) + ")");
    }
    return std::nullopt;
}

std::optional<Error> check_name(std::string_view field, std::string_view value) {
    auto trimmed = trim(value);
    if (trimmed.empty()) return invalid("missing_field", std::string(field) + " must not be empty");
    if (trimmed.size() > 200) return invalid("field_too_long", std::string(field) + " must be at most 200 characters");
    return check_text(field, trimmed, TextKind::name);
}

std::string normalise_line_breaks(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\r') {
            out += text[i];
            continue;
        }
        out += '\n';
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
    return out;
}

}  // namespace debrief::commands
