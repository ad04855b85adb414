// PostingCursor: block bounds computed once, blocks read on landing.
#include "projections/search/posting_cursor.hpp"

#include <algorithm>

namespace debrief::projections {

PostingCursor::PostingCursor(const TermPostings& term, double weight, Bm25 bm25, double average_length)
    : term_(term), weight_(weight), bm25_(bm25), average_length_(average_length) {
    block_bounds_.assign(term_.blocks.size(), -1.0);
    // The term's best: of the impacts of all its blocks (the term's own frontier, which the index keeps).
    for (const auto& impact : term_.impacts) max_score_ = std::max(max_score_, bm25_.score(weight_, impact.frequency, impact.length, average_length_));
    max_score_ *= 1 + 1e-9;  // a hair above: the sum of bounds must never fall below the sum of scores by rounding
    if (!term_.blocks.empty()) enter(0);
}

double PostingCursor::bound_of(std::size_t block) const {
    auto& bound = block_bounds_[block];
    if (bound < 0) {
        double best = 0;
        for (const auto& impact : term_.blocks[block].impacts)
            best = std::max(best, bm25_.score(weight_, impact.frequency, impact.length, average_length_));
        bound = best * (1 + 1e-9);
    }
    return bound;
}

void PostingCursor::enter(std::size_t block) {
    block_ = block;
    current_ = term_.load(block);
    ++blocks_read_;
    in_block_ = 0;
    doc_ = current_->docs()[0];
}

void PostingCursor::next() {
    if (doc_ == no_more_docs) return;
    if (++in_block_ < current_->size()) {
        doc_ = current_->docs()[in_block_];
    } else if (block_ + 1 < term_.blocks.size()) {
        enter(block_ + 1);
    } else {
        doc_ = no_more_docs;
    }
}

std::size_t PostingCursor::block_of(std::uint32_t target) const {
    if (block_ < term_.blocks.size() && target <= term_.blocks[block_].last_doc) return block_;  // most often: where it stands
    if (block_ + 1 < term_.blocks.size() && target <= term_.blocks[block_ + 1].last_doc) return block_ + 1;
    auto it = std::lower_bound(term_.blocks.begin() + static_cast<std::ptrdiff_t>(block_), term_.blocks.end(), target,
                               [](const BlockMeta& meta, std::uint32_t doc) { return meta.last_doc < doc; });
    return static_cast<std::size_t>(it - term_.blocks.begin());
}

void PostingCursor::advance(std::uint32_t target) {
    if (doc_ >= target) return;
    const auto block = block_of(target);
    if (block == term_.blocks.size()) {
        doc_ = no_more_docs;
        return;
    }
    if (block != block_) enter(block);
    const auto docs = current_->docs();
    in_block_ = static_cast<std::size_t>(std::lower_bound(docs.begin() + static_cast<std::ptrdiff_t>(in_block_), docs.end(), target) - docs.begin());
    doc_ = docs[in_block_];  // the block's last document is at or after target
}

double PostingCursor::score() const {
    return bm25_.score(weight_, current_->frequencies()[in_block_], current_->lengths()[in_block_], average_length_);
}

std::uint32_t PostingCursor::frequency() const { return current_->frequencies()[in_block_]; }
std::uint32_t PostingCursor::length() const { return current_->lengths()[in_block_]; }
Result<std::vector<std::uint32_t>> PostingCursor::positions() const { return current_->positions(in_block_); }

double PostingCursor::block_bound(std::uint32_t target) const {
    if (doc_ == no_more_docs) return 0;
    const auto block = block_of(target);
    return block == term_.blocks.size() ? 0 : bound_of(block);
}

std::uint32_t PostingCursor::block_last_doc(std::uint32_t target) const {
    if (doc_ == no_more_docs) return no_more_docs;
    const auto block = block_of(target);
    return block == term_.blocks.size() ? no_more_docs : term_.blocks[block].last_doc;
}

}  // namespace debrief::projections
