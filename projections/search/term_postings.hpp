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

struct BlockMeta {
    std::uint32_t first_doc = 0;
    std::uint32_t last_doc = 0;
    std::uint32_t max_frequency = 0;
    std::uint32_t min_length = 0;
    bool operator==(const BlockMeta&) const = default;
};

struct TermPostings {
    std::uint64_t document_frequency = 0;
    std::vector<BlockMeta> blocks;
    std::function<PostingBlock(std::size_t)> load;  // the i-th block
};

// The blocks of postings in document order (documents below no_more_docs), 128 a block, with their bounds.
struct BuiltBlocks {
    std::vector<std::string> blocks;
    std::vector<BlockMeta> metas;
};
BuiltBlocks build_blocks(std::span<const Posting> postings);

// Postings kept in memory, encoded as the store keeps them: for tests and benchmarks of the query side.
TermPostings in_memory_postings(std::span<const Posting> postings);

}  // namespace debrief::projections
