// Transcript parsers for SRT and JSON segments: speakers, times, statistics, tolerated variants and located errors.
#include <doctest/doctest.h>

#include "tests/unit/transcript_test_support.hpp"

using namespace debrief;
using namespace debrief::transcript;
using namespace debrief::transcript::testing;

namespace {

void check_error(const Error& error, std::string_view code, std::string_view message_start, std::string_view mentions) {
    CAPTURE(error.message);
    CHECK(error.code == code);
    CHECK(error.kind == ErrorKind::invalid);
    CHECK(error.message.starts_with(message_start));
    CHECK(error.message.find(mentions) != std::string::npos);
}

const std::string_view coaching_srt =
    "1\n"
    "00:00:01,000 --> 00:00:04,500\n"
    "Coach: Good morning, Priya. How did the\n"
    "<i>week</i> go?\n"
    "\n"
    "2\n"
    "00:00:05,000 --> 00:00:09,250\n"
    "Priya: Honestly, it was <b>hard</b>.\n"
    "I missed two deadlines.\n"
    "\n"
    "3\n"
    "00:00:09.500 --> 00:00:12.000\n"
    "<font color=\"#ffff00\">Coach:</font> What got in the way?\n"
    "\n"
    "4\n"
    "00:00:12,000 --> 00:00:20,250 X1:100 X2:600 Y1:50 Y2:80\n"
    "<v Priya>Meetings. Too many meetings.</v>\n";

}  // namespace

TEST_CASE("SRT: Name: prefixes and voice tags give speakers; cue times give speaking time; tags are dropped") {
    auto parsed = parsed_ok(Format::srt, coaching_srt);
    CHECK(parsed.timed);
    REQUIRE(parsed.segments.size() == 4);
    CHECK(parsed.segments[0].speaker == "Coach");
    CHECK(parsed.segments[0].text == "Good morning, Priya. How did the week go?");  // text lines joined, <i> dropped
    CHECK(parsed.segments[0].start_seconds == doctest::Approx(1.0));
    CHECK(parsed.segments[0].end_seconds == doctest::Approx(4.5));
    CHECK(parsed.segments[1].speaker == "Priya");
    CHECK(parsed.segments[1].text == "Honestly, it was hard. I missed two deadlines.");
    CHECK(parsed.segments[2].speaker == "Coach");  // the name sat inside a <font> tag
    CHECK(parsed.segments[2].text == "What got in the way?");
    CHECK(parsed.segments[2].start_seconds == doctest::Approx(9.5));  // '.' before the milliseconds is accepted
    CHECK(parsed.segments[3].speaker == "Priya");                     // no Name: prefix, so the <v> tag names her
    CHECK(parsed.segments[3].text == "Meetings. Too many meetings.");
    CHECK(parsed.segments[3].end_seconds == doctest::Approx(20.25));  // coordinates after the end time are ignored

    REQUIRE(parsed.participants.size() == 2);
    CHECK(parsed.participants[0].name == "Coach");
    // Coach: 3.5 s + 2.5 s; 8 + 5 words. Priya: 4.25 s + 8.25 s; 8 + 4 words.
    CHECK(stats_of(parsed, "Coach").speaking_seconds == doctest::Approx(6.0));
    CHECK(stats_of(parsed, "Coach").word_count == 13);
    CHECK(stats_of(parsed, "Coach").turn_count == 2);
    CHECK(stats_of(parsed, "Priya").speaking_seconds == doctest::Approx(12.5));
    CHECK(stats_of(parsed, "Priya").word_count == 12);
    CHECK(stats_of(parsed, "Priya").turn_count == 2);
}

TEST_CASE("SRT: a Name: prefix wins over a voice tag, a later Name: stays in the cue, and a cue without a speaker is Unknown") {
    auto parsed = parsed_ok(Format::srt,
                            "1\n"
                            "00:00:00,000 --> 00:00:03,000\n"
                            "<v Sam>Coach: Let us list them.\n"
                            "Priya: Monday stand-up, Tuesday review.\n"
                            "\n"
                            "2\n"
                            "00:00:03,000 --> 00:00:05,000\n"
                            "[laughter]\n"
                            "\n"
                            "3\n"
                            "00:00:05,000 --> 00:00:06,000\n"
                            "See https://example.com/agenda\n"
                            "\n"
                            "4\n"
                            "00:00:06,000 --> 00:00:07,000\n"
                            "Coach: Is 3 < 5 and 7 > 2? I <3 maths.\n");
    REQUIRE(parsed.segments.size() == 4);
    CHECK(parsed.segments[0].speaker == "Coach");
    CHECK(parsed.segments[0].text == "Let us list them. Priya: Monday stand-up, Tuesday review.");
    CHECK(parsed.segments[1].speaker == "Unknown");
    CHECK(parsed.segments[1].text == "[laughter]");
    CHECK(parsed.segments[2].speaker == "Unknown");  // "https:" followed by "//" is not a speaker
    CHECK(parsed.segments[2].text == "See https://example.com/agenda");
    CHECK(parsed.segments[3].text == "Is 3 < 5 and 7 > 2? I <3 maths.");  // a '<' that opens no tag is text
    REQUIRE(parsed.participants.size() == 2);
    CHECK(stats_of(parsed, "Coach").turn_count == 2);
    CHECK(stats_of(parsed, "Coach").speaking_seconds == doctest::Approx(4.0));
    CHECK(stats_of(parsed, "Unknown").speaking_seconds == doctest::Approx(3.0));
}

TEST_CASE("SRT: CRLF endings, a byte order mark, a missing cue number and a non-numeric cue label before a timing line") {
    auto parsed = parsed_ok(Format::srt,
                            "\xEF\xBB\xBF"
                            "1\r\n"
                            "00:00:01,000 --> 00:00:02,500\r\n"
                            "Ada:  Hello   there\r\n"
                            "\r\n"
                            "\r\n"
                            "00:00:03,000 --> 00:00:05,000\r\n"
                            "Bo: No number above me.\r\n"
                            "\r\n"
                            "closing\r\n"
                            "00:00:05,000-->00:00:06,000\r\n"
                            "Ada: Bye\r\n");
    REQUIRE(parsed.segments.size() == 3);
    CHECK(parsed.segments[0].speaker == "Ada");
    CHECK(parsed.segments[0].text == "Hello there");
    CHECK(parsed.segments[1].speaker == "Bo");
    CHECK(parsed.segments[1].start_seconds == doctest::Approx(3.0));
    CHECK(parsed.segments[2].text == "Bye");
    CHECK(parsed.segments[2].start_seconds == doctest::Approx(5.0));
    CHECK(stats_of(parsed, "Ada").speaking_seconds == doctest::Approx(2.5));
    CHECK(stats_of(parsed, "Ada").word_count == 3);
    CHECK(stats_of(parsed, "Bo").speaking_seconds == doctest::Approx(2.0));
}

TEST_CASE("SRT files that cannot be read get srt_bad_timing with the line and the cue") {
    const std::string first_cue = "1\n00:00:01,000 --> 00:00:02,000\nCoach: hi\n\n";
    check_error(parse_error(Format::srt, first_cue + "2\nPriya: no timing here\n"), "srt_bad_timing", "line 6: (cue 2)",
                "expected a timing line");
    check_error(parse_error(Format::srt, "1\nCoach: hello\n"), "srt_bad_timing", "line 2: (cue 1)", "expected a timing line");
    check_error(parse_error(Format::srt, first_cue + "2\n"), "srt_bad_timing", "line 5: (cue 2)", "expected a timing line");
    // Text cut off from its cue by a blank line: not a cue number, and no timing line follows.
    check_error(parse_error(Format::srt, first_cue + "and then I left\n\n3\n00:00:03,000 --> 00:00:04,000\nPriya: ok\n"), "srt_bad_timing",
                "line 5: (cue 2)", "expected a cue number and a timing line");
    check_error(parse_error(Format::srt, "1\n00:00:01 --> 00:00:02,000\nCoach: hi\n"), "srt_bad_timing", "line 2: (cue 1)", "start time");
    check_error(parse_error(Format::srt, "1\n00:00:01,000 --> 00:00:61,000\nCoach: hi\n"), "srt_bad_timing", "line 2: (cue 1)", "end time");
    check_error(parse_error(Format::srt, first_cue + "2\n00:00:09,000 --> 00:00:08,000\nPriya: back in time\n"), "srt_bad_timing",
                "line 6: (cue 2)", "ends before it starts");
    CHECK(parse_error(Format::srt, "1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n").code == "transcript_empty");
}

TEST_CASE("JSON segments: speakers, times, statistics; extra fields ignored, names matched case-insensitively") {
    auto parsed = parsed_ok(Format::json, R"([
  {"speaker": "Coach", "start": 0, "end": 4.5, "text": "Welcome back. How are the calls going?"},
  {"speaker": "Dana  Reyes", "start": 4.5, "end": 12, "text": "Better. My handle time is\ndown to six minutes."},
  {"speaker": "coach", "start": 12.5, "end": 15, "text": "That is a real win.", "confidence": 0.93},
  {"speaker": "Dana Reyes", "start": 15, "end": 15, "text": ""}
])");
    CHECK(parsed.timed);
    REQUIRE(parsed.segments.size() == 3);  // the segment with no text carries nothing to count
    CHECK(parsed.segments[1].speaker == "Dana Reyes");
    CHECK(parsed.segments[1].text == "Better. My handle time is down to six minutes.");
    CHECK(parsed.segments[1].start_seconds == doctest::Approx(4.5));
    CHECK(parsed.segments[1].end_seconds == doctest::Approx(12.0));
    REQUIRE(parsed.participants.size() == 2);
    CHECK(parsed.participants[0].name == "Coach");
    // Coach: 4.5 s + 2.5 s; 7 + 5 words. Dana: 7.5 s; 9 words.
    CHECK(stats_of(parsed, "Coach").speaking_seconds == doctest::Approx(7.0));
    CHECK(stats_of(parsed, "Coach").word_count == 12);
    CHECK(stats_of(parsed, "Coach").turn_count == 2);
    CHECK(stats_of(parsed, "Dana Reyes").speaking_seconds == doctest::Approx(7.5));
    CHECK(stats_of(parsed, "Dana Reyes").word_count == 9);
    CHECK(stats_of(parsed, "Dana Reyes").turn_count == 1);
}

TEST_CASE("JSON segments wrapped as {\"segments\": [...]}, with CRLF endings and a byte order mark") {
    auto parsed = parsed_ok(Format::json,
                            "\xEF\xBB\xBF{\r\n"
                            "  \"language\": \"en\",\r\n"
                            "  \"segments\": [\r\n"
                            "    {\"speaker\": \"Ada\", \"start\": 1, \"end\": 3, \"text\": \"Hi there\"},\r\n"
                            "    {\"speaker\": \"Bo\", \"start\": 3, \"end\": 3.75, \"text\": \"Hello\"}\r\n"
                            "  ]\r\n"
                            "}\r\n");
    CHECK(parsed.timed);
    REQUIRE(parsed.segments.size() == 2);
    CHECK(stats_of(parsed, "Ada").speaking_seconds == doctest::Approx(2.0));
    CHECK(stats_of(parsed, "Ada").word_count == 2);
    CHECK(stats_of(parsed, "Bo").speaking_seconds == doctest::Approx(0.8));  // 0.75 s, rounded to tenths
}

TEST_CASE("JSON segments without times, or with times on some only, are untimed: speaking time comes from words") {
    for (auto text : {R"([{"speaker": "Ada", "text": "one two three four five"}, {"speaker": "Bo", "text": "six seven"}])",
                      R"([{"speaker": "Ada", "start": 0, "end": 9, "text": "one two three four five"}, {"speaker": "Bo", "text": "six seven"}])",
                      R"([{"speaker": "Ada", "start": null, "end": null, "text": "one two three four five"}, {"speaker": "Bo", "text": "six seven"}])"}) {
        CAPTURE(text);
        auto parsed = parsed_ok(Format::json, text);
        CHECK_FALSE(parsed.timed);
        REQUIRE(parsed.segments.size() == 2);
        CHECK_FALSE(parsed.segments[0].start_seconds.has_value());
        CHECK_FALSE(parsed.segments[0].end_seconds.has_value());
        // 150 words a minute: 5 words are 2 seconds, 2 words 0.8.
        CHECK(stats_of(parsed, "Ada").speaking_seconds == doctest::Approx(2.0));
        CHECK(stats_of(parsed, "Bo").speaking_seconds == doctest::Approx(0.8));
    }
}

TEST_CASE("JSON that is not valid JSON, or not a list of segments, gets json_transcript_malformed with its line") {
    check_error(parse_error(Format::json, "[\n  {\"speaker\": \"Ada\", \"text\": \"hi\"},\n  {\"speaker\": \"Bo\" \"text\": \"x\"}\n]"),
                "json_transcript_malformed", "line 3: the transcript is not valid JSON: ", "syntax error");
    check_error(parse_error(Format::json, "[{\"speaker\": \"Ada\","), "json_transcript_malformed", "line 1: the transcript is not valid JSON: ",
                "incomplete");
    check_error(parse_error(Format::json, "[]\r\n[]"), "json_transcript_malformed", "line 2: the transcript is not valid JSON: ", "extra data");
    check_error(parse_error(Format::json, "\n{\"speaker\": \"Ada\", \"text\": \"hi\"}"), "json_transcript_malformed", "line 2: ",
                "expected a JSON array of segments");
    check_error(parse_error(Format::json, "{\"segments\": 3}"), "json_transcript_malformed", "line 1: ", "expected a JSON array of segments");
    CHECK(parse_error(Format::json, "[]").code == "transcript_empty");
    CHECK(parse_error(Format::json, "{\"segments\": []}").code == "transcript_empty");
}

TEST_CASE("JSON segments that cannot be used get json_transcript_bad_segment naming the segment") {
    const std::string good = R"({"speaker": "Ada", "start": 0, "end": 1, "text": "hi"}, )";
    auto bad = [&](std::string segment) { return parse_error(Format::json, "[" + good + segment + "]"); };
    check_error(bad(R"("Bo: hello")"), "json_transcript_bad_segment", "(segment 2) ", "expected an object");
    check_error(bad(R"({"text": "hello"})"), "json_transcript_bad_segment", "(segment 2) ", "\"speaker\" must be a non-empty string");
    check_error(bad(R"({"speaker": "  ", "text": "hello"})"), "json_transcript_bad_segment", "(segment 2) ", "\"speaker\" must be a non-empty string");
    check_error(bad(R"({"speaker": 7, "text": "hello"})"), "json_transcript_bad_segment", "(segment 2) ", "\"speaker\" must be a non-empty string");
    check_error(bad(R"({"speaker": "Bo", "text": 42})"), "json_transcript_bad_segment", "(segment 2) ", "\"text\" must be a string");
    check_error(bad(R"({"speaker": "Bo"})"), "json_transcript_bad_segment", "(segment 2) ", "\"text\" must be a string");
    check_error(bad(R"({"speaker": "Bo", "start": "00:01", "end": 2, "text": "x"})"), "json_transcript_bad_segment", "(segment 2) ",
                "\"start\" must be a number");
    check_error(bad(R"({"speaker": "Bo", "start": 1, "end": true, "text": "x"})"), "json_transcript_bad_segment", "(segment 2) ",
                "\"end\" must be a number");
    check_error(bad(R"({"speaker": "Bo", "start": -1, "end": 2, "text": "x"})"), "json_transcript_bad_segment", "(segment 2) ",
                "\"start\" must not be negative");
    check_error(bad(R"({"speaker": "Bo", "start": 1, "end": 1e999, "text": "x"})"), "json_transcript_bad_segment", "(segment 2) ",
                "\"end\" is too large");
    check_error(bad(R"({"speaker": "Bo", "start": 5, "end": 2, "text": "x"})"), "json_transcript_bad_segment", "(segment 2) ",
                "ends before it starts");
    check_error(bad(R"({"speaker": "Bo", "start": 5, "text": "x"})"), "json_transcript_bad_segment", "(segment 2) ",
                "\"start\" is given without \"end\"");
    check_error(bad(R"({"speaker": "Bo", "end": 5, "text": "x"})"), "json_transcript_bad_segment", "(segment 2) ",
                "\"end\" is given without \"start\"");
}

TEST_CASE("format names: srt and json are known, and every format's name reads back") {
    CHECK(format_from_string("srt") == Format::srt);
    CHECK(format_from_string("json") == Format::json);
    CHECK_FALSE(format_from_string("SRT").has_value());
    CHECK_FALSE(format_from_string("subrip").has_value());
    for (auto format : {Format::plain, Format::webvtt, Format::srt, Format::json}) CHECK(format_from_string(to_string(format)) == format);
    CHECK(to_string(Format::srt) == "srt");
    CHECK(to_string(Format::json) == "json");
}
