// A query's walk over one term's postings, in document order: next, advance to a document, its BM25 score, and the
// shallow moves block-max WAND makes without reading a block (the bound and the last document of the block that
// holds a document). Blocks are read only when the cursor lands in them.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "projections/search/bm25.hpp"
#include "projections/search/term_postings.hpp"

namespace debrief::projections {

class PostingCursor {
public:
    // weight: the term's idf times its boost; average_length: of the documents the lengths count in.
    PostingCursor(const TermPostings& term, double weight, Bm25 bm25, double average_length);

    std::uint32_t doc() const { return doc_; }  // no_more_docs once past the last posting
    void next();
    void advance(std::uint32_t target);  // to the first posting at or after target
    double score() const;
    std::uint32_t frequency() const;
    std::uint32_t length() const;  // of the document it stands on
    Result<std::vector<std::uint32_t>> positions() const;
    // The largest score any posting of the term can have.
    double max_score() const { return max_score_; }
    // Of the block that holds target, or the first block after it: its bound and its last document (0 and
    // no_more_docs past the last block). The block is not read.
    double block_bound(std::uint32_t target) const;
    std::uint32_t block_last_doc(std::uint32_t target) const;
    std::size_t blocks_read() const { return blocks_read_; }

private:
    std::size_t block_of(std::uint32_t target) const;
    void enter(std::size_t block);

    const TermPostings& term_;
    double weight_;
    Bm25 bm25_;
    double average_length_;
    double bound_of(std::size_t block) const;  // computed on first use: a query meets few of a long term's blocks

    mutable std::vector<double> block_bounds_;  // negative: not computed yet
    double max_score_ = 0;
    std::size_t block_ = 0;
    std::optional<PostingBlock> current_;
    std::size_t in_block_ = 0;
    std::uint32_t doc_ = no_more_docs;
    std::size_t blocks_read_ = 0;
};

}  // namespace debrief::projections
