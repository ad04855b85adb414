// Top-k retrieval over posting cursors: a bounded heap of the best so far, and three ways to walk the postings.
#include "projections/search/top_k.hpp"

#include <algorithm>
#include <queue>

namespace debrief::projections {
namespace {

bool better(const ScoredDoc& a, const ScoredDoc& b) { return a.score > b.score || (a.score == b.score && a.doc < b.doc); }

class Best {
public:
    explicit Best(std::size_t k) : k_(k) {}  // k > 0
    // The score a new document must beat (documents come in increasing order, so an equal score loses the tie).
    double threshold() const { return heap_.size() < k_ ? -1.0 : heap_.top().score; }
    void offer(ScoredDoc candidate) {
        if (heap_.size() < k_) {
            heap_.push(candidate);
        } else if (better(candidate, heap_.top())) {
            heap_.pop();
            heap_.push(candidate);
        }
    }
    std::vector<ScoredDoc> sorted() && {
        std::vector<ScoredDoc> out;
        while (!heap_.empty()) {
            out.push_back(heap_.top());
            heap_.pop();
        }
        std::sort(out.begin(), out.end(), better);
        return out;
    }

private:
    struct Worse {
        bool operator()(const ScoredDoc& a, const ScoredDoc& b) const { return better(a, b); }  // the worst on top
    };
    std::size_t k_;
    std::priority_queue<ScoredDoc, std::vector<ScoredDoc>, Worse> heap_;
};

// The document's score over every cursor standing on it, summed in query order (the same order on every path).
double score_at(const std::vector<PostingCursor>& cursors, std::uint32_t doc) {
    double score = 0;
    for (const auto& cursor : cursors)
        if (cursor.doc() == doc) score += cursor.score();
    return score;
}

void finish(const std::vector<PostingCursor>& cursors, TopKStats* stats, std::size_t scored) {
    if (!stats) return;
    stats->scored += scored;
    for (const auto& cursor : cursors) stats->blocks_read += cursor.blocks_read();
}

}  // namespace

std::vector<ScoredDoc> top_k_any(std::vector<PostingCursor>& cursors, std::size_t k, const DocFilter& accept, TopKStats* stats) {
    if (k == 0) return {};
    Best best(k);
    std::size_t scored = 0;
    std::vector<PostingCursor*> order;
    for (auto& cursor : cursors) order.push_back(&cursor);
    while (true) {
        std::sort(order.begin(), order.end(), [](const PostingCursor* a, const PostingCursor* b) { return a->doc() < b->doc(); });
        const double threshold = best.threshold();
        // The pivot: the first cursor at which the terms so far could, at their best, beat the threshold.
        double reach = 0;
        std::size_t pivot = order.size();
        for (std::size_t i = 0; i < order.size() && order[i]->doc() != no_more_docs; ++i) {
            reach += order[i]->max_score();
            if (reach > threshold) {
                pivot = i;
                break;
            }
        }
        if (pivot == order.size()) break;
        const auto candidate = order[pivot]->doc();
        while (pivot + 1 < order.size() && order[pivot + 1]->doc() == candidate) ++pivot;
        // The bounds of the blocks that would hold the candidate, without reading them.
        double block_reach = 0;
        for (std::size_t i = 0; i <= pivot; ++i) block_reach += order[i]->block_bound(candidate);
        if (block_reach > threshold) {
            if (order[0]->doc() == candidate) {
                if (!accept || accept(candidate)) {
                    ++scored;
                    best.offer({candidate, score_at(cursors, candidate)});
                }
                for (std::size_t i = 0; i <= pivot; ++i) order[i]->next();
            } else {
                for (std::size_t i = 0; i < pivot && order[i]->doc() < candidate; ++i) order[i]->advance(candidate);
            }
            continue;
        }
        // No document up to the end of the first of these blocks to end can beat the threshold: jump past it, and past
        // every following stretch whose blocks cannot either, reading none of them, until a stretch could, or the next
        // term's document (where that term joins the sum) is reached.
        const std::uint32_t stop = pivot + 1 < order.size() ? order[pivot + 1]->doc() : no_more_docs;
        std::uint32_t next = candidate;
        while (true) {
            std::uint32_t upto = no_more_docs;
            for (std::size_t i = 0; i <= pivot; ++i) upto = std::min(upto, order[i]->block_last_doc(next));
            next = upto == no_more_docs ? no_more_docs : upto + 1;
            if (next >= stop) {
                next = stop;
                break;
            }
            double reach_here = 0;
            for (std::size_t i = 0; i <= pivot; ++i) reach_here += order[i]->block_bound(next);
            if (reach_here > threshold) break;
        }
        if (next <= candidate) next = candidate + 1;
        for (std::size_t i = 0; i <= pivot; ++i)
            if (order[i]->doc() < next) order[i]->advance(next);
    }
    finish(cursors, stats, scored);
    return std::move(best).sorted();
}

std::vector<ScoredDoc> top_k_any_exhaustive(std::vector<PostingCursor>& cursors, std::size_t k, const DocFilter& accept, TopKStats* stats) {
    if (k == 0) return {};
    Best best(k);
    std::size_t scored = 0;
    while (true) {
        std::uint32_t doc = no_more_docs;
        for (const auto& cursor : cursors) doc = std::min(doc, cursor.doc());
        if (doc == no_more_docs) break;
        if (!accept || accept(doc)) {
            ++scored;
            best.offer({doc, score_at(cursors, doc)});
        }
        for (auto& cursor : cursors)
            if (cursor.doc() == doc) cursor.next();
    }
    finish(cursors, stats, scored);
    return std::move(best).sorted();
}

namespace {

// Leapfrog: calls on_match(doc) for each document every cursor has, in order, until it returns or the cursors end.
template <typename OnMatch>
void each_common_doc(std::vector<PostingCursor>& cursors, OnMatch on_match) {
    std::uint32_t target = 0;
    while (true) {
        bool agreed = true;
        for (auto& cursor : cursors) {
            cursor.advance(target);
            if (cursor.doc() == no_more_docs) return;
            if (cursor.doc() != target) {
                target = cursor.doc();
                agreed = false;
            }
        }
        if (!agreed) continue;
        on_match(target);
        target += 1;
    }
}

}  // namespace

std::vector<ScoredDoc> top_k_all(std::vector<PostingCursor>& cursors, std::size_t k, const DocFilter& accept, TopKStats* stats) {
    if (k == 0 || cursors.empty()) return {};
    Best best(k);
    std::size_t scored = 0;
    each_common_doc(cursors, [&](std::uint32_t doc) {
        if (accept && !accept(doc)) return;
        ++scored;
        best.offer({doc, score_at(cursors, doc)});
    });
    finish(cursors, stats, scored);
    return std::move(best).sorted();
}

std::uint32_t phrase_frequency(const std::vector<PostingCursor>& cursors, const std::vector<std::uint32_t>& offsets) {
    std::vector<std::vector<std::uint32_t>> positions;
    for (const auto& cursor : cursors) {
        auto read = cursor.positions();
        if (!read) return 0;  // a malformed block holds no phrase
        positions.push_back(std::move(read).value());
    }
    std::uint32_t frequency = 0;
    for (auto start : positions[0]) {
        if (start < offsets[0]) continue;
        const auto phrase_start = static_cast<std::uint64_t>(start) - offsets[0];
        bool all = true;
        for (std::size_t i = 1; i < positions.size() && all; ++i)
            all = std::binary_search(positions[i].begin(), positions[i].end(), phrase_start + offsets[i]);
        frequency += all ? 1 : 0;
    }
    return frequency;
}

std::vector<ScoredDoc> top_k_phrase(std::vector<PostingCursor>& cursors, const Phrase& phrase, std::size_t k, const DocFilter& accept,
                                    TopKStats* stats) {
    if (k == 0 || cursors.empty() || phrase.offsets.size() != cursors.size()) return {};
    Best best(k);
    std::size_t scored = 0;
    each_common_doc(cursors, [&](std::uint32_t doc) {
        if (accept && !accept(doc)) return;
        const auto frequency = phrase_frequency(cursors, phrase.offsets);
        if (frequency == 0) return;
        ++scored;
        best.offer({doc, phrase.bm25.score(phrase.weight, frequency, cursors.front().length(), phrase.average_length)});
    });
    finish(cursors, stats, scored);
    return std::move(best).sorted();
}

}  // namespace debrief::projections
