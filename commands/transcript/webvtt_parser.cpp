// WebVTT: a "WEBVTT" header, then cues (optional id, "start --> end [settings]", payload lines); the speaker comes
// from a <v Name> voice tag or a "Name:" prefix. NOTE, STYLE and REGION blocks are skipped.
#include <cctype>

#include "commands/transcript/parsers.hpp"

namespace debrief::transcript::detail {
namespace {

std::string decode_entities(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '&') {
            static constexpr std::pair<std::string_view, std::string_view> entities[] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&nbsp;", " "}, {"&quot;", "\""}, {"&apos;", "'"}, {"&lrm;", ""}, {"&rlm;", ""}};
            bool decoded = false;
            for (auto [entity, replacement] : entities)
                if (text.substr(i).starts_with(entity)) {
                    out += replacement;
                    i += entity.size() - 1;
                    decoded = true;
                    break;
                }
            if (decoded) continue;
        }
        out += text[i];
    }
    return out;
}

// Removes markup tags; returns the first voice tag's name through `voice`.
std::string strip_tags(std::string_view payload, std::string& voice) {
    std::string out;
    out.reserve(payload.size());
    std::size_t i = 0;
    while (i < payload.size()) {
        if (payload[i] != '<') {
            out += payload[i++];
            continue;
        }
        auto close = payload.find('>', i);
        if (close == std::string_view::npos) {  // a lone '<' is text
            out += payload.substr(i);
            break;
        }
        auto tag = payload.substr(i + 1, close - i - 1);
        if (voice.empty() && tag.size() > 1 && tag[0] == 'v' && (tag[1] == ' ' || tag[1] == '.' || tag[1] == '\t')) {
            auto space = tag.find_first_of(" \t");
            if (space != std::string_view::npos) voice = collapse_spaces(trim(tag.substr(space + 1)));
        }
        i = close + 1;
    }
    return out;
}

bool starts_block(std::string_view line, std::string_view keyword) {
    return line.starts_with(keyword) && (line.size() == keyword.size() || line[keyword.size()] == ' ' || line[keyword.size()] == '\t');
}

}  // namespace

Result<std::vector<Segment>> parse_webvtt(const std::vector<Line>& lines) {
    std::size_t i = 0;
    while (i < lines.size() && trim(lines[i].text).empty()) ++i;
    if (i == lines.size() || !starts_block(lines[i].text, "WEBVTT"))
        return error_at("webvtt_missing_header", i < lines.size() ? lines[i].number : 1, "a WebVTT file must start with 'WEBVTT'");
    // The header block runs to the first blank line.
    while (i < lines.size() && !trim(lines[i].text).empty()) ++i;

    std::vector<Segment> segments;
    int cue = 0;
    while (i < lines.size()) {
        if (trim(lines[i].text).empty()) {
            ++i;
            continue;
        }
        std::size_t block_end = i;
        while (block_end < lines.size() && !trim(lines[block_end].text).empty()) ++block_end;
        auto first = trim(lines[i].text);
        if (starts_block(first, "NOTE") || starts_block(first, "STYLE") || starts_block(first, "REGION")) {
            i = block_end;
            continue;
        }
        ++cue;
        std::size_t timing = i;
        if (first.find("-->") == std::string_view::npos) timing = i + 1;  // a cue identifier comes first
        auto where = [&](std::size_t at) { return (at < lines.size() ? lines[at].number : lines.back().number); };
        if (timing >= block_end || lines[timing].text.find("-->") == std::string_view::npos)
            return error_at("webvtt_bad_timing", where(timing < block_end ? timing : i),
                            "(cue " + std::to_string(cue) + ") expected a timing line 'start --> end'");
        auto times = parse_cue_timing(lines[timing], cue, "webvtt_bad_timing", "hh:mm:ss.ttt or mm:ss.ttt");
        if (!times) return times.error();
        auto payload = join_cue_lines(lines, timing + 1, block_end);
        std::string voice;
        auto text = collapse_spaces(decode_entities(strip_tags(payload, voice)));
        if (voice.empty())
            if (auto prefix = speaker_prefix(text)) {
                voice = std::string(prefix->name);
                text = std::string(prefix->text);
            }
        auto speaker = voice.empty() ? std::string("Unknown") : decode_entities(voice);
        if (speaker.size() > max_speaker_length)
            return error_at("transcript_speaker_name", lines[timing].number, "(cue " + std::to_string(cue) + ") a speaker name is longer than 100 characters");
        if (!text.empty()) segments.push_back({std::move(speaker), times->start_seconds, times->end_seconds, std::move(text)});
        i = block_end;
    }
    return segments;
}

}  // namespace debrief::transcript::detail
