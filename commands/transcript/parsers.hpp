// Internal to commands/transcript: the per-format parsers and the helpers they share.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "commands/transcript/transcript.hpp"

namespace debrief::transcript::detail {

struct Line {
    std::string_view text;
    int number = 0;  // 1-based
};

// Splits on \n, \r\n or \r.
std::vector<Line> split_lines(std::string_view text);
std::string_view trim(std::string_view text);
// "h:mm:ss(.fff)", "mm:ss(.fff)" with '.' or ',' before the fraction; require_fraction for WebVTT's strict form.
std::optional<double> parse_clock(std::string_view text, bool require_fraction = false);
// Collapses runs of whitespace to one space.
std::string collapse_spaces(std::string_view text);
int count_words(std::string_view text);
Error error_at(std::string code, int line, std::string message);

// Segments only; statistics are computed once for every format in transcript.cpp.
Result<std::vector<Segment>> parse_plain(const std::vector<Line>& lines, bool& timed);
Result<std::vector<Segment>> parse_webvtt(const std::vector<Line>& lines);

}  // namespace debrief::transcript::detail
