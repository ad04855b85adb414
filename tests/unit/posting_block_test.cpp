// The search index's posting blocks: what goes in comes out, compactly; the block's bound holds for every
// document in it; and no malformed block is read out of bounds.
#include <doctest/doctest.h>

#include <random>

#include "projections/search/bm25.hpp"
#include "projections/search/posting_block.hpp"
#include "projections/search/term_postings.hpp"

using namespace debrief::projections;

namespace {
std::vector<Posting> random_postings(std::mt19937& random, std::size_t count, std::uint32_t max_gap) {
    std::vector<Posting> postings;
    std::uint32_t doc = random() % 1000;
    for (std::size_t i = 0; i < count; ++i) {
        Posting p;
        p.doc = doc;
        doc += 1 + random() % max_gap;
        p.length = 1 + random() % 400;
        std::uint32_t position = random() % 10;
        const auto frequency = 1 + random() % 6;
        for (std::uint32_t j = 0; j < frequency; ++j) {
            p.positions.push_back(position);
            position += 1 + random() % 50;
        }
        postings.push_back(std::move(p));
    }
    return postings;
}

std::vector<Posting> read_back(const PostingBlock& block) {
    std::vector<Posting> out;
    for (std::size_t i = 0; i < block.size(); ++i) out.push_back({block.docs()[i], block.lengths()[i], block.positions(i).value()});
    return out;
}
}  // namespace

TEST_CASE("a posting block gives back its documents, frequencies, lengths and positions, and its bounds") {
    std::mt19937 random(42);
    for (std::size_t count : {1u, 2u, 7u, 64u, 127u, 128u}) {
        for (std::uint32_t max_gap : {1u, 3u, 1000u, 1u << 20}) {
            const auto postings = random_postings(random, count, max_gap);
            auto block = PostingBlock::decode(encode_block(postings));
            REQUIRE(block.ok());
            CHECK(read_back(block.value()) == postings);
            CHECK(block->first_doc() == postings.front().doc);
            CHECK(block->last_doc() == postings.back().doc);
            for (std::size_t i = 0; i < count; ++i) CHECK(block->frequencies()[i] == postings[i].positions.size());
        }
    }
    // The extremes of every field.
    std::vector<Posting> extremes{{0, 0, {0}}, {UINT32_MAX - 1, UINT32_MAX, {0, UINT32_MAX}}, {UINT32_MAX, 7, {UINT32_MAX}}};
    auto block = PostingBlock::decode(encode_block(extremes));
    REQUIRE(block.ok());
    CHECK(read_back(block.value()) == extremes);
}

TEST_CASE("dense postings pack into a few bits each") {
    std::vector<Posting> dense;
    for (std::uint32_t doc = 5000; doc < 5128; ++doc) dense.push_back({doc, 40 + doc % 8, {doc % 30}});
    const auto bytes = encode_block(dense);
    // 128 gaps of 0 bits, frequencies of 0 bits, lengths of 6 bits, one position byte each: under 2 bytes a posting.
    CHECK(bytes.size() < 2 * dense.size() + 16);
    CHECK(read_back(PostingBlock::decode(bytes).value()) == dense);
}

TEST_CASE("a block's competitive impacts give its best BM25 score exactly, for any idf and average length") {
    std::mt19937 random(7);
    const Bm25 bm25;
    for (int round = 0; round < 50; ++round) {
        const auto postings = random_postings(random, 1 + random() % 128, 20);
        const auto impacts = competitive_impacts(postings);
        std::vector<Impact> one_by_one;  // as the indexer keeps a block's while it appends
        for (const auto& p : postings) add_competitive_impact(one_by_one, {static_cast<std::uint32_t>(p.positions.size()), p.length});
        CHECK(one_by_one == impacts);
        for (std::size_t i = 1; i < impacts.size(); ++i) {  // by increasing length, each with a higher frequency
            CHECK(impacts[i].length > impacts[i - 1].length);
            CHECK(impacts[i].frequency > impacts[i - 1].frequency);
        }
        const double idf = Bm25::idf(10'000, 1 + random() % 5000), average = 50 + random() % 200;
        double bound = 0, best = 0;
        for (const auto& impact : impacts) bound = std::max(bound, bm25.score(idf, impact.frequency, impact.length, average));
        for (const auto& p : postings) best = std::max(best, bm25.score(idf, static_cast<std::uint32_t>(p.positions.size()), p.length, average));
        CHECK(bound == best);
    }
    CHECK(Bm25::idf(1000, 1) > Bm25::idf(1000, 500));  // a rare term weighs more
    CHECK(Bm25::idf(1000, 1000) > 0);                 // and a term in every document still weighs a little
    CHECK(bm25.score(1.0, 3, 10, 10) > bm25.score(1.0, 1, 10, 10));
    CHECK(bm25.score(1.0, 1, 10, 100) > bm25.score(1.0, 1, 100, 100));
}

TEST_CASE("a malformed block is an error, never a read past its end") {
    std::mt19937 random(3);
    const auto bytes = encode_block(random_postings(random, 100, 30));
    // Cut anywhere: refused when the block is read, or (a cut in the positions) when its positions are.
    auto malformed = [](const std::string& bytes) {
        auto block = PostingBlock::decode(bytes);
        if (!block) return block.error().code == "posting_block_malformed";
        auto positions = block->positions(0);
        return !positions && positions.error().code == "posting_block_malformed";
    };
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) CHECK(malformed(bytes.substr(0, cut)));
    CHECK(malformed(bytes + "x"));
    for (std::size_t i = 0; i < bytes.size(); ++i)
        for (unsigned char flip : {0x01, 0x80, 0xFF}) {
            auto changed = bytes;
            changed[i] = static_cast<char>(changed[i] ^ flip);
            auto block = PostingBlock::decode(changed);  // may decode to other postings; must not crash
            if (block.ok())
                for (std::size_t j = 0; j < block->size(); ++j)
                    if (auto positions = block->positions(j)) CHECK(positions->size() == block->frequencies()[j]);
        }
    CHECK_THROWS(encode_block(std::vector<Posting>{}));
    CHECK_THROWS(encode_block(std::vector<Posting>{{3, 1, {0}}, {3, 1, {0}}}));
    CHECK_THROWS(encode_block(std::vector<Posting>{{3, 1, {}}}));
    CHECK_THROWS(encode_block(std::vector<Posting>{{3, 1, {4, 4}}}));
}
