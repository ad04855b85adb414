// PostingCursor: block bounds computed once, blocks read on landing.
#include "projections/search/posting_cursor.hpp"

#include <algorithm>

namespace debrief::projections {

PostingCursor::PostingCursor(const TermPostings& term, double weight, Bm25 bm25, double average_length)
    : term_(term), weight_(weight), bm25_(bm25), average_length_(average_length) {
    for (const auto& meta : term_.blocks) {
        // A hair above the bound: the sum of bounds must never fall below the sum of scores by rounding.
        block_bounds_.push_back(bm25_.score(weight_, meta.max_frequency, meta.min_length, average_length_) * (1 + 1e-9));
        max_score_ = std::max(max_score_, block_bounds_.back());
    }
    if (!term_.blocks.empty()) enter(0);
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
std::vector<std::uint32_t> PostingCursor::positions() const { return current_->positions(in_block_); }

double PostingCursor::block_bound(std::uint32_t target) const {
    if (doc_ == no_more_docs) return 0;
    const auto block = block_of(target);
    return block == term_.blocks.size() ? 0 : block_bounds_[block];
}

std::uint32_t PostingCursor::block_last_doc(std::uint32_t target) const {
    if (doc_ == no_more_docs) return no_more_docs;
    const auto block = block_of(target);
    return block == term_.blocks.size() ? no_more_docs : term_.blocks[block].last_doc;
}

}  // namespace debrief::projections
