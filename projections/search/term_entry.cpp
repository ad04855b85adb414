// Term dictionary entries and counters as bytes: varints after a version byte.
#include "projections/search/term_entry.hpp"

#include <algorithm>

#include "projections/search/search_document.hpp"

namespace debrief::projections {
namespace {

constexpr char term_entry_version = 1;
constexpr char counters_version = 1;

void put_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

class Reader {
public:
    explicit Reader(std::string_view bytes) : bytes_(bytes) {}
    bool varint(std::uint64_t& value) {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at_ >= bytes_.size()) return false;
            const auto byte = static_cast<unsigned char>(bytes_[at_++]);
            value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) return true;
        }
        return false;
    }
    bool u32(std::uint32_t& value) {
        std::uint64_t wide = 0;
        if (!varint(wide) || wide > UINT32_MAX) return false;
        value = static_cast<std::uint32_t>(wide);
        return true;
    }
    bool done() const { return at_ == bytes_.size(); }
    std::size_t left() const { return bytes_.size() - at_; }

private:
    std::string_view bytes_;
    std::size_t at_ = 0;
};

Error malformed(std::string what) { return Error{ErrorKind::internal, "search_index_malformed", std::move(what)}; }

}  // namespace

std::vector<Impact> TermEntry::impacts() const {
    std::vector<Impact> all;
    for (const auto& block : blocks) all.insert(all.end(), block.meta.impacts.begin(), block.meta.impacts.end());
    std::sort(all.begin(), all.end(), [](const Impact& a, const Impact& b) { return a.length != b.length ? a.length < b.length : a.frequency > b.frequency; });
    std::vector<Impact> frontier;
    for (const auto& impact : all)
        if (frontier.empty() || impact.frequency > frontier.back().frequency) frontier.push_back(impact);
    return frontier;
}

std::string encode_term_entry(const TermEntry& entry) {
    std::string out(1, term_entry_version);
    put_varint(out, entry.document_frequency);
    put_varint(out, entry.blocks.size());
    std::uint32_t previous_last = 0;
    for (const auto& block : entry.blocks) {
        // Documents as gaps from the previous block's last: small numbers, one or two bytes.
        put_varint(out, block.meta.first_doc - previous_last);
        put_varint(out, block.meta.last_doc - block.meta.first_doc);
        put_varint(out, block.meta.first_doc - block.id);
        put_varint(out, block.count);
        put_varint(out, block.meta.impacts.size());
        for (const auto& impact : block.meta.impacts) {
            put_varint(out, impact.frequency);
            put_varint(out, impact.length);
        }
        previous_last = block.meta.last_doc;
    }
    return out;
}

Result<TermEntry> decode_term_entry(std::string_view bytes) {
    if (bytes.empty() || bytes[0] != term_entry_version) return malformed("term entry of an unknown version");
    Reader in(bytes.substr(1));
    TermEntry entry;
    std::uint64_t blocks = 0;
    if (!in.varint(entry.document_frequency) || !in.varint(blocks) || blocks > in.left()) return malformed("term entry header");
    entry.blocks.reserve(blocks);
    std::uint64_t previous_last = 0;
    for (std::uint64_t i = 0; i < blocks; ++i) {
        std::uint64_t first_gap = 0, span = 0, id_gap = 0, count = 0, impacts = 0;
        if (!in.varint(first_gap) || !in.varint(span) || !in.varint(id_gap) || !in.varint(count) || !in.varint(impacts) ||
            impacts > in.left() || count == 0 || count > postings_per_block)
            return malformed("term entry block");
        const std::uint64_t first = previous_last + first_gap, last = first + span;
        if (last >= no_more_docs || id_gap > first || (i > 0 && first_gap == 0)) return malformed("term entry block bounds");
        StoredBlock block;
        block.id = static_cast<std::uint32_t>(first - id_gap);
        block.count = static_cast<std::uint32_t>(count);
        block.meta.first_doc = static_cast<std::uint32_t>(first);
        block.meta.last_doc = static_cast<std::uint32_t>(last);
        for (std::uint64_t j = 0; j < impacts; ++j) {
            Impact impact;
            if (!in.u32(impact.frequency) || !in.u32(impact.length)) return malformed("term entry impact");
            block.meta.impacts.push_back(impact);
        }
        previous_last = last;
        entry.blocks.push_back(std::move(block));
    }
    if (!in.done()) return malformed("term entry trailing bytes");
    return entry;
}

std::string encode_counters(const IndexCounters& counters) {
    std::string out(1, counters_version);
    put_varint(out, counters.next_doc);
    put_varint(out, counters.fields.size());
    for (const auto& field : counters.fields) {
        put_varint(out, field.documents);
        put_varint(out, field.total_length);
    }
    return out;
}

Result<IndexCounters> decode_counters(std::string_view bytes) {
    if (bytes.empty() || bytes[0] != counters_version) return malformed("index counters of an unknown version");
    Reader in(bytes.substr(1));
    IndexCounters counters;
    std::uint64_t fields = 0;
    if (!in.u32(counters.next_doc) || !in.varint(fields) || fields > in.left()) return malformed("index counters header");
    counters.fields.resize(std::max<std::size_t>(fields, search_field_count));
    for (std::uint64_t i = 0; i < fields; ++i)
        if (!in.varint(counters.fields[i].documents) || !in.varint(counters.fields[i].total_length)) return malformed("index counters field");
    if (!in.done()) return malformed("index counters trailing bytes");
    return counters;
}

}  // namespace debrief::projections
