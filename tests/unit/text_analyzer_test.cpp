// Search text analysis: words in any script, folded, stop words out with their positions kept, English stemmed,
// offsets that point back at the words, and nothing a hostile text can break.
#include <doctest/doctest.h>

#include "projections/search/text_analyzer.hpp"
#include "projections/search/unicode_text.hpp"

using namespace debrief::projections;

namespace {
std::vector<std::string> terms(TextAnalyzer& analyzer, std::string_view text) {
    std::vector<std::string> out;
    for (const auto& token : analyzer.analyze(text)) out.push_back(token.term);
    return out;
}
}  // namespace

TEST_CASE("English words are folded and stemmed, stop words leave gaps in the positions, offsets point at the words") {
    TextAnalyzer analyzer;
    const std::string text = "Struggled with Time Management; struggling again, and she STRUGGLES.";
    auto tokens = analyzer.analyze(text);
    std::vector<std::string> words;
    std::vector<std::uint32_t> positions;
    for (const auto& token : tokens) {
        words.push_back(text.substr(token.start, token.end - token.start));
        positions.push_back(token.position);
    }
    CHECK(terms(analyzer, text) == std::vector<std::string>{"struggl", "time", "manag", "struggl", "again", "she", "struggl"});
    CHECK(words == std::vector<std::string>{"Struggled", "Time", "Management", "struggling", "again", "she", "STRUGGLES"});
    CHECK(positions == std::vector<std::uint32_t>{0, 2, 3, 4, 5, 7, 8});  // "with" is 1, "and" is 6
    CHECK(analyzer.term("Struggling") == "struggl");
    CHECK(analyzer.term("managers") == analyzer.term("management"));
    CHECK_FALSE(analyzer.term("the").has_value());
    CHECK_FALSE(analyzer.term("two words").has_value());
    CHECK_FALSE(analyzer.term("...").has_value());
    for (const auto* word : {"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of", "on",
                             "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with"})
        CHECK_MESSAGE(TextAnalyzer::is_stop_word(word), word);
    CHECK_FALSE(TextAnalyzer::is_stop_word("time"));
}

TEST_CASE("case and Latin accents fold away, in composed and decomposed forms, and apostrophes keep a word whole") {
    TextAnalyzer analyzer;
    CHECK(terms(analyzer, "Café CAFÉ cafe cafe\xcc\x81") == std::vector<std::string>{"cafe", "cafe", "cafe", "cafe"});
    CHECK(terms(analyzer, "Zoë Łukasz Ærøskøbing straße") == std::vector<std::string>{"zoe", "lukasz", "aeroskob", "strass"});
    CHECK(terms(analyzer, "Marcus's plan, Marcus\xe2\x80\x99s plan, don't, dont") ==
          std::vector<std::string>{"marcus", "plan", "marcus", "plan", "dont", "dont"});
    CHECK(terms(analyzer, "'quoted' words'") == std::vector<std::string>{"quot", "word"});
    CHECK(TextAnalyzer::fold("Ünïcode ÀÉÎÕÜ") == "unicode aeiou");
}

TEST_CASE("other scripts are indexed, not dropped: Greek and Cyrillic fold their case, ideographs are words of their own") {
    TextAnalyzer analyzer;
    CHECK(terms(analyzer, "ΣΟΦΊΑ σοφία") == std::vector<std::string>{"σοφια", "σοφια"});
    CHECK(terms(analyzer, "Привет, МИР!") == std::vector<std::string>{"привет", "мир"});
    CHECK(terms(analyzer, "مرحبا بالعالم") == std::vector<std::string>{"مرحبا", "بالعالم"});
    CHECK(terms(analyzer, "नमस्ते दुनिया।") == std::vector<std::string>{"नमस्ते", "दुनिया"});
    const std::string japanese = "時間管理が課題です。";
    auto tokens = analyzer.analyze(japanese);
    REQUIRE(tokens.size() == 9);  // each ideograph and kana, not the full stop
    CHECK(tokens[0].term == "時");
    CHECK(japanese.substr(tokens[3].start, tokens[3].end - tokens[3].start) == "理");
    for (std::size_t i = 0; i < tokens.size(); ++i) CHECK(tokens[i].position == i);  // a phrase of ideographs lines up
    CHECK(terms(analyzer, "Ｆｕｌｌｗｉｄｔｈ ﬁle") == std::vector<std::string>{"fullwidth", "file"});
}

TEST_CASE("punctuation, symbols and emoji separate words; numbers are words") {
    TextAnalyzer analyzer;
    CHECK(terms(analyzer, "call\xe2\x80\x94the supplier \xf0\x9f\x99\x82 by Friday! (CSAT 4.6, 92%)") ==
          std::vector<std::string>{"call", "supplier", "friday", "csat", "4", "6", "92"});
    CHECK(terms(analyzer, "follow-up\te-mail\n#goals @dana") == std::vector<std::string>{"follow", "up", "e", "mail", "goal", "dana"});
}

TEST_CASE("hostile text never breaks the analysis: bad UTF-8 separates, overlong words are skipped, offsets stay inside") {
    TextAnalyzer analyzer;
    CHECK(terms(analyzer, "ab\xff" "cd \xc0\xaf" "ef \xed\xa0\x80gh \xe2\x82") == std::vector<std::string>{"ab", "cd", "ef", "gh"});
    const std::string long_word(200, 'x');
    auto tokens = analyzer.analyze("short " + long_word + " after");
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[1].term == "after");
    CHECK(tokens[1].position == 2);  // the skipped word still counts
    CHECK(analyzer.analyze("").empty());
    CHECK(analyzer.analyze(std::string("\0\0\0", 3)).empty());
    std::string noise;
    for (int i = 0; i < 4096; ++i) noise += static_cast<char>((i * 7919) & 0xFF);
    for (const auto& token : analyzer.analyze(noise)) {
        CHECK(token.start < token.end);
        CHECK(token.end <= noise.size());
        CHECK_FALSE(token.term.empty());
    }
}

TEST_CASE("UTF-8 decoding refuses what is not UTF-8, one byte at a time") {
    using namespace debrief::projections::unicode;
    CHECK(decode("\xe2\x82\xac", 0).code_point == U'\u20AC');
    CHECK(decode("\xe2\x82\xac", 0).length == 3);
    CHECK(decode("\xf0\x9f\x99\x82", 0).code_point == U'\U0001F642');
    for (const std::string bad : {"\x80", "\xc1\x81", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xe2\x82"}) {
        CHECK(decode(bad, 0).code_point == invalid);
        CHECK(decode(bad, 0).length == 1);
    }
    std::string out;
    for (char32_t c : {U'a', U'\u00e9', U'\u20AC', U'\U0001F642'}) append_utf8(out, c);
    CHECK(out == "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x99\x82");
}
