// Transcript parsing entry point: input validation shared by every format, and per-participant statistics.
#include "commands/transcript/transcript.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include "commands/text_rules.hpp"
#include "commands/transcript/parsers.hpp"

namespace debrief::transcript {
namespace detail {

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    int number = 1;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\n' && text[i] != '\r') continue;
        lines.push_back({text.substr(start, i - start), number++});
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        start = i + 1;
    }
    if (start < text.size()) lines.push_back({text.substr(start), number});
    return lines;
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view blanks = " \t\f\v\r\n";
    auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

std::optional<double> parse_clock(std::string_view text, bool require_fraction) {
    // Up to three colon-separated integer fields, then an optional fraction.
    double fields[3] = {0, 0, 0};
    int count = 0;
    std::size_t i = 0;
    double fraction = 0;
    bool has_fraction = false;
    while (true) {
        if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
        double value = 0;
        std::size_t digits = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            value = value * 10 + (text[i++] - '0');
            if (++digits > 4) return std::nullopt;
        }
        if (count == 3) return std::nullopt;
        fields[count++] = value;
        if (i == text.size()) break;
        if (text[i] == ':') {
            ++i;
            continue;
        }
        if (text[i] == '.' || text[i] == ',') {
            ++i;
            double scale = 0.1;
            std::size_t fraction_digits = 0;
            while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
                fraction += (text[i++] - '0') * scale;
                scale /= 10;
                ++fraction_digits;
            }
            if (fraction_digits == 0 || i != text.size()) return std::nullopt;
            has_fraction = true;
            break;
        }
        return std::nullopt;
    }
    if (count < 2 || (require_fraction && !has_fraction)) return std::nullopt;
    double hours = count == 3 ? fields[0] : 0;
    double minutes = fields[count - 2];
    double seconds = fields[count - 1];
    if (minutes >= 60 || seconds >= 60) return std::nullopt;
    return hours * 3600 + minutes * 60 + seconds + fraction;
}

std::string collapse_spaces(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            pending_space = !out.empty();
        } else {
            if (pending_space) out += ' ';
            pending_space = false;
            out += c;
        }
    }
    return out;
}

int count_words(std::string_view text) {
    int words = 0;
    bool in_word = false;
    for (char c : text) {
        bool space = std::isspace(static_cast<unsigned char>(c));
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words;
}

Error error_at(std::string code, int line, std::string message) {
    return Error{ErrorKind::invalid, std::move(code), "line " + std::to_string(line) + ": " + message};
}

Result<CueTiming> parse_cue_timing(const Line& line, int cue, std::string_view error_code, std::string_view clock_form) {
    auto text = trim(line.text);
    auto arrow = text.find("-->");
    auto bad = [&](const std::string& what) { return error_at(std::string(error_code), line.number, "(cue " + std::to_string(cue) + ") " + what); };
    if (arrow == std::string_view::npos) return bad("expected a timing line 'start --> end'");
    auto start = parse_clock(trim(text.substr(0, arrow)), true);
    auto after = trim(text.substr(arrow + 3));
    auto end = parse_clock(after.substr(0, after.find_first_of(" \t")), true);  // cue settings or coordinates may follow
    if (!start) return bad("the start time is not " + std::string(clock_form));
    if (!end) return bad("the end time is not " + std::string(clock_form));
    if (*end < *start) return bad("the cue ends before it starts");
    return CueTiming{*start, *end};
}

std::string join_cue_lines(const std::vector<Line>& lines, std::size_t first, std::size_t end) {
    std::string joined;
    for (std::size_t k = first; k < end; ++k) {
        if (!joined.empty()) joined += ' ';
        joined += trim(lines[k].text);
    }
    return joined;
}

std::optional<SpeakerPrefix> speaker_prefix(std::string_view line) {
    constexpr int max_speaker_words = 6;  // a longer "name" before a colon is a sentence, not a speaker
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon > 2 * max_speaker_length) return std::nullopt;
    auto name = trim(line.substr(0, colon));
    auto rest = line.substr(colon + 1);
    if (name.starts_with("- ") || name.starts_with("\xE2\x80\x93 ")) name = trim(name.substr(name.find(' ')));  // "- Ada:" dialogue dash
    if (name.empty() || rest.starts_with("//")) return std::nullopt;
    auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
    if (std::all_of(name.begin(), name.end(), [&](char c) { return is_digit(c) || c == ' '; })) return std::nullopt;
    if (is_digit(name.back()) && !rest.empty() && is_digit(rest.front())) return std::nullopt;  // "At 10:30 we met"
    if (count_words(name) > max_speaker_words) return std::nullopt;
    return SpeakerPrefix{name, trim(rest)};
}

}  // namespace detail

namespace {

constexpr double words_per_second = 150.0 / 60.0;  // a typical conversational pace, for untimed transcripts

std::string fold_case(std::string_view name) {
    std::string key(name);
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

std::vector<ParticipantStats> statistics(const std::vector<Segment>& segments, bool timed) {
    std::vector<ParticipantStats> participants;
    std::unordered_map<std::string, std::size_t> index;
    for (const auto& segment : segments) {
        auto [it, inserted] = index.try_emplace(fold_case(segment.speaker), participants.size());
        if (inserted) participants.push_back({segment.speaker, 0, 0, 0});
        auto& p = participants[it->second];
        int words = detail::count_words(segment.text);
        p.word_count += words;
        p.turn_count += 1;
        if (timed && segment.start_seconds && segment.end_seconds) p.speaking_seconds += *segment.end_seconds - *segment.start_seconds;
    }
    for (auto& p : participants) {
        if (!timed) p.speaking_seconds = p.word_count / words_per_second;
        p.speaking_seconds = std::round(p.speaking_seconds * 10) / 10;
    }
    return participants;
}

}  // namespace

std::size_t parsed_size_bound(const std::vector<Segment>& segments) {
    std::size_t bytes = 0;
    for (const auto& s : segments) bytes += s.speaker.size() + s.text.size() + parsed_bytes_per_segment;
    return bytes;
}

std::optional<Format> format_from_string(std::string_view name) {
    if (name == "plain") return Format::plain;
    if (name == "webvtt" || name == "vtt") return Format::webvtt;
    if (name == "srt") return Format::srt;
    if (name == "json") return Format::json;
    return std::nullopt;
}

std::string_view to_string(Format format) {
    switch (format) {
        case Format::plain: return "plain";
        case Format::webvtt: return "webvtt";
        case Format::srt: return "srt";
        case Format::json: return "json";
    }
    return "plain";  // unreachable: every enumerator is handled above
}

Result<ParsedTranscript> parse(Format format, std::string_view text) {
    if (text.size() > max_transcript_bytes)
        return Error{ErrorKind::too_large, "transcript_too_large", "the transcript is larger than " + std::to_string(max_transcript_bytes) + " bytes"};
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (detail::trim(text).empty()) return invalid("transcript_empty", "the transcript is empty");
    if (auto at = commands::first_invalid_utf8(text)) {
        int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*at), '\n'));
        return detail::error_at("transcript_invalid_utf8", line, "the text is not valid UTF-8");
    }

    ParsedTranscript parsed;
    auto segments = [&]() -> Result<std::vector<Segment>> {
        switch (format) {
            case Format::plain: return detail::parse_plain(detail::split_lines(text), parsed.timed);
            case Format::webvtt: return detail::parse_webvtt(detail::split_lines(text));
            case Format::srt: return detail::parse_srt(detail::split_lines(text));
            case Format::json: return detail::parse_json(text, parsed.timed);
        }
        return invalid("unknown_transcript_format", "unknown transcript format");  // unreachable: every enumerator is handled above
    }();
    if (!segments) return segments.error();
    if (format == Format::webvtt || format == Format::srt) parsed.timed = true;  // every cue has a start and an end
    parsed.segments = std::move(segments).value();
    if (parsed.segments.empty()) return invalid("transcript_empty", "the transcript has no spoken text");
    // Timed plain transcripts only know when a turn starts: it ends when the next one starts.
    if (format == Format::plain && parsed.timed) {
        for (std::size_t i = 0; i < parsed.segments.size(); ++i) {
            auto& s = parsed.segments[i];
            s.end_seconds = i + 1 < parsed.segments.size() ? *parsed.segments[i + 1].start_seconds
                                                            : *s.start_seconds + detail::count_words(s.text) / words_per_second;
        }
    }
    parsed.participants = statistics(parsed.segments, parsed.timed);
    return parsed;
}

}  // namespace debrief::transcript
