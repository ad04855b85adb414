// Cutting a term's postings into blocks.
#include "projections/search/term_postings.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace debrief::projections {

BuiltBlocks build_blocks(std::span<const Posting> postings) {
    BuiltBlocks built;
    for (std::size_t start = 0; start < postings.size(); start += postings_per_block) {
        const auto part = postings.subspan(start, std::min(postings_per_block, postings.size() - start));
        if (part.back().doc >= no_more_docs) throw std::invalid_argument("document numbers run below no_more_docs");
        built.blocks.push_back(encode_block(part));
        BlockMeta meta{part.front().doc, part.back().doc, 0, UINT32_MAX};
        for (const auto& p : part) {
            meta.max_frequency = std::max(meta.max_frequency, static_cast<std::uint32_t>(p.positions.size()));
            meta.min_length = std::min(meta.min_length, p.length);
        }
        built.metas.push_back(meta);
    }
    return built;
}

TermPostings in_memory_postings(std::span<const Posting> postings) {
    auto built = std::make_shared<BuiltBlocks>(build_blocks(postings));
    return {postings.size(), built->metas, [built](std::size_t i) { return PostingBlock::decode(built->blocks.at(i)).value(); }};
}

}  // namespace debrief::projections
