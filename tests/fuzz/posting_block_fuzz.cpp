// libFuzzer target: any bytes as a posting block of the search index. A block that decodes has increasing
// documents and, when its positions read, as many increasing positions as its frequencies, and it encodes back to a
// block that decodes to the same postings.
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
    for (std::size_t i = 0; i < block->size(); ++i) {
        if (i > 0) FUZZ_CHECK(block->docs()[i] > block->docs()[i - 1]);
        auto read = block->positions(i);
        if (!read) {  // positions are checked when first read: then for every posting alike
            FUZZ_CHECK(read.error().code == "posting_block_malformed");
            return 0;
        }
        auto positions = std::move(read).value();
        FUZZ_CHECK(positions.size() == block->frequencies()[i]);
        FUZZ_CHECK(std::is_sorted(positions.begin(), positions.end()) && std::adjacent_find(positions.begin(), positions.end()) == positions.end());
        postings.push_back({block->docs()[i], block->lengths()[i], std::move(positions)});
    }
    auto again = PostingBlock::decode(encode_block(postings));
    FUZZ_CHECK(again.ok() && again->size() == postings.size());
    for (std::size_t i = 0; i < postings.size(); ++i)
        FUZZ_CHECK(again->docs()[i] == postings[i].doc && again->lengths()[i] == postings[i].length && again->positions(i).value() == postings[i].positions);
    return 0;
}
