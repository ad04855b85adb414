// The changes one batch of events makes to the search index, gathered in memory and written in the batch's one
// WriteBatch (with the projector's offsets). A document added takes the organization's next number, so its postings
// go at the end of each of its terms' last block (a new block when that one holds 128); a document removed (a
// refinement replaces a summary's sections, an erasure removes a client's material) is taken out of the blocks that
// hold it at once: the affected blocks are rewritten, their bounds and the term's document frequency with them, so
// the index never answers a removed document and needs no later merge.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "projections/search/posting_block.hpp"
#include "projections/search/search_document.hpp"
#include "projections/search/term_entry.hpp"
#include "projections/search/text_analyzer.hpp"

namespace rocksdb {
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace debrief::projections {

// The store's own bytes do not decode: not the event's fault, so the batch fails (and is read again) instead of
// dead-lettering the event.
struct IndexDamaged : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class IndexWriter {
public:
    explicit IndexWriter(rocksdb::DB& db);
    ~IndexWriter();

    // Indexes the document under the organization's next number and answers it; nullopt when it has no term to be
    // found by (then nothing is stored).
    std::optional<std::uint32_t> add(const std::string& org, const SearchDocument& document);
    // Takes the document out of every block and of the store and answers what it was; a number that holds none is
    // left alone (nullopt).
    std::optional<SearchDocument> remove(const std::string& org, std::uint32_t doc);
    std::optional<SearchDocument> document(const std::string& org, std::uint32_t doc);
    // Stores the document in place of the stored one with the same terms (a change of who may see it, not of its text).
    void restore(const std::string& org, std::uint32_t doc, const SearchDocument& document);

    // Plain values under the index's other keys (index_keys.hpp), read through this batch's changes.
    std::optional<std::string> get(const std::string& key);
    void put(const std::string& key, std::string value);
    void erase(const std::string& key);
    // Every key under the prefix, in order, as this batch leaves them.
    std::vector<std::string> keys_under(const std::string& prefix);

    void write_to(rocksdb::WriteBatch& batch) const;

    // The documents this batch stored or removed, in order, for the query side's columns once it is committed.
    struct DocumentChange {
        std::string org;
        std::uint32_t doc = 0;
        std::optional<SearchDocument> document;  // nullopt: removed
    };
    const std::vector<DocumentChange>& document_changes() const { return changes_; }
    // The organizations whose users or clients this batch changed, for the query side's names.
    std::set<std::string> people_changed() const;

private:
    struct TermState {
        TermEntry entry;
        bool exists = false;
    };
    IndexCounters& counters(const std::string& org);
    TermState& term(const std::string& key);
    std::vector<Posting>& block(const std::string& key);
    struct Analysed {
        std::map<std::string, std::vector<std::uint32_t>> positions;  // by term
        std::set<std::string> words;                                  // as suggestions show them
    };
    Analysed analyse(std::string_view text);
    void count_words(const std::string& org, const std::string& coach, const std::set<std::string>& words, int change);

    rocksdb::DB& db_;
    TextAnalyzer analyzer_;
    std::map<std::string, IndexCounters> counters_;
    std::map<std::string, TermState> terms_;
    std::map<std::string, std::optional<std::vector<Posting>>> blocks_;  // nullopt: deleted
    std::map<std::string, std::optional<std::string>> values_;           // documents and the other keys; nullopt: deleted
    struct WordCount {
        std::optional<std::uint64_t> stored;  // read only for a decrement
        std::int64_t change = 0;              // this batch's
    };
    std::map<std::string, WordCount> word_counts_;  // suggestions' counts
    std::vector<DocumentChange> changes_;
};

}  // namespace debrief::projections
