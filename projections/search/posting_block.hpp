// One block of a term's postings in the search index: up to 128 documents that contain the term, in increasing
// document number, each with the term's positions in it (their count is the term frequency) and the document's
// length in terms (for BM25). The numbers are stored as frame-of-reference bit-packed arrays, Lucene's and Tantivy's
// layout in miniature: document-number gaps, frequencies and lengths each packed with the fewest bits their largest
// value needs; positions follow as varint gaps, read only by phrase queries and snippets. What bounds a block's
// scores (its competitive impacts, term_postings.hpp) is kept in the term dictionary, so that a query can skip a block
// without reading it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
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

// A block read back: its documents at once (what a cursor moving through it needs), frequencies and lengths on the
// first score, positions on demand. Bytes come from the index's store and are checked all the same: every array's
// size against the block when it is read, the positions when first asked for; a malformed block is an error, never
// a read out of bounds. Not thread-safe (parts are decoded on first use): one per query.
class PostingBlock {
public:
    // Copies what it keeps of the bytes (the positions).
    static Result<PostingBlock> decode(std::string_view bytes);
    // Keeps the bytes and reads positions in place (a block the store holds in memory).
    static Result<PostingBlock> decode(std::shared_ptr<const std::string> bytes);

    std::size_t size() const { return size_; }
    std::span<const std::uint32_t> docs() const { return {docs_.data(), size_}; }
    std::span<const std::uint32_t> frequencies() const;
    std::span<const std::uint32_t> lengths() const;
    std::uint32_t first_doc() const { return docs_[0]; }
    std::uint32_t last_doc() const { return docs_[size_ - 1]; }
    // The positions of the i-th posting, read on the first call for any posting (scoring never needs them); a
    // block whose positions are malformed is an error there.
    Result<std::vector<std::uint32_t>> positions(std::size_t i) const;

private:
    static Result<PostingBlock> decode(std::string_view bytes, std::shared_ptr<const std::string> storage);
    void unpack_scoring() const;
    Result<bool> index_positions() const;

    // Fixed arrays, not vectors: a query decodes many blocks, and an allocation each would cost more than the decoding.
    std::size_t size_ = 0;
    std::array<std::uint32_t, postings_per_block> docs_{};
    mutable std::array<std::uint32_t, postings_per_block> frequencies_{}, lengths_{};
    mutable bool scoring_unpacked_ = false;
    std::string_view packed_scoring_;  // the frequencies' and lengths' packed arrays, checked to fit
    mutable std::vector<std::uint32_t> position_offsets_;  // where each posting's positions start in positions_, once read
    std::shared_ptr<const std::string> storage_;  // what positions_ views
    std::string_view positions_;
};

}  // namespace debrief::projections
