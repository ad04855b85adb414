// JSON segments: an array of {"speaker", "start"?, "end"?, "text"} objects (times in seconds), bare or wrapped as
// {"segments": [...]}, as speech-to-text services export them.
#include <cmath>

#include <boost/json.hpp>

#include "commands/transcript/parsers.hpp"

namespace debrief::transcript::detail {
namespace {

namespace json = boost::json;

// 1-based line of a byte offset, counting line breaks the way split_lines does.
int line_at(std::string_view text, std::size_t offset) {
    int line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
    return line;
}

Error bad_segment(std::size_t index, std::string what) {
    return invalid("json_transcript_bad_segment", "(segment " + std::to_string(index + 1) + ") " + what);
}

// Reads "start" or "end": absent (or null, as many exporters write a missing value) is nullopt.
Result<std::optional<double>> read_time(const json::object& segment, std::string_view key, std::size_t index) {
    auto found = segment.find(key);
    if (found == segment.end() || found->value().is_null()) return std::optional<double>{};
    const auto& value = found->value();
    if (!value.is_number()) return bad_segment(index, "\"" + std::string(key) + "\" must be a number of seconds");
    auto seconds = value.to_number<double>();
    if (!std::isfinite(seconds)) return bad_segment(index, "\"" + std::string(key) + "\" is too large");  // 1e999 parses as infinity
    if (seconds < 0) return bad_segment(index, "\"" + std::string(key) + "\" must not be negative");
    return std::optional<double>{seconds};
}

Result<Segment> read_segment(const json::value& value, std::size_t index) {
    if (!value.is_object()) return bad_segment(index, "expected an object with \"speaker\" and \"text\"");
    const auto& object = value.get_object();
    auto speaker = object.find("speaker");
    if (speaker == object.end() || !speaker->value().is_string() || trim(speaker->value().get_string()).empty())
        return bad_segment(index, "\"speaker\" must be a non-empty string");
    auto text = object.find("text");
    if (text == object.end() || !text->value().is_string()) return bad_segment(index, "\"text\" must be a string");
    auto start = read_time(object, "start", index);
    if (!start) return start.error();
    auto end = read_time(object, "end", index);
    if (!end) return end.error();
    if (start->has_value() != end->has_value())
        return bad_segment(index, start->has_value() ? "\"start\" is given without \"end\"" : "\"end\" is given without \"start\"");
    if (start->has_value() && **end < **start) return bad_segment(index, "the segment ends before it starts");
    auto name = collapse_spaces(speaker->value().get_string());
    if (name.size() > max_speaker_length)
        return invalid("transcript_speaker_name", "(segment " + std::to_string(index + 1) + ") a speaker name is longer than 100 characters");
    return Segment{std::move(name), *start, *end, collapse_spaces(text->value().get_string())};
}

}  // namespace

Result<std::vector<Segment>> parse_json(std::string_view text, bool& timed) {
    json::stream_parser parser;
    boost::system::error_code ec;
    auto consumed = parser.write(text.data(), text.size(), ec);  // on error, the offset where parsing stopped
    if (!ec) parser.finish(ec);
    if (ec) return error_at("json_transcript_malformed", line_at(text, consumed), "the transcript is not valid JSON: " + ec.message());
    auto root = parser.release();

    const json::array* items = root.if_array();
    if (auto* wrapper = root.if_object()) {
        auto found = wrapper->find("segments");
        if (found != wrapper->end()) items = found->value().if_array();
    }
    if (!items)
        return error_at("json_transcript_malformed", line_at(text, text.find_first_not_of(" \t\r\n")),
                        "expected a JSON array of segments or {\"segments\": [...]}");

    std::vector<Segment> segments;
    segments.reserve(items->size());
    bool every_segment_timed = true;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto segment = read_segment((*items)[i], i);
        if (!segment) return segment.error();
        every_segment_timed = every_segment_timed && segment->start_seconds.has_value();
        segments.push_back(std::move(segment).value());
    }
    timed = every_segment_timed && !segments.empty();
    if (!timed)
        for (auto& s : segments) {  // a partly timed file is treated as untimed, as in plain transcripts
            s.start_seconds.reset();
            s.end_seconds.reset();
        }
    std::erase_if(segments, [](const Segment& s) { return s.text.empty(); });  // nothing said, nothing to count
    return segments;
}

}  // namespace debrief::transcript::detail
