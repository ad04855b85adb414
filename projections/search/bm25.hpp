// BM25, the score Lucene, Tantivy and Elasticsearch rank by: for a term in a document,
//   idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average length)),   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))
// with k1 = 1.2 (how soon more occurrences stop counting) and b = 0.75 (how much a long document is discounted).
// The score grows with tf and falls with length, so a block's largest frequency with its smallest length bounds
// the score of every document in it.
#pragma once

#include <cmath>
#include <cstdint>

namespace debrief::projections {

struct Bm25 {
    double k1 = 1.2;
    double b = 0.75;

    static double idf(std::uint64_t documents, std::uint64_t document_frequency) {
        const auto n = static_cast<double>(documents), df = static_cast<double>(document_frequency);
        return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    }
    double score(double idf, std::uint32_t frequency, std::uint32_t length, double average_length) const {
        const double tf = frequency;
        const double norm = k1 * (1.0 - b + b * (average_length > 0 ? length / average_length : 1.0));
        return idf * tf * (k1 + 1.0) / (tf + norm);
    }
};

}  // namespace debrief::projections
