// The suggestions' word counts (`x/<org>/w/<coach>/<word>`, index_keys.hpp) are added to by RocksDB merges: a batch
// that indexes documents writes each word's increment as a merge operand instead of reading the count first (those
// reads were a fifth of the indexing time). Values and operands are decimal text; a merged value is the sum.
// Every open of a search store, read-only ones too, sets this operator: a key with operands cannot be read without it.
#pragma once

#include <memory>

namespace rocksdb {
class MergeOperator;
}

namespace debrief::projections {

std::shared_ptr<rocksdb::MergeOperator> word_count_merge_operator();

}  // namespace debrief::projections
