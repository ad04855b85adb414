// SRT (SubRip): numbered cues of "hh:mm:ss,mmm --> hh:mm:ss,mmm" and text lines; the speaker comes from a "Name:"
// prefix or a <v Name> tag, formatting tags (<i>, <b>, <font ...>) are dropped.
#include <cctype>

#include "commands/transcript/parsers.hpp"

namespace debrief::transcript::detail {
namespace {


bool is_cue_number(std::string_view line) {
    return !line.empty() && line.find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_timing_line(std::string_view line) { return line.find("-->") != std::string_view::npos; }

// Drops "<i>", "</b>", "<font color=...>" and the like; returns the first <v Name> tag's name through `voice`.
// A '<' that does not open a tag ("a < b", "<3") is text.
std::string strip_tags(std::string_view payload, std::string& voice) {
    std::string out;
    out.reserve(payload.size());
    std::size_t i = 0;
    std::size_t close = payload.find('>');  // kept between tags: searching again from every '<' would be quadratic
    while (i < payload.size()) {
        if (payload[i] != '<') {
            out += payload[i++];
            continue;
        }
        if (close != std::string_view::npos && close < i) close = payload.find('>', i);
        if (close == std::string_view::npos) {  // no '>' left: the rest is text
            out += payload.substr(i);
            break;
        }
        auto tag = payload.substr(i + 1, close - i - 1);
        auto name = tag.starts_with('/') ? tag.substr(1) : tag;
        if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0])) || payload.find('<', i + 1) < close) {
            out += payload[i++];
            continue;
        }
        if (voice.empty() && tag.size() > 1 && tag[0] == 'v' && (tag[1] == ' ' || tag[1] == '.' || tag[1] == '\t')) {
            auto space = tag.find_first_of(" \t");
            if (space != std::string_view::npos) voice = collapse_spaces(trim(tag.substr(space + 1)));
        }
        i = close + 1;
    }
    return out;
}

}  // namespace

Result<std::vector<Segment>> parse_srt(const std::vector<Line>& lines) {
    std::vector<Segment> segments;
    int cue = 0;  // counts cues in the file, like WebVTT's errors; the file's own numbers may skip or repeat
    std::size_t i = 0;
    while (i < lines.size()) {
        if (trim(lines[i].text).empty()) {
            ++i;
            continue;
        }
        std::size_t block_end = i;
        while (block_end < lines.size() && !trim(lines[block_end].text).empty()) ++block_end;
        ++cue;
        auto first = trim(lines[i].text);
        std::size_t timing = is_timing_line(first) ? i : i + 1;  // the cue number may be missing
        if (timing >= block_end || !is_timing_line(lines[timing].text)) {
            auto where = timing < block_end ? timing : i;
            std::string what = "expected a timing line 'hh:mm:ss,mmm --> hh:mm:ss,mmm'";
            // A first line that is not a cue number is tolerated only before a timing line; otherwise it is most
            // likely cue text cut off from its cue by a blank line, so point at it.
            if (timing == i + 1 && !is_cue_number(first)) {
                where = i;
                what = "expected a cue number and a timing line 'hh:mm:ss,mmm --> hh:mm:ss,mmm'";
            }
            return error_at("srt_bad_timing", lines[where].number, "(cue " + std::to_string(cue) + ") " + what);
        }
        auto times = parse_cue_timing(lines[timing], cue, "srt_bad_timing", "hh:mm:ss,mmm");
        if (!times) return times.error();
        auto payload = join_cue_lines(lines, timing + 1, block_end);
        std::string voice;
        auto text = collapse_spaces(strip_tags(payload, voice));
        // A "Name:" prefix wins over a voice tag: it is how most SRT exports label speakers. Only the cue's first
        // prefix counts; a later "Other:" stays in the text of this one segment.
        if (auto prefix = speaker_prefix(text)) {
            voice = std::string(prefix->name);
            text = std::string(prefix->text);
        }
        if (voice.size() > max_speaker_length)
            return error_at("transcript_speaker_name", lines[timing].number, "(cue " + std::to_string(cue) + ") a speaker name is longer than 100 characters");
        if (!text.empty()) segments.push_back({voice.empty() ? "Unknown" : voice, times->start_seconds, times->end_seconds, std::move(text)});
        i = block_end;
    }
    return segments;
}

}  // namespace debrief::transcript::detail
