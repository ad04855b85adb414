// Benchmark of the search core in memory (issue 10, point 8, the part that exists): a generated corpus of
// transcript segments (Zipf-distributed words: a coaching and call-centre vocabulary, then a long tail) through the
// text analysis into posting blocks, then top-10 queries of one, two and three terms (any-term, by block-max WAND
// and by scoring every document, side by side on the same queries) and of two terms (all-term). Prints the indexing
// rate, the index size against the raw text, and per query kind p50 and p99 latency, with the exhaustive / WAND
// ratio. The same in RocksDB, beside PostgreSQL, with phrases and filters: bench/search.
// Usage: search_bench [segments, default 300000] [queries per kind, default 1000]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/percentile.hpp"
#include "bench/search_corpus.hpp"
#include "projections/search/text_analyzer.hpp"
#include "projections/search/top_k.hpp"

using namespace debrief;
using namespace debrief::projections;
using Clock = std::chrono::steady_clock;

namespace {

using bench::coaching_words;
using bench::tail_word;
using bench::Zipf;

using bench::percentile;

}  // namespace

int main(int argc, char** argv) {
    const std::size_t segments = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 300'000;
    const std::size_t queries = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000;
    if (segments == 0 || queries == 0) return (std::fprintf(stderr, "usage: search_bench [segments > 0] [queries > 0]\n"), 2);
    constexpr std::size_t vocabulary = 50'000;
    const std::size_t common = sizeof coaching_words / sizeof coaching_words[0];
    std::vector<std::string> words;
    for (std::size_t i = 0; i < vocabulary; ++i) words.push_back(i < common ? coaching_words[i] : tail_word(i));
    const Zipf zipf(vocabulary, 1.07);
    std::mt19937_64 random(2026);

    std::vector<std::string> texts;
    std::size_t raw_bytes = 0;
    for (std::size_t s = 0; s < segments; ++s) {
        std::string text;
        const auto length = 8 + random() % 33;
        for (std::size_t w = 0; w < length; ++w) text += (w ? " " : "") + words[zipf.draw(random)];
        text += '.';
        raw_bytes += text.size();
        texts.push_back(std::move(text));
    }

    // Indexing: analysis, postings per term, blocks.
    TextAnalyzer analyzer;
    const auto started = Clock::now();
    std::unordered_map<std::string, std::vector<Posting>> by_term;
    double total_length = 0;
    for (std::uint32_t doc = 0; doc < texts.size(); ++doc) {
        total_length += add_document_postings(by_term, doc, analyzer.analyze(texts[doc]));
    }
    std::unordered_map<std::string, TermPostings> index;
    std::size_t index_bytes = 0;
    for (auto& [term, postings] : by_term) {
        const auto built = build_blocks(postings);
        for (const auto& block : built.blocks) index_bytes += block.size();
        // The dictionary's entry: the term, its frequency, each block's first and last document and its impacts.
        index_bytes += term.size() + 8 + built.impacts.size() * 8;
        for (const auto& meta : built.metas) index_bytes += 8 + meta.impacts.size() * 8;
        index.emplace(term, in_memory_postings(postings));
    }
    const double indexing_s = std::chrono::duration<double>(Clock::now() - started).count();
    const double average_length = total_length / static_cast<double>(texts.size());
    std::printf("corpus: %zu segments, %.1f MB of text, %zu terms, %.1f terms a segment\n", texts.size(), raw_bytes / 1e6, index.size(), average_length);
    std::printf("indexing (one core, in memory): %.0f segments/s, %.1f MB/s of text; index %.1f MB, %.2f of the raw text\n",
                texts.size() / indexing_s, raw_bytes / 1e6 / indexing_s, index_bytes / 1e6, static_cast<double>(index_bytes) / raw_bytes);

    // Query terms drawn from the first 3,000 words by the same distribution: common words meet rare ones.
    const Zipf query_zipf(3'000, 1.0);
    auto query_of = [&](std::size_t terms) {
        std::vector<std::string> out;
        while (out.size() < terms) {
            auto term = analyzer.term(words[query_zipf.draw(random)]);
            if (term && index.contains(*term) && std::find(out.begin(), out.end(), *term) == out.end()) out.push_back(*term);
        }
        return out;
    };
    auto cursors_of = [&](const std::vector<std::string>& terms) {
        std::vector<PostingCursor> cursors;
        for (const auto& term : terms) {
            const auto& postings = index.at(term);
            cursors.emplace_back(postings, Bm25::idf(texts.size(), postings.document_frequency), Bm25{}, average_length);
        }
        return cursors;
    };
    auto timed = [](auto&& run) {
        const auto start = Clock::now();
        run();
        return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    };
    std::printf("\n| top 10 | queries | p50 ms | p99 ms | exhaustive p50 ms | exhaustive p99 ms | exhaustive / WAND (p50, p99) | "
                "documents scored, blocks read: WAND / exhaustive |\n");
    std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (std::size_t terms : {1u, 2u, 3u}) {
        std::vector<double> wand, exhaustive;
        TopKStats wand_stats, exhaustive_stats;
        for (std::size_t q = 0; q < queries; ++q) {
            const auto query = query_of(terms);
            std::vector<ScoredDoc> a, b;
            wand.push_back(timed([&] {
                auto cursors = cursors_of(query);
                a = top_k_any(cursors, 10, {}, &wand_stats);
            }));
            exhaustive.push_back(timed([&] {
                auto cursors = cursors_of(query);
                b = top_k_any_exhaustive(cursors, 10, {}, &exhaustive_stats);
            }));
            if (a.size() != b.size()) return (std::fprintf(stderr, "WAND and exhaustive disagree\n"), 1);
        }
        std::printf("| %zu term%s, any | %zu | %.3f | %.3f | %.3f | %.3f | %.1fx, %.1fx | %.2f, %.2f |\n", terms, terms > 1 ? "s" : "", queries,
                    percentile(wand, 0.5), percentile(wand, 0.99), percentile(exhaustive, 0.5), percentile(exhaustive, 0.99),
                    percentile(exhaustive, 0.5) / percentile(wand, 0.5), percentile(exhaustive, 0.99) / percentile(wand, 0.99),
                    static_cast<double>(wand_stats.scored) / exhaustive_stats.scored,
                    static_cast<double>(wand_stats.blocks_read) / exhaustive_stats.blocks_read);
    }
    std::vector<double> all;
    for (std::size_t q = 0; q < queries; ++q) {
        const auto query = query_of(2);
        all.push_back(timed([&] {
            auto cursors = cursors_of(query);
            top_k_all(cursors, 10);
        }));
    }
    std::printf("| 2 terms, all | %zu | %.3f | %.3f | | | | |\n", queries, percentile(all, 0.5), percentile(all, 0.99));
    return 0;
}
