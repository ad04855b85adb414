// The folded forms of code points whose folding is not the identity (generated: ops/unicode-fold-table), sorted.
#pragma once

#include <cstddef>

namespace debrief::projections::unicode {

struct FoldEntry {
    char32_t code_point;
    const char* folded;  // UTF-8; "" for a combining mark, which folding drops
};

extern const FoldEntry fold_table[];
extern const std::size_t fold_table_size;

}  // namespace debrief::projections::unicode
