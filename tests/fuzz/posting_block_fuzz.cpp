// libFuzzer target: any bytes as a posting block of the search index. A block that decodes has increasing
// documents, frequencies that match its positions (increasing), bounds that match its postings, and encodes back to
// a block that decodes to the same postings.
#include <algorithm>
#include <cstdint>
#include <string_view>

#include "projections/search/posting_block.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace debrief::projections;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto block = PostingBlock::decode(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!block) {
        FUZZ_CHECK(block.error().code == "posting_block_malformed");
        return 0;
    }
    FUZZ_CHECK(block->size() >= 1 && block->size() <= postings_per_block);
    std::vector<Posting> postings;
    std::uint32_t max_frequency = 0, min_length = UINT32_MAX;
    for (std::size_t i = 0; i < block->size(); ++i) {
        if (i > 0) FUZZ_CHECK(block->docs()[i] > block->docs()[i - 1]);
        auto positions = block->positions(i);
        FUZZ_CHECK(positions.size() == block->frequencies()[i]);
        FUZZ_CHECK(std::is_sorted(positions.begin(), positions.end()) && std::adjacent_find(positions.begin(), positions.end()) == positions.end());
        max_frequency = std::max(max_frequency, block->frequencies()[i]);
        min_length = std::min(min_length, block->lengths()[i]);
        postings.push_back({block->docs()[i], block->lengths()[i], std::move(positions)});
    }
    FUZZ_CHECK(block->max_frequency() == max_frequency && block->min_length() == min_length);
    auto again = PostingBlock::decode(encode_block(postings));
    FUZZ_CHECK(again.ok() && again->size() == postings.size());
    for (std::size_t i = 0; i < postings.size(); ++i)
        FUZZ_CHECK(again->docs()[i] == postings[i].doc && again->lengths()[i] == postings[i].length && again->positions(i) == postings[i].positions);
    return 0;
}
