// libFuzzer target: one input through the search analysis. Every token is a word of the input (its offsets inside
// it, in order), its term valid UTF-8, non-empty and bounded, positions increasing, and analysing a query word gives
// the term the same word got in a text.
#include <cstdint>
#include <string>
#include <string_view>

#include "commands/text_rules.hpp"
#include "projections/search/text_analyzer.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace debrief;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static projections::TextAnalyzer analyzer;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto tokens = analyzer.analyze(text);
    std::uint32_t last_end = 0;
    std::int64_t last_position = -1;
    for (const auto& token : tokens) {
        FUZZ_CHECK(token.start < token.end && token.end <= size);
        FUZZ_CHECK(token.start >= last_end);
        FUZZ_CHECK(static_cast<std::int64_t>(token.position) > last_position);
        FUZZ_CHECK(!token.term.empty() && token.term.size() <= 4 * projections::max_term_bytes);
        FUZZ_CHECK(commands::is_valid_utf8(token.term));
        last_end = token.end;
        last_position = token.position;
    }
    if (!tokens.empty()) {  // the first word, typed alone as a query, finds what the text indexed
        const auto& first = tokens.front();
        const auto again = analyzer.term(text.substr(first.start, first.end - first.start));
        FUZZ_CHECK(again && *again == first.term);
    }
    FUZZ_CHECK(commands::is_valid_utf8(projections::TextAnalyzer::fold(text)));
    return 0;
}
