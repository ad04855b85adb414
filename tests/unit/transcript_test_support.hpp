// Helpers shared by the transcript parser tests: parse and require success or failure, find a speaker's totals.
#pragma once

#include <doctest/doctest.h>

#include <stdexcept>
#include <string_view>

#include "commands/transcript/transcript.hpp"

namespace debrief::transcript::testing {

inline ParsedTranscript parsed_ok(Format format, std::string_view text) {
    auto parsed = parse(format, text);
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().code + ": " + parsed.error().message));
    return parsed.value();
}

inline Error parse_error(Format format, std::string_view text) {
    auto parsed = parse(format, text);
    REQUIRE_FALSE(parsed.ok());
    return parsed.error();
}

inline const ParticipantStats& stats_of(const ParsedTranscript& parsed, std::string_view name) {
    for (const auto& p : parsed.participants)
        if (p.name == name) return p;
    FAIL("no participant " << name);
    throw std::logic_error("unreachable");
}

}  // namespace debrief::transcript::testing
