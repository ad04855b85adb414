// libFuzzer target: one input read as a transcript in each of the four formats (plain, WebVTT, SRT, JSON segments).
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "commands/metrics/csv.hpp"
#include "commands/transcript/parsers.hpp"
#include "commands/transcript/transcript.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace debrief;

namespace {

bool same_name(std::string_view a, std::string_view b) {  // as the statistics fold names: ASCII case only
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

void check_parsed(const transcript::ParsedTranscript& parsed) {
    FUZZ_CHECK(!parsed.segments.empty());
    int turns = 0;
    for (const auto& p : parsed.participants) {
        FUZZ_CHECK(!p.name.empty());
        FUZZ_CHECK(p.turn_count > 0 && p.word_count >= 0);
        FUZZ_CHECK(std::isfinite(p.speaking_seconds) && p.speaking_seconds >= 0);
        turns += p.turn_count;
    }
    FUZZ_CHECK(static_cast<std::size_t>(turns) == parsed.segments.size());
    for (const auto& s : parsed.segments) {
        FUZZ_CHECK(!s.speaker.empty() && s.speaker.size() <= transcript::detail::max_speaker_length);
        FUZZ_CHECK(transcript::detail::trim(s.speaker) == s.speaker && !s.text.empty());
        FUZZ_CHECK(commands::metrics::is_valid_utf8(s.speaker) && commands::metrics::is_valid_utf8(s.text));
        FUZZ_CHECK(s.start_seconds.has_value() == s.end_seconds.has_value() || !parsed.timed);
        if (parsed.timed) FUZZ_CHECK(s.start_seconds && s.end_seconds);
        if (s.start_seconds) FUZZ_CHECK(std::isfinite(*s.start_seconds) && *s.start_seconds >= 0);
        if (s.end_seconds) FUZZ_CHECK(std::isfinite(*s.end_seconds) && *s.end_seconds >= 0);
        bool speaker_known = false;
        for (const auto& p : parsed.participants) speaker_known = speaker_known || same_name(p.name, s.speaker);
        FUZZ_CHECK(speaker_known);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string_view body = text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
    for (auto format : {transcript::Format::plain, transcript::Format::webvtt, transcript::Format::srt, transcript::Format::json}) {
        auto parsed = transcript::parse(format, text);
        if (parsed) {
            check_parsed(parsed.value());
            // Every format refuses text that is not UTF-8, so what it accepts is UTF-8.
            FUZZ_CHECK(commands::metrics::is_valid_utf8(body));
        } else {
            FUZZ_CHECK(!parsed.error().code.empty() && !parsed.error().message.empty());
            if (parsed.error().code == "transcript_invalid_utf8") FUZZ_CHECK(!commands::metrics::is_valid_utf8(body));
        }
    }
    return 0;
}
