// Shared validation rules for names and short text fields.
#include "commands/text_rules.hpp"

#include <algorithm>
#include <string>

namespace debrief::commands {

std::string_view trim(std::string_view text) {
    constexpr std::string_view blanks = " \t\r\n\f\v";
    auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

std::optional<Error> check_name(std::string_view field, std::string_view value) {
    auto trimmed = trim(value);
    if (trimmed.empty()) return invalid("missing_field", std::string(field) + " must not be empty");
    if (trimmed.size() > 200) return invalid("field_too_long", std::string(field) + " must be at most 200 characters");
    if (std::any_of(trimmed.begin(), trimmed.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        return invalid("invalid_characters", std::string(field) + " must not contain control characters");
    return std::nullopt;
}

}  // namespace debrief::commands
