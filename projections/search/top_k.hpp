// The k best documents of a query over term cursors, by the sum of the terms' BM25 scores; best first, ties by
// document number. `top_k_any` (documents with any of the terms) runs block-max WAND (Ding and Suel, 2011): it
// scores a document only when the terms' bounds say it could enter the current top k, first with each term's
// bound over all its blocks, then with the bounds of the blocks that hold the candidate, and it jumps past whole
// blocks that cannot. `top_k_any_exhaustive` scores every document (the baseline the benchmark compares, and what the
// tests check WAND against); `top_k_all` keeps the documents that have every term; `top_k_phrase` those that have
// them as a phrase.
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

// An exact phrase: term i of the cursors at position offsets[i] of the phrase (the analysis's positions, so a stop
// word in the phrase is a gap any word fills, as in Lucene). Scored as Lucene's PhraseQuery: BM25 with the phrase's
// frequency in the document and the terms' idfs summed (`weight`).
struct Phrase {
    std::vector<std::uint32_t> offsets;
    double weight = 0;
    Bm25 bm25;
    double average_length = 0;
};
// How often the cursors, all standing on one document, hold the phrase there (0: not at all).
std::uint32_t phrase_frequency(const std::vector<PostingCursor>& cursors, const std::vector<std::uint32_t>& offsets);
std::vector<ScoredDoc> top_k_phrase(std::vector<PostingCursor>& cursors, const Phrase& phrase, std::size_t k, const DocFilter& accept = {},
                                    TopKStats* stats = nullptr);

}  // namespace debrief::projections
