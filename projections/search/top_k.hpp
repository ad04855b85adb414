// The k best documents of a query over term cursors, by the sum of the terms' BM25 scores; best first, ties by
// document number. `top_k_any` (documents with any of the terms) runs block-max WAND (Ding and Suel, 2011): it
// scores a document only when the terms' bounds say it could enter the current top k, first with each term's
// bound over all its blocks, then with the bounds of the blocks that hold the candidate, and it jumps past whole
// blocks that cannot. `top_k_any_exhaustive` scores every document (the baseline the benchmark compares, and what the
// tests check WAND against); `top_k_all` keeps the documents that have every term.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "projections/search/posting_cursor.hpp"

namespace debrief::projections {

struct ScoredDoc {
    std::uint32_t doc = 0;
    double score = 0;
};

// Which documents may be answered (filters, deletions, roles); unset: all.
using DocFilter = std::function<bool(std::uint32_t doc)>;

struct TopKStats {
    std::size_t scored = 0;       // documents whose full score was computed
    std::size_t blocks_read = 0;  // posting blocks decoded
};

std::vector<ScoredDoc> top_k_any(std::vector<PostingCursor>& cursors, std::size_t k, const DocFilter& accept = {}, TopKStats* stats = nullptr);
std::vector<ScoredDoc> top_k_any_exhaustive(std::vector<PostingCursor>& cursors, std::size_t k, const DocFilter& accept = {},
                                            TopKStats* stats = nullptr);
std::vector<ScoredDoc> top_k_all(std::vector<PostingCursor>& cursors, std::size_t k, const DocFilter& accept = {}, TopKStats* stats = nullptr);

}  // namespace debrief::projections
