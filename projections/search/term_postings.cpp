// Cutting a term's postings into blocks.
#include "projections/search/term_postings.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace debrief::projections {

std::vector<Impact> competitive_impacts(std::span<const Posting> postings) {
    std::vector<Impact> all;
    for (const auto& p : postings) all.push_back({static_cast<std::uint32_t>(p.positions.size()), p.length});
    // By increasing length, the highest frequency first among equal lengths; keep each pair whose frequency beats
    // every shorter (or equal) one's.
    std::sort(all.begin(), all.end(), [](const Impact& a, const Impact& b) { return a.length != b.length ? a.length < b.length : a.frequency > b.frequency; });
    std::vector<Impact> frontier;
    for (const auto& impact : all)
        if (frontier.empty() || impact.frequency > frontier.back().frequency) frontier.push_back(impact);
    return frontier;
}

void add_competitive_impact(std::vector<Impact>& frontier, Impact impact) {
    for (const auto& i : frontier)
        if (i.length <= impact.length && i.frequency >= impact.frequency) return;  // beaten (or matched) already
    std::erase_if(frontier, [&](const Impact& i) { return i.length >= impact.length && i.frequency <= impact.frequency; });
    frontier.insert(std::upper_bound(frontier.begin(), frontier.end(), impact, [](const Impact& a, const Impact& b) { return a.length < b.length; }), impact);
}

BuiltBlocks build_blocks(std::span<const Posting> postings) {
    BuiltBlocks built;
    for (std::size_t start = 0; start < postings.size(); start += postings_per_block) {
        const auto part = postings.subspan(start, std::min(postings_per_block, postings.size() - start));
        if (part.back().doc >= no_more_docs) throw std::invalid_argument("document numbers run below no_more_docs");
        built.blocks.push_back(encode_block(part));
        built.metas.push_back({part.front().doc, part.back().doc, competitive_impacts(part)});
    }
    built.impacts = competitive_impacts(postings);
    return built;
}

TermPostings in_memory_postings(std::span<const Posting> postings) {
    auto built = std::make_shared<BuiltBlocks>(build_blocks(postings));
    return {postings.size(), built->impacts, built->metas, [built](std::size_t i) {
                // In place: an aliasing pointer to the block keeps the whole set alive.
                return PostingBlock::decode(std::shared_ptr<const std::string>(built, &built->blocks.at(i))).value();
            }};
}

}  // namespace debrief::projections
