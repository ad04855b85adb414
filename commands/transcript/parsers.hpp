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

// A WebVTT or SRT cue's "start --> end [settings]" line; errors carry the format's code, the line and the cue.
struct CueTiming {
    double start_seconds = 0;
    double end_seconds = 0;
};
Result<CueTiming> parse_cue_timing(const Line& line, int cue, std::string_view error_code, std::string_view clock_form);
// A cue's text lines [first, end), trimmed and joined by single spaces.
std::string join_cue_lines(const std::vector<Line>& lines, std::size_t first, std::size_t end);

inline constexpr std::size_t max_speaker_length = 100;

struct SpeakerPrefix {
    std::string_view name;  // trimmed, without a leading dialogue dash
    std::string_view text;  // what follows the colon, trimmed
};
// The one rule every format uses for "Name: text": a short name (at most 6 words) before the first colon. Not a speaker: a URL ("https://"), a clock time ("At 10:30"), a number, or a sentence with a colon.
std::optional<SpeakerPrefix> speaker_prefix(std::string_view line);

// Segments only; statistics are computed once for every format in transcript.cpp.
Result<std::vector<Segment>> parse_plain(const std::vector<Line>& lines, bool& timed);
Result<std::vector<Segment>> parse_webvtt(const std::vector<Line>& lines);
Result<std::vector<Segment>> parse_srt(const std::vector<Line>& lines);
// The whole text rather than lines: JSON does not care where lines break. Sets timed as parse_plain does.
Result<std::vector<Segment>> parse_json(std::string_view text, bool& timed);

}  // namespace debrief::transcript::detail
