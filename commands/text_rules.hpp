// Small validation rules shared by the deciders: trimming and bounded, printable names.
#pragma once

#include <optional>
#include <string_view>

#include "commands/result.hpp"

namespace debrief::commands {

std::string_view trim(std::string_view text);
// A required, trimmed, 1..200 character field with no control characters; returns the error if it is not.
std::optional<Error> check_name(std::string_view field, std::string_view value);

}  // namespace debrief::commands
