// What a text field may hold: UTF-8 only, no control characters, one line where one line is meant, and names that
// cannot hide or reverse characters.
#include <doctest/doctest.h>

#include "commands/session.hpp"
#include "commands/text_rules.hpp"
#include "commands/transcript/transcript.hpp"

using namespace debrief;
using commands::check_text;
using commands::TextKind;

TEST_CASE("text of every kind is UTF-8 without NUL, DEL or C0/C1 control characters") {
    const char* refused[] = {
        "a\0b",          // NUL (the string literal's length is taken below)
        "a\x01" "b",     // C0
        "a\x1b[31mb",    // an escape sequence
        "a\x7f" "b",     // DEL
        "a\xC2\x85" "b", // C1 NEL
        "a\xC2\x9B" "b", // C1 CSI
        "a\xC0\xAF",     // overlong
        "a\xED\xA0\x80", // a UTF-16 surrogate
        "a\xE2\x82",     // truncated
        "a\rb",          // a lone carriage return
    };
    const std::size_t lengths[] = {3, 3, 7, 3, 4, 4, 3, 4, 3, 3};
    for (std::size_t i = 0; i < std::size(refused); ++i) {
        std::string_view value(refused[i], lengths[i]);
        CAPTURE(i);
        for (auto kind : {TextKind::multiline, TextKind::line, TextKind::name}) {
            auto bad = check_text("text", value, kind);
            REQUIRE(bad);
            CHECK(bad->code == "invalid_characters");
            CHECK(bad->field == "text");
            CHECK(bad->kind == ErrorKind::invalid);
        }
    }
    CHECK_FALSE(check_text("text", "Zoë – 日本語 – مرحبا – 🙂", TextKind::name));
}

TEST_CASE("tab and line feed only in multi-line text; line and paragraph separators never in one line") {
    for (std::string_view value : {"a\tb", "a\nb", "a\xE2\x80\xA8" "b", "a\xE2\x80\xA9" "b"}) {
        CAPTURE(value);
        CHECK(check_text("title", value, TextKind::line));
        CHECK(check_text("name", value, TextKind::name));
    }
    CHECK_FALSE(check_text("text", "line one\n\tline two", TextKind::multiline));
    auto bad = check_text("text", "one\ntwo\nth\x01ree", TextKind::multiline);
    REQUIRE(bad);
    CHECK(bad->message.find("line 3") != std::string::npos);  // where, without quoting the text
    CHECK(bad->message.find("th") == std::string::npos);
}

TEST_CASE("names refuse bidi controls and invisible characters that other text may hold") {
    const char* invisible[] = {
        "\xE2\x80\xAE" "ecarG",  // U+202E right-to-left override
        "Gr\xE2\x80\x8B" "ace",  // U+200B zero-width space
        "Gr\xE2\x80\x8D" "ace",  // U+200D zero-width joiner
        "Grace\xE2\x81\xA6",     // U+2066 left-to-right isolate
        "Gr\xEF\xBB\xBF" "ace",  // U+FEFF zero-width no-break space
        "Gr\xC2\xAD" "ace",      // U+00AD soft hyphen
        "Gr\xE2\x80\x8F" "ace",  // U+200F right-to-left mark
        "Grace\xF3\xA0\x80\x81", // U+E0001 language tag
    };
    for (auto value : invisible) {
        CAPTURE(value);
        auto bad = commands::check_name("name", value);
        REQUIRE(bad);
        CHECK(bad->code == "invalid_characters");
        CHECK_FALSE(check_text("text", value, TextKind::multiline));  // notes and transcripts may quote any script
    }
    CHECK_FALSE(commands::check_name("name", "Grace Hopper"));
    CHECK_FALSE(commands::check_name("name", "محمد"));
}

TEST_CASE("line breaks are normalised to LF and a leading byte order mark is dropped") {
    CHECK(commands::normalise_line_breaks("a\r\nb\rc\nd") == "a\nb\nc\nd");
    CHECK(commands::normalise_line_breaks("\xEF\xBB\xBF" "A: hi\r\n") == "A: hi\n");
    CHECK(commands::normalise_line_breaks("") == "");
}

namespace {
commands::CreateSession session_with(std::string format, std::string text) {
    commands::CreateSession command;
    command.actor = {UserId{"coach-1"}, OrganizationId{"org-1"}, "coach"};
    command.session_id = SessionId{"session-1"};
    command.session_date = "2026-11-20";
    command.session_type = "individual";
    command.transcript_format = std::move(format);
    command.transcript_text = std::move(text);
    return command;
}
}  // namespace

TEST_CASE("a transcript is refused before anything is appended when a speaker name or a segment holds what names or text may not") {
    struct Case {
        const char* what;
        const char* format;
        std::string text;
    };
    std::vector<Case> cases{
        {"a right-to-left override in a plain speaker", "plain", "Coach: Hi.\n\xE2\x80\xAE" "ecarG: Hello."},
        {"a zero-width space in a WebVTT voice", "webvtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Gr\xE2\x80\x8B" "ace>Hello.\n"},
        {"a NUL in plain text", "plain", std::string("Coach: a\0b", 10)},
        {"a control character in SRT", "srt", "1\n00:00:01,000 --> 00:00:02,000\nCoach: a\x01" "b\n"},
        {"an escaped NUL inside a JSON segment", "json", R"([{"speaker":"Coach","text":"a\u0000b"}])"},
        {"an escaped override in a JSON speaker", "json", R"([{"speaker":"\u202EecarG","text":"hello"}])"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        auto events = commands::decide(commands::SessionState{}, session_with(c.format, c.text), {});
        REQUIRE_FALSE(events.ok());
        CHECK(events.error().code == "invalid_characters");
        CHECK(events.error().field == "transcript.text");
    }
}

TEST_CASE("an accepted transcript is stored with LF line breaks and without a byte order mark") {
    auto events = commands::decide(commands::SessionState{}, session_with("plain", "\xEF\xBB\xBF" "Coach: Hi.\r\nMaria: Hello.\r\n"), {});
    REQUIRE(events.ok());
    const auto* uploaded = std::get_if<events::TranscriptUploaded>(&events.value().at(1));
    REQUIRE(uploaded);
    CHECK(uploaded->text == "Coach: Hi.\nMaria: Hello.\n");
}

TEST_CASE("a transcript of so many short turns that its parse would not fit in a Kafka record is refused at creation") {
    std::string text;
    for (int i = 0; i < 50000; ++i) text += i % 2 ? "Coach: ok\n" : "Maria: ya\n";
    REQUIRE(text.size() <= debrief::transcript::max_transcript_bytes);
    auto events = commands::decide(commands::SessionState{}, session_with("plain", text), {});
    REQUIRE_FALSE(events.ok());
    CHECK(events.error().code == "transcript_too_large");
    CHECK(events.error().kind == ErrorKind::too_large);
}

TEST_CASE("bytes that are not UTF-8 are replaced by U+FFFD, so outside text can be echoed in JSON (a fuzzer finding)") {
    CHECK(commands::with_invalid_utf8_replaced("Dt\xF2\xFF" "x") == "Dt\xEF\xBF\xBD\xEF\xBF\xBD" "x");
    CHECK(commands::with_invalid_utf8_replaced("Zoë") == "Zoë");
    CHECK(commands::is_valid_utf8(commands::with_invalid_utf8_replaced("\xC0\xAF\xED\xA0\x80\xE2\x82")));
}
