// A batch's changes to the search index: the counters, the term entries and blocks it touched, decoded once and
// written once.
#include "projections/search/index_writer.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <set>

#include "projections/search/index_keys.hpp"

namespace debrief::projections {

IndexWriter::IndexWriter(rocksdb::DB& db) : db_(db) {}
IndexWriter::~IndexWriter() = default;

std::optional<std::string> IndexWriter::get(const std::string& key) {
    if (auto it = values_.find(key); it != values_.end()) return it->second;
    std::string stored;
    auto status = db_.Get(rocksdb::ReadOptions{}, key, &stored);
    if (status.IsNotFound()) return std::nullopt;
    if (!status.ok()) throw IndexDamaged("search index read failed: " + status.ToString());
    return stored;
}
void IndexWriter::put(const std::string& key, std::string value) { values_[key] = std::move(value); }
void IndexWriter::erase(const std::string& key) { values_[key] = std::nullopt; }

std::vector<std::string> IndexWriter::keys_under(const std::string& prefix) {
    std::set<std::string> keys;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions{}));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) keys.insert(it->key().ToString());
    if (!it->status().ok()) throw IndexDamaged("search index scan failed: " + it->status().ToString());
    for (auto at = values_.lower_bound(prefix); at != values_.end() && at->first.starts_with(prefix); ++at) {
        if (at->second)
            keys.insert(at->first);
        else
            keys.erase(at->first);
    }
    return {keys.begin(), keys.end()};
}

std::set<std::string> IndexWriter::people_changed() const {
    std::set<std::string> organizations;
    for (const auto& [key, value] : values_)
        if (auto org = index_keys::organization_of_person(key)) organizations.insert(std::move(*org));
    return organizations;
}

IndexCounters& IndexWriter::counters(const std::string& org) {
    auto it = counters_.find(org);
    if (it != counters_.end()) return it->second;
    IndexCounters counters;
    counters.fields.resize(search_field_count);
    if (auto stored = get(index_keys::meta(org))) {
        auto decoded = decode_counters(*stored);
        if (!decoded) throw IndexDamaged(decoded.error().message);
        counters = std::move(decoded).value();
    }
    return counters_.emplace(org, std::move(counters)).first->second;
}

IndexWriter::TermState& IndexWriter::term(const std::string& key) {
    auto it = terms_.find(key);
    if (it != terms_.end()) return it->second;
    TermState state;
    if (auto stored = get(key)) {
        auto decoded = decode_term_entry(*stored);
        if (!decoded) throw IndexDamaged(decoded.error().message);
        state.entry = std::move(decoded).value();
        state.exists = true;
    }
    return terms_.emplace(key, std::move(state)).first->second;
}

std::vector<Posting>& IndexWriter::block(const std::string& key) {
    auto it = blocks_.find(key);
    if (it != blocks_.end() && it->second) return *it->second;
    std::vector<Posting> postings;
    if (it == blocks_.end()) {
        if (auto stored = get(key)) {
            auto decoded = PostingBlock::decode(std::string_view(*stored));
            if (!decoded) throw IndexDamaged(decoded.error().message);
            const auto& block = decoded.value();
            const auto docs = block.docs();
            const auto lengths = block.lengths();
            for (std::size_t i = 0; i < block.size(); ++i) {
                auto positions = block.positions(i);
                if (!positions) throw IndexDamaged(positions.error().message);
                postings.push_back({docs[i], lengths[i], std::move(positions).value()});
            }
        }
    }
    auto& slot = blocks_[key];
    slot = std::move(postings);
    return *slot;
}

// A suggestion shows a word as typed, folded: "escalation", not the stem "escal"; "Marcus's" as "marcus".
IndexWriter::Analysed IndexWriter::analyse(std::string_view text) {
    Analysed out;
    for (auto& token : analyzer_.analyze(text)) {
        auto word = TextAnalyzer::fold(text.substr(token.start, token.end - token.start));
        if (word.size() > 2 && (word.ends_with("'s") || word.ends_with("\u2019s"))) word.resize(word.size() - (word.ends_with("'s") ? 2 : 4));
        if (!word.empty()) out.words.insert(std::move(word));
        out.positions[std::move(token.term)].push_back(token.position);
    }
    return out;
}

// An increment needs no read: it is written as a merge operand (word_count_merge.hpp). A decrement reads the count
// (the stored one, with its operands) so that a word no document holds any more is deleted, as a rebuild never
// writes it.
void IndexWriter::count_words(const std::string& org, const std::string& coach, const std::set<std::string>& words, int change) {
    for (const auto owner : {std::string_view(coach), index_keys::whole_organization}) {
        if (owner.empty()) continue;
        for (const auto& word : words) {
            const auto key = index_keys::word(org, owner, word);
            auto& count = word_counts_[key];
            if (change < 0 && !count.stored) {
                std::uint64_t stored = 0;
                if (auto text = get(key)) {
                    if (std::from_chars(text->data(), text->data() + text->size(), stored).ptr != text->data() + text->size())
                        throw IndexDamaged("search suggestion count " + key + " is not a number");
                }
                count.stored = stored;
            }
            count.change += change;
        }
    }
}

namespace {
std::uint32_t length_of(const std::map<std::string, std::vector<std::uint32_t>>& positions) {
    std::size_t length = 0;
    for (const auto& [term, at] : positions) length += at.size();
    return static_cast<std::uint32_t>(length);
}
}  // namespace

std::optional<std::uint32_t> IndexWriter::add(const std::string& org, const SearchDocument& document) {
    auto analysed = analyse(document.text);
    auto& positions = analysed.positions;
    if (positions.empty()) return std::nullopt;
    auto& counts = counters(org);
    if (counts.next_doc + 1 >= no_more_docs) throw IndexDamaged("the organization's search document numbers are used up");
    const auto doc = counts.next_doc++;
    const auto length = length_of(positions);
    for (auto& [word, at] : positions) {
        auto& state = term(index_keys::term(org, document.field, word));
        auto& blocks = state.entry.blocks;
        if (blocks.empty() || blocks.back().count >= postings_per_block) blocks.push_back(StoredBlock{doc, 0, BlockMeta{doc, doc, {}}});
        auto& last = blocks.back();
        auto& postings = block(index_keys::block(org, document.field, word, last.id));
        add_competitive_impact(last.meta.impacts, {static_cast<std::uint32_t>(at.size()), length});
        postings.push_back({doc, length, std::move(at)});
        last.count = static_cast<std::uint32_t>(postings.size());
        last.meta.first_doc = postings.front().doc;
        last.meta.last_doc = doc;
        state.entry.document_frequency += 1;
        state.exists = true;
    }
    auto& stats = counts.fields[static_cast<std::size_t>(document.field)];
    stats.documents += 1;
    stats.total_length += length;
    count_words(org, document.coach_id, analysed.words, +1);
    restore(org, doc, document);
    return doc;
}

std::optional<SearchDocument> IndexWriter::remove(const std::string& org, std::uint32_t doc) {
    auto document = this->document(org, doc);
    if (!document) return std::nullopt;
    const auto analysed = analyse(document->text);
    const auto& positions = analysed.positions;
    for (const auto& [word, at] : positions) {
        auto& state = term(index_keys::term(org, document->field, word));
        auto& blocks = state.entry.blocks;
        auto holder = std::find_if(blocks.begin(), blocks.end(), [&](const StoredBlock& b) { return b.meta.first_doc <= doc && doc <= b.meta.last_doc; });
        if (holder == blocks.end()) continue;
        const auto key = index_keys::block(org, document->field, word, holder->id);
        auto& postings = block(key);
        auto posting = std::find_if(postings.begin(), postings.end(), [&](const Posting& p) { return p.doc == doc; });
        if (posting == postings.end()) continue;
        postings.erase(posting);
        state.entry.document_frequency -= 1;
        if (postings.empty()) {
            blocks_[key] = std::nullopt;
            blocks.erase(holder);
        } else {
            holder->count = static_cast<std::uint32_t>(postings.size());
            holder->meta.first_doc = postings.front().doc;
            holder->meta.last_doc = postings.back().doc;
            holder->meta.impacts = competitive_impacts(postings);
        }
    }
    auto& stats = counters(org).fields[static_cast<std::size_t>(document->field)];
    stats.documents -= std::min<std::uint64_t>(stats.documents, 1);
    stats.total_length -= std::min<std::uint64_t>(stats.total_length, length_of(positions));
    count_words(org, document->coach_id, analysed.words, -1);
    erase(index_keys::document(org, doc));
    changes_.push_back({org, doc, std::nullopt});
    return document;
}

std::optional<SearchDocument> IndexWriter::document(const std::string& org, std::uint32_t doc) {
    auto stored = get(index_keys::document(org, doc));
    if (!stored) return std::nullopt;
    try {
        return decode_document(*stored);
    } catch (const std::exception& e) {
        throw IndexDamaged(std::string("stored search document: ") + e.what());
    }
}

void IndexWriter::restore(const std::string& org, std::uint32_t doc, const SearchDocument& document) {
    put(index_keys::document(org, doc), encode_document(document));
    changes_.push_back({org, doc, document});
}

void IndexWriter::write_to(rocksdb::WriteBatch& batch) const {
    for (const auto& [org, counts] : counters_) batch.Put(index_keys::meta(org), encode_counters(counts));
    for (const auto& [key, state] : terms_) {
        if (!state.exists) continue;
        if (state.entry.document_frequency == 0)
            batch.Delete(key);
        else
            batch.Put(key, encode_term_entry(state.entry));
    }
    for (const auto& [key, postings] : blocks_) {
        if (!postings || postings->empty())
            batch.Delete(key);
        else
            batch.Put(key, encode_block(*postings));
    }
    for (const auto& [key, count] : word_counts_) {
        if (count.stored) {
            const auto total = static_cast<std::int64_t>(*count.stored) + count.change;
            if (total <= 0)
                batch.Delete(key);
            else
                batch.Put(key, std::to_string(total));
        } else if (count.change != 0) {
            batch.Merge(key, std::to_string(count.change));
        }
    }
    for (const auto& [key, value] : values_) {
        if (value)
            batch.Put(key, *value);
        else
            batch.Delete(key);
    }
}

}  // namespace debrief::projections
