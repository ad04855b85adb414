// Top-k retrieval: block-max WAND answers exactly what scoring every document answers, on corpora of common and
// rare terms, with filters, for any k; it scores fewer documents where the bounds let it; conjunctions keep the
// documents that have every term.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

#include "projections/search/text_analyzer.hpp"
#include "projections/search/top_k.hpp"

using namespace debrief::projections;

namespace {

// A corpus of `documents` documents over `terms` terms, term t in a document with probability `share[t]`, a
// frequency of 1 to 8 (mostly 1) and a length of 5 to 500.
struct Corpus {
    std::vector<std::vector<Posting>> postings;
    std::vector<TermPostings> terms;
    double average_length = 0;
    std::uint32_t documents = 0;

    Corpus(std::uint32_t docs, const std::vector<double>& share, unsigned seed) : postings(share.size()), documents(docs) {
        std::mt19937 random(seed);
        std::uniform_real_distribution<double> unit(0, 1);
        double total_length = 0;
        for (std::uint32_t doc = 0; doc < docs; ++doc) {
            const std::uint32_t length = 5 + random() % 496;
            total_length += length;
            for (std::size_t t = 0; t < share.size(); ++t) {
                if (unit(random) >= share[t]) continue;
                const auto frequency = unit(random) < 0.7 ? 1u : 1 + random() % 8;
                Posting p{doc, length, {}};
                for (std::uint32_t i = 0; i < frequency; ++i) p.positions.push_back(i * 3);
                postings[t].push_back(std::move(p));
            }
        }
        average_length = total_length / docs;
        for (const auto& list : postings) terms.push_back(in_memory_postings(list));
    }

    std::vector<PostingCursor> cursors(const std::vector<std::size_t>& query) const {
        std::vector<PostingCursor> out;
        for (auto t : query) out.emplace_back(terms[t], Bm25::idf(documents, terms[t].document_frequency), Bm25{}, average_length);
        return out;
    }
};

void check_same(const std::vector<ScoredDoc>& got, const std::vector<ScoredDoc>& expected) {
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].doc == expected[i].doc);
        CHECK(got[i].score == doctest::Approx(expected[i].score).epsilon(1e-12));
    }
}

}  // namespace

TEST_CASE("block-max WAND finds the same top k as scoring every document, and scores fewer of them") {
    const Corpus corpus(20'000, {0.6, 0.3, 0.05, 0.01, 0.002, 0.4}, 11);
    const std::vector<std::vector<std::size_t>> queries{{0}, {3}, {0, 1}, {0, 4}, {2, 3}, {0, 1, 2}, {0, 5, 4}, {0, 1, 2, 3, 4, 5}};
    std::size_t wand_scored = 0, exhaustive_scored = 0;
    for (const auto& query : queries)
        for (std::size_t k : {1u, 10u, 100u, 100'000u}) {
            auto wand_cursors = corpus.cursors(query);
            auto all_cursors = corpus.cursors(query);
            TopKStats wand, exhaustive;
            const auto fast = top_k_any(wand_cursors, k, {}, &wand);
            const auto slow = top_k_any_exhaustive(all_cursors, k, {}, &exhaustive);
            check_same(fast, slow);
            CHECK(wand.scored <= exhaustive.scored);
            if (k == 10) {
                wand_scored += wand.scored;
                exhaustive_scored += exhaustive.scored;
            }
        }
    // A common term with a rare one, top 10: most documents with only the common term cannot make it.
    CHECK(wand_scored * 3 < exhaustive_scored);
}

TEST_CASE("a filter keeps documents out of the top k on every path, and an empty query or k of 0 answers nothing") {
    const Corpus corpus(5'000, {0.5, 0.1, 0.02}, 5);
    const DocFilter even = [](std::uint32_t doc) { return doc % 2 == 0; };
    for (std::size_t k : {1u, 10u, 1000u}) {
        auto a = corpus.cursors({0, 1, 2});
        auto b = corpus.cursors({0, 1, 2});
        const auto fast = top_k_any(a, k, even);
        check_same(fast, top_k_any_exhaustive(b, k, even));
        for (const auto& hit : fast) CHECK(hit.doc % 2 == 0);
    }
    std::vector<PostingCursor> none;
    CHECK(top_k_any(none, 10).empty());
    CHECK(top_k_all(none, 10).empty());
    auto some = corpus.cursors({0});
    CHECK(top_k_any(some, 0).empty());
}

TEST_CASE("all-term queries keep exactly the documents that have every term, best first") {
    const Corpus corpus(8'000, {0.5, 0.2, 0.05}, 9);
    std::map<std::uint32_t, int> seen;
    for (std::size_t t = 0; t < 3; ++t)
        for (const auto& p : corpus.postings[t]) ++seen[p.doc];
    std::set<std::uint32_t> every;
    for (const auto& [doc, count] : seen)
        if (count == 3) every.insert(doc);
    REQUIRE_FALSE(every.empty());
    auto cursors = corpus.cursors({0, 1, 2});
    const auto all = top_k_all(cursors, 1'000'000);
    std::set<std::uint32_t> got;
    for (const auto& hit : all) got.insert(hit.doc);
    CHECK(got == every);
    for (std::size_t i = 1; i < all.size(); ++i) CHECK((all[i - 1].score > all[i].score || (all[i - 1].score == all[i].score && all[i - 1].doc < all[i].doc)));
    // Its top 10 is the best 10 of those documents as the exhaustive path ranks them.
    auto any_cursors = corpus.cursors({0, 1, 2});
    const DocFilter only_every = [&](std::uint32_t doc) { return every.contains(doc); };
    auto top_all = corpus.cursors({0, 1, 2});
    check_same(top_k_all(top_all, 10), top_k_any_exhaustive(any_cursors, 10, only_every));
}

TEST_CASE("a cursor advances within and across blocks, and reads only the blocks it lands in") {
    std::vector<Posting> postings;
    for (std::uint32_t doc = 0; doc < 1000; ++doc) postings.push_back({doc * 10, 20, {1}});
    const auto term = in_memory_postings(postings);
    REQUIRE(term.blocks.size() == 8);  // 1000 postings, 128 a block
    PostingCursor cursor(term, 1.0, Bm25{}, 20);
    CHECK(cursor.doc() == 0);
    cursor.advance(15);
    CHECK(cursor.doc() == 20);
    cursor.advance(9'000);  // the 901st posting, in the 8th block: blocks 2 to 7 are skipped unread
    CHECK(cursor.doc() == 9'000);
    CHECK(cursor.blocks_read() == 2);
    CHECK(cursor.block_last_doc(9'000) == 9'990);
    CHECK(cursor.block_bound(9'000) >= cursor.score());
    cursor.advance(9'991);
    CHECK(cursor.doc() == no_more_docs);
    CHECK(cursor.block_bound(10'000) == 0);
    CHECK(cursor.block_last_doc(10'000) == no_more_docs);
}

namespace {
// A small index of texts through the real analysis, one document per text.
struct TextIndex {
    TextAnalyzer analyzer;
    std::map<std::string, std::vector<Posting>> postings;
    std::map<std::string, TermPostings> terms;
    double average_length = 0;
    std::size_t documents = 0;

    explicit TextIndex(const std::vector<std::string>& texts) : documents(texts.size()) {
        double total = 0;
        for (std::uint32_t doc = 0; doc < texts.size(); ++doc) {
            total += add_document_postings(postings, doc, analyzer.analyze(texts[doc]));
        }
        average_length = total / static_cast<double>(texts.size());
        for (const auto& [term, list] : postings) terms.emplace(term, in_memory_postings(list));
    }

    // The documents that hold the phrase as the analysis reads it, best first.
    std::vector<std::uint32_t> phrase(const std::string& text) {
        const auto tokens = analyzer.analyze(text);
        std::vector<PostingCursor> cursors;
        Phrase phrase{{}, 0, Bm25{}, average_length};
        for (const auto& token : tokens) {
            auto found = terms.find(token.term);
            if (found == terms.end()) return {};
            const double idf = Bm25::idf(documents, found->second.document_frequency);
            cursors.emplace_back(found->second, idf, Bm25{}, average_length);
            phrase.offsets.push_back(token.position - tokens.front().position);
            phrase.weight += idf;
        }
        std::vector<std::uint32_t> docs;
        for (const auto& hit : top_k_phrase(cursors, phrase, 100)) docs.push_back(hit.doc);
        return docs;
    }
};
}  // namespace

TEST_CASE("an exact phrase matches its words in order at their distances, stop words as gaps, and ranks repeats first") {
    TextIndex index({
            "We agreed: call the supplier by Friday.",                        // 0
            "Call supplier Friday, then the team.",                           // 1: no word between
            "The supplier will call us back.",                                // 2: out of order
            "She will call a supplier, and call the supplier again after.",   // 3: twice ("a" and "the" both stop words)
            "Calling the suppliers was hard.",                                // 4: the same stems
            "Struggled with time management all week.",                       // 5
    });
    const auto call_the_supplier = index.phrase("call the supplier");
    CHECK(std::set<std::uint32_t>(call_the_supplier.begin(), call_the_supplier.end()) == std::set<std::uint32_t>{0, 3, 4});
    CHECK(call_the_supplier.front() == 3);  // the phrase twice
    CHECK(index.phrase("call supplier") == std::vector<std::uint32_t>{1});
    CHECK(index.phrase("time management") == std::vector<std::uint32_t>{5});
    CHECK(index.phrase("management time").empty());
    CHECK(index.phrase("supplier call").empty());
    CHECK(index.phrase("call the dentist").empty());  // a word no document has
    auto one = index.phrase("supplier");
    CHECK(std::set<std::uint32_t>(one.begin(), one.end()) == std::set<std::uint32_t>{0, 1, 2, 3, 4});
}
