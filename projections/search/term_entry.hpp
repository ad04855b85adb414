// A term dictionary entry: the term's document frequency and, for each of its blocks, the key suffix it is stored
// under, its size and its bounds (first and last document, competitive impacts), so that a query learns what it
// may skip from one read. Varint-encoded, versioned; a malformed entry is an error, never a read out of bounds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "projections/search/term_postings.hpp"

namespace debrief::projections {

struct StoredBlock {
    std::uint32_t id = 0;     // the key's suffix: the block's first document when it was made, so never reused
    std::uint32_t count = 0;  // postings in it
    BlockMeta meta;
    bool operator==(const StoredBlock&) const = default;
};

struct TermEntry {
    std::uint64_t document_frequency = 0;
    std::vector<StoredBlock> blocks;  // in document order
    bool operator==(const TermEntry&) const = default;
    // Competitive over every block (the union's competitive pairs are among the blocks' own).
    std::vector<Impact> impacts() const;
};

std::string encode_term_entry(const TermEntry& entry);
Result<TermEntry> decode_term_entry(std::string_view bytes);

// The organization's counters: the next document number and each field's document count and total length (BM25's
// N and average length).
struct FieldStats {
    std::uint64_t documents = 0;
    std::uint64_t total_length = 0;
    double average_length() const { return documents ? static_cast<double>(total_length) / static_cast<double>(documents) : 0.0; }
    bool operator==(const FieldStats&) const = default;
};
struct IndexCounters {
    std::uint32_t next_doc = 0;
    std::vector<FieldStats> fields;  // by SearchField
    bool operator==(const IndexCounters&) const = default;
};
std::string encode_counters(const IndexCounters& counters);
Result<IndexCounters> decode_counters(std::string_view bytes);

}  // namespace debrief::projections
