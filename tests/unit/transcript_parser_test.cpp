// Transcript parsers: plain "Speaker: text" (timed or not) and WebVTT, their statistics and their located errors.
#include <doctest/doctest.h>

#include "tests/unit/transcript_test_support.hpp"

using namespace debrief;
using namespace debrief::transcript;
using namespace debrief::transcript::testing;

TEST_CASE("plain lines without timestamps: speakers in order of appearance, words counted, time estimated from words") {
    auto parsed = parsed_ok(Format::plain,
                            "Coach: How was the week?\n"
                            "Maria: Busy but good.\n"
                            "I finally finished the report.\n"
                            "\n"
                            "Coach: Great.\n");
    CHECK_FALSE(parsed.timed);
    REQUIRE(parsed.segments.size() == 3);
    CHECK(parsed.segments[1].text == "Busy but good. I finally finished the report.");  // a line without a speaker continues the turn
    CHECK_FALSE(parsed.segments[0].start_seconds.has_value());
    REQUIRE(parsed.participants.size() == 2);
    CHECK(parsed.participants[0].name == "Coach");
    CHECK(stats_of(parsed, "Coach").word_count == 5);
    CHECK(stats_of(parsed, "Coach").turn_count == 2);
    CHECK(stats_of(parsed, "Maria").word_count == 8);
    // 150 words a minute: 8 words are 3.2 seconds.
    CHECK(stats_of(parsed, "Maria").speaking_seconds == doctest::Approx(3.2));
}

TEST_CASE("plain lines with timestamps in each accepted form: a turn lasts until the next one starts") {
    for (auto text : {"[00:00:05] Ada: one two\n[00:00:15] Bo: three\n[00:01:00] Ada: four five six seven eight\n",
                      "00:05 Ada: one two\n00:15 Bo: three\n01:00 Ada: four five six seven eight\n",
                      "Ada (00:00:05): one two\nBo (00:00:15): three\nAda (00:01:00): four five six seven eight\n",
                      "(0:00:05) Ada: one two\n(0:00:15) Bo: three\n(0:01:00.0) Ada: four five six seven eight\n"}) {
        CAPTURE(text);
        auto parsed = parsed_ok(Format::plain, text);
        CHECK(parsed.timed);
        REQUIRE(parsed.segments.size() == 3);
        CHECK(parsed.segments[0].start_seconds == doctest::Approx(5));
        CHECK(parsed.segments[0].end_seconds == doctest::Approx(15));
        CHECK(parsed.segments[1].end_seconds == doctest::Approx(60));
        // The last turn has no successor: its length is estimated from its 5 words.
        CHECK(parsed.segments[2].end_seconds == doctest::Approx(62));
        CHECK(stats_of(parsed, "Ada").speaking_seconds == doctest::Approx(12));
        CHECK(stats_of(parsed, "Bo").speaking_seconds == doctest::Approx(45));
    }
}

TEST_CASE("a transcript with timestamps on some turns only is treated as untimed") {
    auto parsed = parsed_ok(Format::plain, "[00:00:05] Ada: one two\nBo: three\n");
    CHECK_FALSE(parsed.timed);
    CHECK_FALSE(parsed.segments[0].start_seconds.has_value());
}

TEST_CASE("colons that do not introduce a speaker stay in the text") {
    auto parsed = parsed_ok(Format::plain,
                            "Coach: See https://example.com/notes for details.\n"
                            "The agenda for today, as we agreed last week in the review: one thing.\n"
                            "Maria: At 10:30 I have a call.\n"
                            "At 10:30 we met in the lobby.\n"
                            "- Bo: Dialogue dashes are fine.\n");
    REQUIRE(parsed.segments.size() == 3);
    CHECK(parsed.segments[0].text ==
          "See https://example.com/notes for details. The agenda for today, as we agreed last week in the review: one thing.");
    CHECK(parsed.segments[1].text == "At 10:30 I have a call. At 10:30 we met in the lobby.");  // a clock time, not a speaker "At 10"
    CHECK(parsed.segments[2].speaker == "Bo");
}

TEST_CASE("speaker names match case-insensitively and keep their first spelling") {
    auto parsed = parsed_ok(Format::plain, "Maria Lopez: hi\nmaria lopez: again\nCoach: ok\n");
    REQUIRE(parsed.participants.size() == 2);
    CHECK(parsed.participants[0].name == "Maria Lopez");
    CHECK(parsed.participants[0].turn_count == 2);
}

TEST_CASE("CRLF and CR line endings, a byte order mark and extra spaces are handled") {
    auto parsed = parsed_ok(Format::plain, "\xEF\xBB\xBF" "Coach:   Hello   there\r\nMaria: Hi\rCoach: Bye\r\n");
    REQUIRE(parsed.segments.size() == 3);
    CHECK(parsed.segments[0].speaker == "Coach");
    CHECK(parsed.segments[0].text == "Hello there");
    CHECK(parsed.segments[2].text == "Bye");
}

TEST_CASE("UTF-8 names and text are kept; invalid UTF-8 is refused with its line") {
    auto parsed = parsed_ok(Format::plain, "Zoë Müller: Grüß dich, 你好\nCoach: Hej\n");
    CHECK(parsed.participants[0].name == "Zoë Müller");
    CHECK(parsed.participants[0].word_count == 3);
    auto error = parse_error(Format::plain, "Coach: fine\nMaria: broken \xC3\x28 byte\n");
    CHECK(error.code == "transcript_invalid_utf8");
    CHECK(error.message.starts_with("line 2:"));
    CHECK(parse_error(Format::plain, "Coach: overlong \xC0\xAF\n").code == "transcript_invalid_utf8");
    CHECK(parse_error(Format::plain, "Coach: surrogate \xED\xA0\x80\n").code == "transcript_invalid_utf8");
}

TEST_CASE("plain transcripts that cannot be read get a located, stable error") {
    CHECK(parse_error(Format::plain, "").code == "transcript_empty");
    CHECK(parse_error(Format::plain, "  \n\t\n").code == "transcript_empty");
    CHECK(parse_error(Format::plain, "Coach:\nMaria:   \n").code == "transcript_empty");
    auto no_speaker = parse_error(Format::plain, "\n\nhello without a speaker\nCoach: hi\n");
    CHECK(no_speaker.code == "transcript_no_speaker");
    CHECK(no_speaker.message.starts_with("line 3:"));
    auto backwards = parse_error(Format::plain, "[00:01:00] Ada: a\n[00:00:30] Bo: b\n");
    CHECK(backwards.code == "transcript_timestamps_out_of_order");
    CHECK(backwards.message.starts_with("line 2:"));
    auto huge = parse_error(Format::plain, "Coach: " + std::string(max_transcript_bytes, 'x'));
    CHECK(huge.code == "transcript_too_large");
    CHECK(huge.kind == ErrorKind::too_large);
}

TEST_CASE("WebVTT: voice tags, Name: cues, cue identifiers, settings, entities and skipped blocks") {
    auto parsed = parsed_ok(Format::webvtt,
                            "WEBVTT - weekly review\n"
                            "Kind: captions\n"
                            "\n"
                            "NOTE recorded on the agent floor\n"
                            "\n"
                            "STYLE\n"
                            "::cue { color: yellow }\n"
                            "\n"
                            "intro\n"
                            "00:00:01.000 --> 00:00:04.000 align:start position:10%\n"
                            "<v.coach Coach Sam>Welcome <b>back</b>,\n"
                            "everyone.</v>\n"
                            "\n"
                            "00:04.500 --> 00:07.000\n"
                            "Priya: Thanks &amp; hello.\n"
                            "\n"
                            "3\n"
                            "00:00:07.250 --> 00:00:09.250\n"
                            "<v Coach Sam>Let us start.\n");
    CHECK(parsed.timed);
    REQUIRE(parsed.segments.size() == 3);
    CHECK(parsed.segments[0].speaker == "Coach Sam");
    CHECK(parsed.segments[0].text == "Welcome back, everyone.");
    CHECK(parsed.segments[0].start_seconds == doctest::Approx(1.0));
    CHECK(parsed.segments[0].end_seconds == doctest::Approx(4.0));
    CHECK(parsed.segments[1].speaker == "Priya");
    CHECK(parsed.segments[1].text == "Thanks & hello.");
    REQUIRE(parsed.participants.size() == 2);
    CHECK(stats_of(parsed, "Coach Sam").speaking_seconds == doctest::Approx(5.0));
    CHECK(stats_of(parsed, "Coach Sam").turn_count == 2);
    CHECK(stats_of(parsed, "Priya").speaking_seconds == doctest::Approx(2.5));
}

TEST_CASE("WebVTT cues without a voice are attributed to Unknown rather than dropped") {
    auto parsed = parsed_ok(Format::webvtt, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nsomething was said\n");
    REQUIRE(parsed.segments.size() == 1);
    CHECK(parsed.segments[0].speaker == "Unknown");
}

TEST_CASE("WebVTT files that cannot be read get a located, stable error") {
    auto no_header = parse_error(Format::webvtt, "\n00:00:01.000 --> 00:00:02.000\n<v A>hi\n");
    CHECK(no_header.code == "webvtt_missing_header");
    CHECK(no_header.message.starts_with("line 2:"));
    auto no_timing = parse_error(Format::webvtt, "WEBVTT\n\nfirst\nsecond line without timing\n");
    CHECK(no_timing.code == "webvtt_bad_timing");
    CHECK(no_timing.message.find("cue 1") != std::string::npos);
    auto bad_clock = parse_error(Format::webvtt, "WEBVTT\n\n00:00:01 --> 00:00:02.000\n<v A>hi\n");  // WebVTT needs milliseconds
    CHECK(bad_clock.code == "webvtt_bad_timing");
    CHECK(bad_clock.message.starts_with("line 3:"));
    auto backwards = parse_error(Format::webvtt, "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\n<v A>hi\n");
    CHECK(backwards.code == "webvtt_bad_timing");
    CHECK(backwards.message.find("ends before it starts") != std::string::npos);
    CHECK(parse_error(Format::webvtt, "WEBVTT\n\nNOTE only a note\n").code == "transcript_empty");
}

TEST_CASE("format names: plain, webvtt and its vtt alias, srt, json; anything else is unknown") {
    CHECK(format_from_string("plain") == Format::plain);
    CHECK(format_from_string("webvtt") == Format::webvtt);
    CHECK(format_from_string("vtt") == Format::webvtt);
    CHECK(format_from_string("srt") == Format::srt);
    CHECK(format_from_string("json") == Format::json);
    CHECK_FALSE(format_from_string("docx").has_value());
    CHECK_FALSE(format_from_string("PLAIN").has_value());
}
