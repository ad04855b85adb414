#include "projections/search/word_count_merge.hpp"

#include <rocksdb/merge_operator.h>

#include <charconv>
#include <string>

namespace debrief::projections {
namespace {

std::int64_t number_of(const rocksdb::Slice& text) {
    std::int64_t value = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (first != last && *first == '+') ++first;
    std::from_chars(first, last, value);  // the store wrote every value; a damaged one counts as 0
    return value;
}

// Sums are associative, so operands may be merged with each other before they meet the stored count.
class WordCountMerge : public rocksdb::AssociativeMergeOperator {
public:
    bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value, std::string* merged,
               rocksdb::Logger*) const override {
        const auto sum = (existing ? number_of(*existing) : 0) + number_of(value);
        *merged = std::to_string(sum < 0 ? 0 : sum);
        return true;
    }
    const char* Name() const override { return "debrief.search.word_count"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> word_count_merge_operator() { return std::make_shared<WordCountMerge>(); }

}  // namespace debrief::projections
