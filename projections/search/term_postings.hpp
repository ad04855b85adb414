// A term's postings as the index keeps them: the bounds of each block (in the term dictionary, so that a query
// can skip a block without reading it) and the blocks themselves, read when a query needs one.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "projections/search/posting_block.hpp"
#include "projections/search/text_analyzer.hpp"

namespace debrief::projections {

// Document numbers run below this: a cursor past its last posting stands here.
inline constexpr std::uint32_t no_more_docs = UINT32_MAX;

// A (frequency, length) pair of a posting in a block.
struct Impact {
    std::uint32_t frequency = 0;
    std::uint32_t length = 0;
    bool operator==(const Impact&) const = default;
};

struct BlockMeta {
    std::uint32_t first_doc = 0;
    std::uint32_t last_doc = 0;
    // The block's competitive impacts (Lucene's name): the pairs no other posting of the block beats on both counts
    // (a higher frequency and a shorter length), by increasing length. The best BM25 score in the block is the best
    // of theirs, for any idf and average length: a bound as tight as the block allows, where the largest frequency
    // with the smallest length (two postings, usually) overestimates.
    std::vector<Impact> impacts;
    bool operator==(const BlockMeta&) const = default;
};

// The competitive impacts of these postings.
std::vector<Impact> competitive_impacts(std::span<const Posting> postings);
// The same frontier after one more posting's impact, without a pass over the block (the indexer appends to a block
// one document at a time).
void add_competitive_impact(std::vector<Impact>& frontier, Impact impact);

struct TermPostings {
    std::uint64_t document_frequency = 0;
    std::vector<Impact> impacts;  // competitive over every block: the term's best score, without a pass over its blocks
    std::vector<BlockMeta> blocks;
    std::function<PostingBlock(std::size_t)> load;  // the i-th block
};

// The blocks of postings in document order (documents below no_more_docs), 128 a block, with their bounds.
struct BuiltBlocks {
    std::vector<std::string> blocks;
    std::vector<BlockMeta> metas;
    std::vector<Impact> impacts;  // of all the postings
};
BuiltBlocks build_blocks(std::span<const Posting> postings);

// Adds one document's postings (after every document before it) to postings, a map of term -> postings: each term
// of its tokens with its positions; the document's length is its token count, which this returns.
template <typename PostingsByTerm>
std::uint32_t add_document_postings(PostingsByTerm& postings, std::uint32_t doc, std::span<const Token> tokens) {
    std::map<std::string, std::vector<std::uint32_t>> positions;
    for (const auto& token : tokens) positions[token.term].push_back(token.position);
    const auto length = static_cast<std::uint32_t>(tokens.size());
    for (auto& [term, at] : positions) postings[term].push_back({doc, length, std::move(at)});
    return length;
}

// Postings kept in memory, encoded as the store keeps them: for tests and benchmarks of the query side.
TermPostings in_memory_postings(std::span<const Posting> postings);

}  // namespace debrief::projections
