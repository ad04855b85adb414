// Transcript parsing: plain "Speaker: text" lines (optionally timestamped), WebVTT, SRT and JSON into segments and totals.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace debrief::transcript {

enum class Format { plain, webvtt, srt, json };

std::optional<Format> format_from_string(std::string_view name);  // "plain" | "webvtt" ("vtt") | "srt" | "json"
std::string_view to_string(Format format);

struct Segment {
    std::string speaker;
    std::optional<double> start_seconds;  // absent when the source has no timestamps
    std::optional<double> end_seconds;
    std::string text;
};

struct ParticipantStats {
    std::string name;
    double speaking_seconds = 0;  // measured from timestamps, or estimated from words when untimed
    int word_count = 0;
    int turn_count = 0;
};

struct ParsedTranscript {
    std::vector<Segment> segments;
    std::vector<ParticipantStats> participants;  // in order of first appearance
    bool timed = false;                          // true when speaking time comes from timestamps
};

inline constexpr std::size_t max_transcript_bytes = 512 * 1024;  // keeps each event under events::default_max_event_bytes
// The parse's event carries every segment with its own framing; many short turns make it larger than the text.
inline constexpr std::size_t max_parsed_bytes = 900 * 1024;
inline constexpr std::size_t parsed_bytes_per_segment = 64;  // FlatBuffers table, offsets, times, length prefixes
// An upper bound of the encoded size of the segments of a parse (tests/unit/codec_test.cpp checks it is one).
std::size_t parsed_size_bound(const std::vector<Segment>& segments);

// Pure: no I/O. Errors carry a stable code and where in the message: the line ("line 7: ..."), and for JSON
// segments the segment ("(segment 3) ...").
Result<ParsedTranscript> parse(Format format, std::string_view text);

}  // namespace debrief::transcript
