// The block format, version 1:
//   u8 1 | varint count | varint first doc
//   u8 width, packed doc gaps minus one (count - 1 values) | u8 width, packed frequencies minus one | u8 width, packed lengths
//   varint max frequency | varint min length | varint positions bytes | per posting: first position, then gaps minus one (varints)
// Packed: little-endian bit stream, `width` bits per value (0 to 32), ceil(n * width / 8) bytes.
#include "projections/search/posting_block.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace debrief::projections {
namespace {

constexpr unsigned char format_version = 1;

Error malformed(const std::string& why) { return Error{ErrorKind::invalid, "posting_block_malformed", why}; }

void put_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7F) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

unsigned width_of(std::span<const std::uint32_t> values) {
    std::uint32_t all = 0;
    for (auto v : values) all |= v;
    unsigned width = 0;
    while (width < 32 && (all >> width) != 0) ++width;
    return width;
}

void put_packed(std::string& out, std::span<const std::uint32_t> values) {
    const auto width = width_of(values);
    out += static_cast<char>(width);
    std::uint64_t buffer = 0;
    unsigned bits = 0;
    for (auto v : values) {
        buffer |= static_cast<std::uint64_t>(v) << bits;
        bits += width;
        while (bits >= 8) {
            out += static_cast<char>(buffer & 0xFF);
            buffer >>= 8;
            bits -= 8;
        }
    }
    if (bits > 0) out += static_cast<char>(buffer & 0xFF);
}

// Reads what the writer wrote, refusing anything that runs past the end.
struct Reader {
    std::string_view bytes;
    std::size_t at = 0;
    std::optional<std::string> failure;

    bool fail(const std::string& why) {
        if (!failure) failure = why;
        return false;
    }
    bool byte(unsigned char& out) {
        if (at >= bytes.size()) return fail("the block ends early");
        out = static_cast<unsigned char>(bytes[at++]);
        return true;
    }
    bool varint(std::uint64_t& out, std::uint64_t max = UINT32_MAX) {
        out = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            unsigned char b = 0;
            if (!byte(b)) return false;
            out |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) {
                if (out > max) return fail("a number is out of range");
                return true;
            }
        }
        return fail("a varint is too long");
    }
    bool packed(std::size_t count, std::vector<std::uint32_t>& out) {
        unsigned char width = 0;
        if (!byte(width)) return false;
        if (width > 32) return fail("a packed width above 32 bits");
        const std::size_t size = (count * width + 7) / 8;
        if (bytes.size() - at < size) return fail("a packed array runs past the block");
        out.resize(count);
        std::uint64_t buffer = 0;
        unsigned bits = 0;
        const std::uint64_t mask = width == 32 ? 0xFFFFFFFFull : ((1ull << width) - 1);
        for (std::size_t i = 0; i < count; ++i) {
            while (bits < width) {
                buffer |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at++])) << bits;
                bits += 8;
            }
            out[i] = static_cast<std::uint32_t>(buffer & mask);
            buffer = width == 0 ? buffer : buffer >> width;
            bits -= width;
        }
        return true;
    }
};

}  // namespace

std::string encode_block(std::span<const Posting> postings) {
    if (postings.empty() || postings.size() > postings_per_block) throw std::invalid_argument("a posting block holds 1 to 128 postings");
    std::vector<std::uint32_t> gaps, frequencies, lengths;
    std::uint32_t max_frequency = 0, min_length = UINT32_MAX;
    std::string positions;
    for (std::size_t i = 0; i < postings.size(); ++i) {
        const auto& p = postings[i];
        if (p.positions.empty()) throw std::invalid_argument("a posting without a position");
        if (i > 0) {
            if (p.doc <= postings[i - 1].doc) throw std::invalid_argument("posting documents must increase");
            gaps.push_back(p.doc - postings[i - 1].doc - 1);
        }
        frequencies.push_back(static_cast<std::uint32_t>(p.positions.size() - 1));
        lengths.push_back(p.length);
        max_frequency = std::max(max_frequency, static_cast<std::uint32_t>(p.positions.size()));
        min_length = std::min(min_length, p.length);
        for (std::size_t j = 0; j < p.positions.size(); ++j) {
            if (j > 0 && p.positions[j] <= p.positions[j - 1]) throw std::invalid_argument("positions must increase");
            put_varint(positions, j == 0 ? p.positions[0] : p.positions[j] - p.positions[j - 1] - 1);
        }
    }
    std::string out;
    out += static_cast<char>(format_version);
    put_varint(out, postings.size());
    put_varint(out, postings.front().doc);
    put_packed(out, gaps);
    put_packed(out, frequencies);
    put_packed(out, lengths);
    put_varint(out, max_frequency);
    put_varint(out, min_length);
    put_varint(out, positions.size());
    out += positions;
    return out;
}

Result<PostingBlock> PostingBlock::decode(std::string_view bytes) {
    Reader r{bytes};
    PostingBlock block;
    unsigned char version = 0;
    std::uint64_t count = 0, first = 0, max_frequency = 0, min_length = 0, positions_size = 0;
    std::vector<std::uint32_t> gaps;
    if (r.byte(version) && version != format_version) r.fail("unknown block format " + std::to_string(version));
    if (!r.failure && r.varint(count, postings_per_block) && count == 0) r.fail("an empty block");
    if (!r.failure && r.varint(first) && r.packed(count - 1, gaps) && r.packed(count, block.frequencies_) && r.packed(count, block.lengths_) &&
        r.varint(max_frequency) && r.varint(min_length) && r.varint(positions_size) && bytes.size() - r.at != positions_size)
        r.fail("the positions do not fill the rest of the block");
    if (r.failure) return malformed(*r.failure);
    block.docs_.resize(count);
    std::uint64_t doc = first;
    block.docs_[0] = static_cast<std::uint32_t>(first);
    for (std::size_t i = 1; i < count; ++i) {
        doc += std::uint64_t{gaps[i - 1]} + 1;
        if (doc > UINT32_MAX) return malformed("a document number is out of range");
        block.docs_[i] = static_cast<std::uint32_t>(doc);
    }
    std::uint32_t seen_max = 0, seen_min = UINT32_MAX;
    for (std::size_t i = 0; i < count; ++i) {
        if (block.frequencies_[i] == UINT32_MAX) return malformed("a frequency is out of range");
        block.frequencies_[i] += 1;
        seen_max = std::max(seen_max, block.frequencies_[i]);
        seen_min = std::min(seen_min, block.lengths_[i]);
    }
    if (seen_max != max_frequency || seen_min != min_length) return malformed("the block's bounds disagree with its postings");
    block.max_frequency_ = seen_max;
    block.min_length_ = seen_min;
    // Every posting's positions, checked once: as many as its frequency, increasing, inside the block.
    block.positions_ = std::string(bytes.substr(r.at));
    Reader p{block.positions_};
    block.position_offsets_.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        block.position_offsets_[i] = static_cast<std::uint32_t>(p.at);
        std::uint64_t position = 0;
        for (std::uint32_t j = 0; j < block.frequencies_[i]; ++j) {
            std::uint64_t step = 0;
            if (!p.varint(step)) return malformed("positions: " + *p.failure);
            position = j == 0 ? step : position + step + 1;
            if (position > UINT32_MAX) return malformed("a position is out of range");
        }
    }
    if (p.at != block.positions_.size()) return malformed("positions left over after the last posting");
    return block;
}

std::vector<std::uint32_t> PostingBlock::positions(std::size_t i) const {
    Reader p{positions_, position_offsets_.at(i)};
    std::vector<std::uint32_t> out;
    std::uint64_t position = 0;
    for (std::uint32_t j = 0; j < frequencies_[i]; ++j) {
        std::uint64_t step = 0;
        p.varint(step);  // checked by decode
        position = j == 0 ? step : position + step + 1;
        out.push_back(static_cast<std::uint32_t>(position));
    }
    return out;
}

}  // namespace debrief::projections
