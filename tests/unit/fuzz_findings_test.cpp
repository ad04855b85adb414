// What the fuzz targets (tests/fuzz/) found, one regression test per finding; each input also joined the seed corpus.
#include <doctest/doctest.h>

#include <string>

#include "tests/unit/transcript_test_support.hpp"

using namespace debrief;
using namespace debrief::transcript;
using namespace debrief::transcript::testing;

TEST_CASE("a speaker name over 100 characters is refused in every format, not only in plain text") {
    const std::string long_name(101, 'a');
    const std::string name_100(100, 'b');
    struct Case {
        Format format;
        std::string text;
        std::string_view where;
    };
    for (const auto& c : {Case{Format::webvtt, "WEBVTT\n\n00:01.000 --> 00:04.000\n<v " + long_name + ">Hello.\n", "line 3: (cue 1)"},
                          Case{Format::srt, "1\n00:00:01,000 --> 00:00:04,000\n<v " + long_name + ">Hello.\n", "line 2: (cue 1)"},
                          Case{Format::json, R"([{"speaker":")" + long_name + R"(","text":"Hello."}])", "(segment 1)"}}) {
        CAPTURE(to_string(c.format));
        auto error = parse_error(c.format, c.text);
        CHECK(error.code == "transcript_speaker_name");
        CHECK(error.message.starts_with(c.where));
    }
    auto at_limit = parsed_ok(Format::webvtt, "WEBVTT\n\n00:01.000 --> 00:04.000\n<v " + name_100 + ">Hello.\n");
    CHECK(at_limit.segments.at(0).speaker == name_100);
}
