// Plain transcripts: "Speaker: text" lines, optionally timestamped ("[00:01:23] Ada: ...", "00:01 Ada: ...",
// "Ada (00:01:23): ..."); a line without a speaker continues the previous turn.
#include <algorithm>
#include <cctype>

#include "commands/transcript/parsers.hpp"

namespace debrief::transcript::detail {
namespace {


struct LineParts {
    std::optional<double> stamp;
    std::string_view speaker;  // empty: a continuation line
    std::string_view text;
};

// Strips a leading "[ts]", "(ts)" or "ts " when ts is a clock time.
std::string_view take_leading_stamp(std::string_view line, std::optional<double>& stamp) {
    if (line.empty()) return line;
    if (line[0] == '[' || line[0] == '(') {
        auto close = line.find(line[0] == '[' ? ']' : ')');
        if (close == std::string_view::npos) return line;
        if (auto t = parse_clock(trim(line.substr(1, close - 1)))) {
            stamp = t;
            return trim(line.substr(close + 1));
        }
        return line;
    }
    auto space = line.find_first_of(" \t");
    if (space == std::string_view::npos) return line;
    if (auto t = parse_clock(line.substr(0, space))) {
        stamp = t;
        return trim(line.substr(space + 1));
    }
    return line;
}

// The "Ada (00:01:23): text" form: the same speaker rule as "Ada: text".
bool looks_like_speaker(std::string_view name, std::string_view after_colon) {
    return speaker_prefix(std::string(name) + ":" + std::string(after_colon)).has_value();
}

LineParts split_line(std::string_view line) {
    LineParts parts;
    line = take_leading_stamp(line, parts.stamp);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
        parts.text = line;
        return parts;
    }
    // "Ada (00:01:23): text": the timestamp sits between the name and the colon.
    auto open = line.find('(');
    if (open != std::string_view::npos && open < colon) {
        auto close = line.find("):", open);
        if (close != std::string_view::npos) {
            if (auto t = parse_clock(trim(line.substr(open + 1, close - open - 1)))) {
                auto name = trim(line.substr(0, open));
                auto rest = line.substr(close + 2);
                if (looks_like_speaker(name, rest)) {
                    if (!parts.stamp) parts.stamp = t;
                    parts.speaker = name;
                    parts.text = trim(rest);
                    return parts;
                }
            }
        }
    }
    if (auto prefix = speaker_prefix(line)) {
        parts.speaker = prefix->name;
        parts.text = prefix->text;
    } else {
        parts.text = line;
    }
    return parts;
}

}  // namespace

Result<std::vector<Segment>> parse_plain(const std::vector<Line>& lines, bool& timed) {
    std::vector<Segment> segments;
    bool every_turn_timed = true;
    std::optional<double> last_stamp;
    for (const auto& line : lines) {
        auto text = trim(line.text);
        if (text.empty()) continue;
        auto parts = split_line(text);
        if (parts.speaker.empty()) {
            if (segments.empty())
                return error_at("transcript_no_speaker", line.number, "expected 'Speaker: text' but found no speaker name");
            auto& previous = segments.back().text;
            auto more = collapse_spaces(parts.text);
            if (!more.empty()) {
                if (!previous.empty()) previous += ' ';
                previous += more;
            }
            continue;
        }
        if (parts.speaker.size() > max_speaker_length)
            return error_at("transcript_speaker_name", line.number, "a speaker name is longer than 100 characters");
        if (parts.stamp) {
            if (last_stamp && *parts.stamp < *last_stamp)
                return error_at("transcript_timestamps_out_of_order", line.number, "this timestamp is earlier than the one before it");
            last_stamp = parts.stamp;
        } else {
            every_turn_timed = false;
        }
        segments.push_back({collapse_spaces(parts.speaker), parts.stamp, std::nullopt, collapse_spaces(parts.text)});
    }
    timed = every_turn_timed && !segments.empty();
    if (!timed)
        for (auto& s : segments) s.start_seconds.reset();  // a partly timed file is treated as untimed
    // Turns with no words (e.g. "Ada:" alone) carry nothing to count.
    std::erase_if(segments, [](const Segment& s) { return s.text.empty(); });
    return segments;
}

}  // namespace debrief::transcript::detail
