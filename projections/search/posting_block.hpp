// One block of a term's postings in the search index: up to 128 documents that contain the term, in increasing
// document number, each with the term's positions in it (their count is the term frequency) and the document's
// length in terms (for BM25). The numbers are stored as frame-of-reference bit-packed arrays, Lucene's and Tantivy's
// layout in miniature: document-number gaps, frequencies and lengths each packed with the fewest bits their largest
// value needs; positions follow as varint gaps, read only by phrase queries and snippets. The block also keeps its
// largest frequency and smallest length, from which a query bounds the score of any document in it (block-max WAND
// skips a block whose bound cannot reach the current top k).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace debrief::projections {

inline constexpr std::size_t postings_per_block = 128;

struct Posting {
    std::uint32_t doc = 0;
    std::uint32_t length = 0;               // the document's length in terms
    std::vector<std::uint32_t> positions;   // increasing, at least one
    bool operator==(const Posting&) const = default;
};

// 1 to 128 postings with strictly increasing documents, each with at least one position, increasing.
std::string encode_block(std::span<const Posting> postings);

// A block read back: the header and the packed arrays are decoded at once, positions on demand. Bytes come from
// the index's store and are checked all the same: a malformed block is an error, never a read out of bounds.
class PostingBlock {
public:
    static Result<PostingBlock> decode(std::string_view bytes);

    std::size_t size() const { return docs_.size(); }
    std::span<const std::uint32_t> docs() const { return docs_; }
    std::span<const std::uint32_t> frequencies() const { return frequencies_; }
    std::span<const std::uint32_t> lengths() const { return lengths_; }
    std::uint32_t first_doc() const { return docs_.front(); }
    std::uint32_t last_doc() const { return docs_.back(); }
    std::uint32_t max_frequency() const { return max_frequency_; }
    std::uint32_t min_length() const { return min_length_; }
    // The positions of the i-th posting.
    std::vector<std::uint32_t> positions(std::size_t i) const;

private:
    std::vector<std::uint32_t> docs_, frequencies_, lengths_;
    std::vector<std::uint32_t> position_offsets_;  // where each posting's positions start in positions_
    std::string positions_;
    std::uint32_t max_frequency_ = 0;
    std::uint32_t min_length_ = 0;
};

}  // namespace debrief::projections
