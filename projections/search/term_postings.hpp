// A term's postings as the index keeps them: the bounds of each block (in the term dictionary, so that a query
// can skip a block without reading it) and the blocks themselves, read when a query needs one.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "projections/search/posting_block.hpp"

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

// Postings kept in memory, encoded as the store keeps them: for tests and benchmarks of the query side.
TermPostings in_memory_postings(std::span<const Posting> postings);

}  // namespace debrief::projections
