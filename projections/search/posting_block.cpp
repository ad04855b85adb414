// The block format, version 1:
//   u8 1 | varint count | varint first doc
//   u8 width, packed doc gaps minus one (count - 1 values) | u8 width (0 to 31), packed frequencies minus one | u8 width, packed lengths
//   varint positions bytes | per posting: first position, then gaps minus one (varints)
// Packed: little-endian bit stream, `width` bits per value (0 to 32), ceil(n * width / 8) bytes.
#include "projections/search/posting_block.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace debrief::projections {
namespace {

constexpr unsigned char format_version = 1;
static_assert(std::endian::native == std::endian::little, "the packed arrays are read with little-endian 64-bit loads");

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
    // Checks that a packed array of count values fits, and steps over it.
    bool skip_packed(std::size_t count, unsigned max_width) {
        unsigned char width = 0;
        if (!byte(width)) return false;
        if (width > max_width) return fail("a packed width above " + std::to_string(max_width) + " bits");
        const std::size_t size = (count * width + 7) / 8;
        if (bytes.size() - at < size) return fail("a packed array runs past the block");
        at += size;
        return true;
    }
    bool packed(std::size_t count, std::uint32_t* out, unsigned max_width = 32) {
        const auto start = at;
        if (!skip_packed(count, max_width)) return false;
        const unsigned width = static_cast<unsigned char>(bytes[start]);
        const std::size_t size = at - start - 1;
        // The array copied into a zero-padded buffer, so that every value is one unaligned 64-bit load and a shift
        // (a value starts at most 7 bits into its load and is at most 32 bits wide), with no test per byte.
        std::array<unsigned char, postings_per_block * 4 + 8> padded{};
        std::memcpy(padded.data(), bytes.data() + start + 1, size);
        const std::uint64_t mask = width == 32 ? 0xFFFFFFFFull : ((1ull << width) - 1);
        for (std::size_t i = 0, bit = 0; i < count; ++i, bit += width) {
            std::uint64_t word;
            std::memcpy(&word, padded.data() + bit / 8, sizeof word);
            out[i] = static_cast<std::uint32_t>((word >> (bit % 8)) & mask);
        }
        return true;
    }
};

}  // namespace

std::string encode_block(std::span<const Posting> postings) {
    if (postings.empty() || postings.size() > postings_per_block) throw std::invalid_argument("a posting block holds 1 to 128 postings");
    std::vector<std::uint32_t> gaps, frequencies, lengths;
    std::string positions;
    for (std::size_t i = 0; i < postings.size(); ++i) {
        const auto& p = postings[i];
        if (p.positions.empty()) throw std::invalid_argument("a posting without a position");
        if (i > 0) {
            if (p.doc <= postings[i - 1].doc) throw std::invalid_argument("posting documents must increase");
            gaps.push_back(p.doc - postings[i - 1].doc - 1);
        }
        if (p.positions.size() > (1u << 31)) throw std::invalid_argument("a frequency above 2^31");
        frequencies.push_back(static_cast<std::uint32_t>(p.positions.size() - 1));
        lengths.push_back(p.length);
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
    put_varint(out, positions.size());
    out += positions;
    return out;
}

Result<PostingBlock> PostingBlock::decode(std::string_view bytes) { return decode(bytes, nullptr); }

Result<PostingBlock> PostingBlock::decode(std::shared_ptr<const std::string> bytes) {
    const std::string_view view = *bytes;
    return decode(view, std::move(bytes));
}

Result<PostingBlock> PostingBlock::decode(std::string_view bytes, std::shared_ptr<const std::string> storage) {
    Reader r{bytes};
    PostingBlock block;
    unsigned char version = 0;
    std::uint64_t count = 0, first = 0, positions_size = 0;
    std::array<std::uint32_t, postings_per_block> gaps{};
    std::size_t scoring_start = 0, scoring_end = 0;
    if (r.byte(version) && version != format_version) r.fail("unknown block format " + std::to_string(version));
    if (!r.failure && r.varint(count, postings_per_block) && count == 0) r.fail("an empty block");
    if (!r.failure && r.varint(first) && r.packed(count - 1, gaps.data()) && (scoring_start = r.at, r.skip_packed(count, 31)) &&
        r.skip_packed(count, 32) && (scoring_end = r.at, r.varint(positions_size)) && bytes.size() - r.at != positions_size)
        r.fail("the positions do not fill the rest of the block");
    if (r.failure) return malformed(*r.failure);
    block.size_ = count;
    std::uint64_t doc = first;
    block.docs_[0] = static_cast<std::uint32_t>(first);
    for (std::size_t i = 1; i < count; ++i) {
        doc += std::uint64_t{gaps[i - 1]} + 1;
        if (doc > UINT32_MAX) return malformed("a document number is out of range");
        block.docs_[i] = static_cast<std::uint32_t>(doc);
    }
    // What is read later stays readable: the caller's bytes, or a copy of their tail.
    std::string_view kept = bytes.substr(scoring_start);
    if (!storage) {
        storage = std::make_shared<const std::string>(kept);
        kept = *storage;
    }
    block.packed_scoring_ = kept.substr(0, scoring_end - scoring_start);
    block.positions_ = kept.substr(r.at - scoring_start);
    block.storage_ = std::move(storage);
    return block;
}

void PostingBlock::unpack_scoring() const {
    if (scoring_unpacked_) return;
    Reader r{packed_scoring_};
    r.packed(size_, frequencies_.data(), 31);  // checked to fit by decode
    r.packed(size_, lengths_.data());
    for (std::size_t i = 0; i < size_; ++i) frequencies_[i] += 1;  // below 2^31: no overflow
    scoring_unpacked_ = true;
}

std::span<const std::uint32_t> PostingBlock::frequencies() const {
    unpack_scoring();
    return {frequencies_.data(), size_};
}

std::span<const std::uint32_t> PostingBlock::lengths() const {
    unpack_scoring();
    return {lengths_.data(), size_};
}

// Every posting's positions, checked once: as many as its frequency, inside the block, nothing left over.
Result<bool> PostingBlock::index_positions() const {
    if (!position_offsets_.empty()) return true;
    Reader p{positions_};
    std::vector<std::uint32_t> offsets(size_);
    for (std::size_t i = 0; i < size_; ++i) {
        offsets[i] = static_cast<std::uint32_t>(p.at);
        std::uint64_t position = 0;
        for (std::uint32_t j = 0; j < frequencies()[i]; ++j) {
            std::uint64_t step = 0;
            if (!p.varint(step)) return malformed("positions: " + *p.failure);
            position = j == 0 ? step : position + step + 1;
            if (position > UINT32_MAX) return malformed("a position is out of range");
        }
    }
    if (p.at != positions_.size()) return malformed("positions left over after the last posting");
    position_offsets_ = std::move(offsets);
    return true;
}

Result<std::vector<std::uint32_t>> PostingBlock::positions(std::size_t i) const {
    if (auto indexed = index_positions(); !indexed) return indexed.error();
    Reader p{positions_, position_offsets_.at(i)};  // at(): a posting beyond the block throws, never reads
    std::vector<std::uint32_t> out;
    std::uint64_t position = 0;
    for (std::uint32_t j = 0; j < frequencies_[i]; ++j) {
        std::uint64_t step = 0;
        p.varint(step);  // checked by index_positions
        position = j == 0 ? step : position + step + 1;
        out.push_back(static_cast<std::uint32_t>(position));
    }
    return out;
}

}  // namespace debrief::projections
