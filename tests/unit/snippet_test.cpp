// Search snippets: the window with the most of the query's terms, cut between words and never inside a character,
// "…" where text was cut, and highlights that cover exactly the matched words, in any script.
#include <doctest/doctest.h>

#include <random>

#include "commands/text_rules.hpp"
#include "projections/search/snippet.hpp"

using namespace debrief::projections;

namespace {

std::set<std::string> terms_of(TextAnalyzer& analyzer, std::string_view words) {
    std::set<std::string> out;
    for (const auto& token : analyzer.analyze(words)) out.insert(token.term);
    return out;
}

Snippet snippet_of(TextAnalyzer& analyzer, std::string_view text, std::string_view query, std::size_t max_bytes = 200) {
    return make_snippet(text, analyzer.analyze(text), terms_of(analyzer, query), max_bytes);
}

std::vector<std::string> highlighted(const Snippet& s) {
    std::vector<std::string> out;
    for (auto [start, end] : s.highlights) out.push_back(s.text.substr(start, end - start));
    return out;
}

// What every snippet must hold: within its budget, UTF-8, highlights in order, inside the text, each exactly one
// matched word of the text.
void check_invariants(TextAnalyzer& analyzer, const Snippet& s, const std::set<std::string>& matched, std::size_t max_bytes) {
    CHECK(s.text.size() <= max_bytes + 6);
    CHECK(debrief::commands::is_valid_utf8(s.text));
    std::uint32_t last_end = 0;
    for (auto [start, end] : s.highlights) {
        REQUIRE(start < end);
        REQUIRE(end <= s.text.size());
        CHECK(start >= last_end);
        last_end = end;
        const auto word = s.text.substr(start, end - start);
        const auto tokens = analyzer.analyze(word);
        REQUIRE(tokens.size() == 1);
        CHECK(tokens[0].start == 0);
        CHECK(tokens[0].end == word.size());
        CHECK(matched.contains(tokens[0].term));
    }
}

std::string words(std::string_view word, int count) {
    std::string out;
    for (int i = 0; i < count; ++i) out += std::string(out.empty() ? "" : " ") + std::string(word);
    return out;
}

}  // namespace

TEST_CASE("snippet: a short text is whole, its matched words highlighted as written") {
    TextAnalyzer analyzer;
    const std::string text = "Marcus struggled with Time Management again.";
    const auto s = snippet_of(analyzer, text, "struggling management");
    CHECK(s.text == text);
    CHECK(highlighted(s) == std::vector<std::string>{"struggled", "Management"});
    CHECK(s.highlights == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{7, 16}, {27, 37}});
}

TEST_CASE("snippet: a match near the end of a long text gives the end, cut at a space before it") {
    TextAnalyzer analyzer;
    const std::string text = words("filler", 300) + " the supplier called about pricing.";
    const auto s = snippet_of(analyzer, text, "pricing");
    CHECK(s.text.starts_with("\u2026filler "));
    CHECK(s.text.ends_with("the supplier called about pricing."));
    CHECK(s.text.size() <= 200 + 3);
    CHECK(s.text.size() > 190);  // the budget is used
    CHECK(highlighted(s) == std::vector<std::string>{"pricing"});
    CHECK(s.highlights.back().second == s.text.size() - 1);
    check_invariants(analyzer, s, {"price"}, 200);
}

TEST_CASE("snippet: a match in the middle is centred, with an ellipsis at both cuts") {
    TextAnalyzer analyzer;
    const std::string text = words("alpha", 100) + " budget " + words("omega", 100);
    const auto s = snippet_of(analyzer, text, "budget", 61);
    CHECK(s.text == "\u2026alpha alpha alpha alpha budget omega omega omega omega\u2026");  // 27 bytes before, 28 after, cut at spaces
    CHECK(highlighted(s) == std::vector<std::string>{"budget"});
    check_invariants(analyzer, s, {"budget"}, 61);
}

TEST_CASE("snippet: the window with the most distinct terms wins, then the one with the most matches, then the earliest") {
    TextAnalyzer analyzer;
    const std::string pad = words("lorem", 40);
    const std::string text = "pricing pricing pricing pricing " + pad + " pricing and delegation " + pad + " delegation pricing";
    auto s = snippet_of(analyzer, text, "pricing delegation", 60);
    CHECK(highlighted(s) == std::vector<std::string>{"pricing", "delegation"});
    CHECK(s.text.find("pricing and delegation") != std::string::npos);

    s = snippet_of(analyzer, "pricing " + pad + " pricing pricing " + pad, "pricing", 40);
    CHECK(highlighted(s) == std::vector<std::string>{"pricing", "pricing"});

    s = snippet_of(analyzer, "budget " + pad + " budget " + pad, "budget", 40);
    CHECK(s.text.starts_with("budget lorem"));  // the earliest of equals
    CHECK(s.highlights.front().first == 0);
}

TEST_CASE("snippet: without a match, the text's start, cut at a space") {
    TextAnalyzer analyzer;
    const std::string text = words("coaching", 50);
    auto s = snippet_of(analyzer, text, "pricing", 50);
    CHECK(s.text == "coaching coaching coaching coaching coaching\u2026");
    CHECK(s.highlights.empty());
    s = snippet_of(analyzer, "  short text  ", "pricing");
    CHECK(s.text == "short text");
    CHECK(snippet_of(analyzer, "", "pricing").text.empty());
    CHECK(make_snippet("something", {}, {}, 0).text.empty());
}

TEST_CASE("snippet: Cyrillic is cut at spaces, never inside a letter, and highlighted as written") {
    TextAnalyzer analyzer;
    const std::string text = words("слово", 60) + " Управление временем " + words("текст", 60);
    const auto s = snippet_of(analyzer, text, "управление", 80);
    CHECK(highlighted(s) == std::vector<std::string>{"Управление"});
    CHECK(s.text.starts_with("\u2026слово"));
    CHECK(s.text.ends_with("текст\u2026"));
    check_invariants(analyzer, s, {"управление"}, 80);
}

TEST_CASE("snippet: text without spaces (Japanese) is cut between ideographs") {
    TextAnalyzer analyzer;
    std::string text;
    for (int i = 0; i < 100; ++i) text += "会議";
    text += "時間管理";
    for (int i = 0; i < 100; ++i) text += "議題";
    const auto s = snippet_of(analyzer, text, "時 管", 30);
    CHECK(highlighted(s) == std::vector<std::string>{"時", "管"});
    CHECK(s.text.starts_with("\u2026"));
    CHECK(s.text.ends_with("\u2026"));
    CHECK(s.text.find("時間管理") != std::string::npos);
    check_invariants(analyzer, s, {"時", "管"}, 30);
    // Every budget, including ones that fall inside a character.
    for (std::size_t budget = 1; budget < 40; ++budget) check_invariants(analyzer, snippet_of(analyzer, text, "時 管", budget), {"時", "管"}, budget);
}

TEST_CASE("snippet: a word longer than the budget is cut at a character, its highlight with it; \"don't\" is never split") {
    TextAnalyzer analyzer;
    const std::string long_word = "é" + std::string(30, 'x');  // one word, folded "exxx..."
    auto s = make_snippet("before " + long_word + " after", analyzer.analyze("before " + long_word + " after"), {"e" + std::string(30, 'x')}, 11);
    CHECK(s.text == "\u2026\xc3\xa9xxxxxxxxx\u2026");
    CHECK(s.highlights == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{3, 14}});

    const std::string text = "we don't talk about the budget at all, don't we";
    for (std::size_t budget = 6; budget < text.size(); ++budget) {
        s = snippet_of(analyzer, text, "budget", budget);
        for (auto at = s.text.find("'t"); at != std::string::npos; at = s.text.find("'t", at + 1))
            CHECK_MESSAGE(s.text.substr(at < 3 ? 0 : at - 3, 5) == "don't", budget);  // no "…'t", no "…on't"
        CHECK_MESSAGE(!s.text.ends_with("don\u2026"), budget);
        CHECK_MESSAGE(!s.text.ends_with("don'\u2026"), budget);
        check_invariants(analyzer, s, {"budget"}, budget);
    }
}

TEST_CASE("snippet: random texts in several scripts hold the invariants and find the best number of distinct terms") {
    TextAnalyzer analyzer;
    const std::vector<std::string> vocabulary{"budget", "pricing",  "delegation", "the", "Café", "время", "управление", "時", "間", "don't",
                                              "—",      "(note)",   "42",         "ok",  "!!",   "σοφία", "\xe3\x80\x80", "\xc2\xa0"};
    std::mt19937 random(7);
    for (int round = 0; round < 400; ++round) {
        std::string text;
        const auto length = random() % 120;
        for (std::size_t i = 0; i < length; ++i) {
            text += vocabulary[random() % vocabulary.size()];
            if (random() % 4) text += random() % 5 ? " " : "\n";
        }
        std::set<std::string> matched;
        for (const auto* query : {"budget", "delegation", "время", "間", "cafe", "dont"})
            if (random() % 2) matched.insert(*analyzer.term(query));
        const std::size_t max_bytes = 20 + random() % 120;  // no word longer: those are cut (tested above)
        const auto tokens = analyzer.analyze(text);
        const auto s = make_snippet(text, tokens, matched, max_bytes);
        check_invariants(analyzer, s, matched, max_bytes);

        // No window of max_bytes holds more distinct matched terms than the snippet highlights.
        std::vector<const Token*> hits;
        for (const auto& token : tokens)
            if (matched.contains(token.term)) hits.push_back(&token);
        std::size_t best = 0;
        for (std::size_t i = 0; i < hits.size(); ++i) {
            std::set<std::string> seen;
            for (std::size_t j = i; j < hits.size() && hits[j]->end - hits[i]->start <= max_bytes; ++j) seen.insert(hits[j]->term);
            best = std::max(best, std::max<std::size_t>(seen.size(), 1));
        }
        std::set<std::string> shown;
        for (auto [start, end] : s.highlights) shown.insert(*analyzer.term(s.text.substr(start, end - start)));
        CHECK_MESSAGE(shown.size() == best, text, " / ", max_bytes);
        if (matched.empty() || hits.empty()) CHECK(s.highlights.empty());
    }
}
