// RocksDB transcript documents: key "t/<organization>/<session>" holds JSON; "offset/<topic>/<partition>" the progress.
#include "projections/search/transcript_store.hpp"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <boost/json.hpp>
#include <charconv>
#include <filesystem>
#include <set>
#include <thread>

#include "common/json_log.hpp"
#include "common/hex.hpp"
#include "events/codec.hpp"
#include "events/personal_data.hpp"
#include "events/dead_letter_publisher.hpp"
#include "events/event_consumer.hpp"
#include "events/event_dispatch.hpp"
#include "projections/search/search_index.hpp"
#include "projections/search/word_count_merge.hpp"
#include "projections/search/search_indexer.hpp"

namespace debrief::projections {
namespace json = boost::json;
namespace {

std::string transcript_key(const OrganizationId& organization, const SessionId& session) {
    return "t/" + organization.value + "/" + session.value;
}
// Which client each speaker of a parsed transcript is, beside the document (which the API serves as it is).
std::string speakers_key(const OrganizationId& organization, const SessionId& session) {
    return "ts/" + organization.value + "/" + session.value;
}
std::string offset_key(const std::string& topic, int partition) { return "offset/" + topic + "/" + std::to_string(partition); }

json::value time_or_null(const std::optional<double>& seconds) { return seconds ? json::value(*seconds) : json::value(nullptr); }

}  // namespace

struct TranscriptStore::Impl {
    std::unique_ptr<rocksdb::DB> db;
    const events::KeyRing* keys = nullptr;
    std::unique_ptr<SearchIndex> search;
    std::string path;
    std::atomic<bool> drop_when_closed{false};  // replaced by a rebuild: the directory goes with the last reader

    ~Impl() {
        search.reset();
        db.reset();
        if (drop_when_closed) {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    }
};

namespace {
// The prefix extractor: a search key's organization and family ("x/<org>/t/"), so that the bloom filters of the
// prefix answer "this organization has no such keys" without reading a block; other keys are outside its domain.
class SearchFamilyPrefix : public rocksdb::SliceTransform {
public:
    const char* Name() const override { return "debrief.SearchFamilyPrefix.1"; }
    rocksdb::Slice Transform(const rocksdb::Slice& key) const override { return rocksdb::Slice(key.data(), end_of(key)); }
    bool InDomain(const rocksdb::Slice& key) const override { return end_of(key) != 0; }

private:
    // The length of "x/<org>/<family>/", or 0 when the key is not a search key.
    static std::size_t end_of(const rocksdb::Slice& key) {
        if (key.size() < 2 || key[0] != 'x' || key[1] != '/') return 0;
        int slashes = 1;
        for (std::size_t i = 2; i < key.size(); ++i)
            if (key[i] == '/' && ++slashes == 3) return i + 1;
        return 0;
    }
};
}  // namespace

TranscriptStore::TranscriptStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::shared_ptr<TranscriptStore::Impl> TranscriptStore::current() const {
    std::lock_guard lock(mutex_);
    return impl_;
}
TranscriptStore::~TranscriptStore() = default;
const events::KeyRing& TranscriptStore::keys() const { return *current()->keys; }

Result<std::unique_ptr<TranscriptStore>> TranscriptStore::open(const std::string& path, const events::KeyRing& keys) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.compression = rocksdb::kLZ4Compression;
    // Queries read term entries and blocks by their keys: a bloom filter (10 bits a key, about 1% false positives)
    // answers most reads of a term the organization does not have without a disk read, and a block cache keeps the
    // hot terms' blocks decompressed in memory. Ranges (a prefix query's dictionary scan, the columns' load) use
    // total-order seeks. The index and the filters are partitioned (4 KiB partitions under a pinned top level): a
    // whole-file filter of a large SST is megabytes, bigger than a cache shard, so it was evicted as soon as it was
    // read and every read of a key read and checksummed it again (80% of the indexing time at 300,000 segments).
    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.whole_key_filtering = true;
    table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
    table.partition_filters = true;
    table.metadata_block_size = 4096;
    table.block_cache = rocksdb::NewLRUCache(128 << 20);
    table.cache_index_and_filter_blocks = true;
    table.cache_index_and_filter_blocks_with_high_priority = true;
    table.pin_top_level_index_and_filter = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    options.prefix_extractor = std::make_shared<SearchFamilyPrefix>();
    // A bloom filter over the memtable's keys too (whole keys, 2% of the write buffer): the indexer reads many keys
    // that are not there (a new note's document list, a term new to the organization), and without it each such
    // read walks the memtable's skip list, comparing long keys all the way down (the memtable's reads, hits and
    // misses, were 15% of the projector's time under 64 organizations' writes).
    options.memtable_prefix_bloom_size_ratio = 0.02;
    options.memtable_whole_key_filtering = true;
    options.merge_operator = word_count_merge_operator();
    rocksdb::DB* db = nullptr;
    auto status = rocksdb::DB::Open(options, path, &db);
    if (!status.ok()) return Error{ErrorKind::unavailable, "search_store_unavailable", status.ToString()};
    auto impl = std::make_unique<Impl>();
    impl->db.reset(db);
    impl->keys = &keys;
    impl->path = path;
    impl->search = std::make_unique<SearchIndex>(*impl->db);
    return std::unique_ptr<TranscriptStore>(new TranscriptStore(std::move(impl)));
}

namespace {

// Documents touched earlier in a batch are read from here, not from the database; an event's change is made on a copy
// and kept only when it succeeds, so a failing event leaves no half-made change behind.
class PendingDocuments {
public:
    explicit PendingDocuments(rocksdb::DB& db) : db_(db) {}

    // The transcript documents; the search index's documents are the IndexWriter's.
    using Ignores = concat_t<events::IgnoreAggregates<ApiKeyId, OrganizationId, UserId, SummaryId, ActionItemId, NoteId, TemplateId, FollowUpId,
                                                      MetricsImportId>,
                             TypeList<events::ClientRegistered, events::SessionCreated, events::SessionAnalysed,
                                      events::SessionProcessingFailed>>;  // a failed session keeps its uploaded text

    void apply(const events::Event& event) { events::dispatch(*this, event.payload, event.metadata.organization_id); }

    void on(const events::TranscriptUploaded& uploaded, const OrganizationId& org) {
        auto key = transcript_key(org, uploaded.session_id);
        auto doc = load(key);
        doc["format"] = uploaded.format;
        doc["text"] = uploaded.text;
        if (!doc.contains("segments")) doc["segments"] = json::array{};
        pending_[key] = std::move(doc);
    }
    void on(const events::TranscriptParsed& parsed, const OrganizationId& org) {
        auto key = transcript_key(org, parsed.session_id);
        auto doc = load(key);
        json::array segments;
        segments.reserve(parsed.segments.size());
        for (const auto& s : parsed.segments)
            segments.push_back(json::object{{"speaker", s.speaker}, {"start", time_or_null(s.start_seconds)}, {"end", time_or_null(s.end_seconds)}, {"text", s.text}});
        doc["segments"] = std::move(segments);
        pending_[key] = std::move(doc);
        json::object speakers;
        for (const auto& p : parsed.participants) speakers[p.name] = p.client_id.value;
        pending_[speakers_key(org, parsed.session_id)] = std::move(speakers);
    }
    // The raw text of every session the client spoke in goes (it mixes everyone's words), and so does every turn but
    // those of the session's other clients: the coach's and unmatched speakers' turns were sealed with the session's
    // key, which goes too, so a rebuild would not have them either. A document whose speakers were never recorded
    // (parsed before erasure existed) loses every turn.
    void on(const events::ClientErased& erased, const OrganizationId& org) {
        for (const auto& subject : erased.subjects) {
            const auto found = events::personal_data::subject_id<SessionId>(subject);
            if (!found) continue;
            const SessionId& session = *found;
            auto doc = load(transcript_key(org, session));
            if (doc.empty()) continue;
            auto speakers = load(speakers_key(org, session));
            std::set<std::string> kept, gone;
            for (const auto& [speaker, client] : speakers) {
                const bool other_client = client.is_string() && !client.as_string().empty() && client.as_string() != erased.client_id.value;
                (other_client ? kept : gone).emplace(speaker);
            }
            doc["text"] = "";
            if (auto* segments = doc.if_contains("segments"); segments && segments->is_array())
                for (auto& segment : segments->as_array()) {
                    auto& turn = segment.as_object();
                    const auto* speaker = turn.if_contains("speaker");
                    if (speaker && speaker->is_string() && kept.contains(std::string(speaker->as_string()))) continue;
                    turn["speaker"] = "";
                    turn["text"] = "";
                }
            for (const auto& speaker : gone) speakers.erase(speaker);
            pending_[transcript_key(org, session)] = std::move(doc);
            if (!speakers.empty()) pending_[speakers_key(org, session)] = std::move(speakers);
        }
    }
    void write_to(rocksdb::WriteBatch& write) const {
        for (const auto& [key, doc] : pending_) write.Put(key, json::serialize(doc));
    }

private:
    json::object load(const std::string& key) const {
        if (auto it = pending_.find(key); it != pending_.end()) return it->second;
        std::string stored;
        if (!db_.Get(rocksdb::ReadOptions{}, key, &stored).ok()) return {};
        return json::parse(stored).as_object();  // throws on a damaged document: the event is dead-lettered
    }
    rocksdb::DB& db_;
    std::map<std::string, json::object> pending_;
};

// "dlq/<organization>/<topic>/<partition>/<offset>": an organization's dead letters under one prefix.
std::string dead_letter_key(const std::string& organization, const std::string& topic, int partition, std::int64_t offset) {
    return "dlq/" + organization + "/" + topic + "/" + std::to_string(partition) + "/" + std::to_string(offset);
}

json::object dead_letter_json(const DeadLetter& letter, std::string_view payload) {
    return {{"projector", letter.projector}, {"topic", letter.topic},   {"partition", letter.partition},
            {"offset", letter.offset},       {"organization_id", letter.organization_id}, {"event_type", letter.event_type},
            {"event_id", letter.event_id},   {"error", letter.error},   {"at_ms", letter.at_ms},
            {"status", letter.status},       {"payload_hex", to_hex(payload)}};
}

std::pair<DeadLetter, std::string> dead_letter_from(const std::string& stored) {
    auto doc = json::parse(stored).as_object();
    DeadLetter letter;
    letter.projector = json::value_to<std::string>(doc.at("projector"));
    letter.topic = json::value_to<std::string>(doc.at("topic"));
    letter.partition = json::value_to<int>(doc.at("partition"));
    letter.offset = json::value_to<std::int64_t>(doc.at("offset"));
    letter.organization_id = json::value_to<std::string>(doc.at("organization_id"));
    letter.event_type = json::value_to<std::string>(doc.at("event_type"));
    letter.event_id = json::value_to<std::string>(doc.at("event_id"));
    letter.error = json::value_to<std::string>(doc.at("error"));
    letter.at_ms = json::value_to<std::int64_t>(doc.at("at_ms"));
    letter.status = json::value_to<std::string>(doc.at("status"));
    return {letter, from_hex(json::value_to<std::string>(doc.at("payload_hex"))).value_or("")};
}

}  // namespace

struct TranscriptStore::PreparedBatch::Writes {
    rocksdb::WriteBatch write;
    std::vector<IndexWriter::DocumentChange> indexed;  // for the query side's columns, once written
    std::set<std::string> people_changed;              // and for its names
};
TranscriptStore::PreparedBatch::PreparedBatch() : writes_(std::make_unique<Writes>()) {}
TranscriptStore::PreparedBatch::PreparedBatch(PreparedBatch&&) noexcept = default;
TranscriptStore::PreparedBatch::~PreparedBatch() = default;

TranscriptStore::PreparedBatch TranscriptStore::prepare(const std::vector<BatchItem>& batch, const std::string& topic,
                                                        const std::map<int, std::int64_t>& next_offsets, std::int64_t now_ms) const {
    const auto impl = current();
    PreparedBatch prepared;
    PendingDocuments documents(*impl->db);
    IndexWriter index(*impl->db);
    SearchIndexer indexer(index);
    for (const auto& item : batch) {
        std::string error;
        if (!item.event) {
            error = item.event.error().code + ": " + item.event.error().message;
        } else {
            try {
                documents.apply(item.event.value());
            } catch (const std::exception& e) {
                error = e.what();
            }
            // After the transcript document, which may refuse the event; the index refuses none (IndexDamaged, the
            // store's own fault, fails the whole batch).
            if (error.empty()) indexer.apply(item.event.value());
        }
        if (error.empty()) continue;
        auto letter = dead_letter_of(*item.record, SearchProjector::name, topic, error, now_ms);
        prepared.writes_->write.Put(dead_letter_key(letter.organization_id, topic, letter.partition, letter.offset),
                                    json::serialize(dead_letter_json(letter, item.record->value)));
        prepared.dead.push_back(std::move(letter));
    }
    documents.write_to(prepared.writes_->write);
    index.write_to(prepared.writes_->write);
    prepared.writes_->indexed = index.document_changes();
    prepared.writes_->people_changed = index.people_changed();
    for (auto [partition, next] : next_offsets) prepared.writes_->write.Put(offset_key(topic, partition), std::to_string(next));
    return prepared;
}

Result<bool> TranscriptStore::commit(PreparedBatch& prepared) {
    const auto impl = current();
    rocksdb::WriteOptions options;
    options.sync = false;  // the log is the source of truth: a lost tail is re-read from Kafka with its offsets
    auto status = impl->db->Write(options, &prepared.writes_->write);
    if (!status.ok()) return Error{ErrorKind::unavailable, "search_store_unavailable", status.ToString()};
    impl->search->apply(prepared.writes_->indexed, prepared.writes_->people_changed);
    return true;
}

std::vector<DeadLetter> TranscriptStore::dead_letters(const OrganizationId& organization, std::size_t limit) const {
    const auto impl = current();
    std::vector<DeadLetter> letters;
    const std::string prefix = "dlq/" + organization.value + "/";
    std::unique_ptr<rocksdb::Iterator> it(impl->db->NewIterator(rocksdb::ReadOptions{}));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) letters.push_back(dead_letter_from(it->value().ToString()).first);
    std::sort(letters.begin(), letters.end(), [](const DeadLetter& a, const DeadLetter& b) { return a.at_ms > b.at_ms; });
    if (letters.size() > limit) letters.resize(limit);
    return letters;
}

Result<DeadLetter> TranscriptStore::retry_dead_letter(const OrganizationId& organization, const DeadLetterKey& key, const std::string& topic) {
    const auto impl = current();
    if (key.projector != SearchProjector::name) return not_found("dead_letter_not_found", "no such dead letter");
    const auto writing = exclusive_writes();
    const auto stored_key = dead_letter_key(organization.value, topic, key.partition, key.offset);
    std::string stored;
    if (!impl->db->Get(rocksdb::ReadOptions{}, stored_key, &stored).ok()) return not_found("dead_letter_not_found", "no such dead letter");
    auto [letter, payload] = dead_letter_from(stored);
    if (letter.status == "retried") return conflict("dead_letter_retried", "this dead letter was already applied by a retry");
    auto event = events::decode(payload, impl->keys);
    std::string error;
    rocksdb::WriteBatch write;
    IndexWriter index(*impl->db);
    if (!event) {
        error = event.error().code + ": " + event.error().message;
    } else {
        try {
            PendingDocuments documents(*impl->db);
            documents.apply(event.value());
            documents.write_to(write);
            SearchIndexer(index).apply(event.value());
            index.write_to(write);
        } catch (const std::exception& e) {
            error = e.what();
        }
    }
    if (error.empty()) {
        letter.status = "retried";
    } else {
        letter.error = describe_failure(error);
    }
    write.Put(stored_key, json::serialize(dead_letter_json(letter, payload)));
    auto status = impl->db->Write(rocksdb::WriteOptions{}, &write);
    if (!status.ok()) return Error{ErrorKind::unavailable, "search_store_unavailable", status.ToString()};
    if (error.empty()) impl->search->apply(index.document_changes(), index.people_changed());
    if (!error.empty()) return conflict("dead_letter_failed", "the event still cannot be applied: " + letter.error);
    return letter;
}

std::map<int, std::int64_t> TranscriptStore::offsets(const std::string& topic) const {
    const auto impl = current();
    std::map<int, std::int64_t> result;
    const std::string prefix = "offset/" + topic + "/";
    std::unique_ptr<rocksdb::Iterator> it(impl->db->NewIterator(rocksdb::ReadOptions{}));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        auto partition_text = it->key().ToString().substr(prefix.size());
        int partition = 0;
        std::int64_t next = 0;
        auto value = it->value().ToString();
        std::from_chars(partition_text.data(), partition_text.data() + partition_text.size(), partition);
        std::from_chars(value.data(), value.data() + value.size(), next);
        result[partition] = next;
    }
    return result;
}

std::shared_ptr<const SearchIndex> TranscriptStore::search() const {
    auto impl = current();
    const SearchIndex* index = impl->search.get();
    return {std::move(impl), index};  // holds the store open while the query runs, even across a rebuild's switch
}

std::string TranscriptStore::directory() const { return current()->path; }

void TranscriptStore::replace_with(std::unique_ptr<TranscriptStore> fresh) {
    auto taken = fresh->current();
    std::shared_ptr<Impl> old;
    {
        std::lock_guard lock(mutex_);
        old = std::exchange(impl_, std::move(taken));
    }
    old->drop_when_closed = true;
}

// Dead letters are left out: their records hold the time they were made.
std::optional<std::string> TranscriptStore::first_difference(const TranscriptStore& other) const {
    const auto mine = current(), theirs = other.current();
    rocksdb::ReadOptions options;
    options.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> a(mine->db->NewIterator(options)), b(theirs->db->NewIterator(options));
    auto skip_dead_letters = [](rocksdb::Iterator& it) {
        while (it.Valid() && it.key().starts_with("dlq/")) it.Next();
    };
    a->SeekToFirst();
    b->SeekToFirst();
    while (true) {
        skip_dead_letters(*a);
        skip_dead_letters(*b);
        if (!a->Valid() || !b->Valid()) break;
        if (a->key() != b->key() || a->value() != b->value()) return (a->key().compare(b->key()) <= 0 ? a : b)->key().ToString();
        a->Next();
        b->Next();
    }
    if (a->Valid()) return a->key().ToString();
    if (b->Valid()) return b->key().ToString();
    return std::nullopt;
}

std::optional<std::string> TranscriptStore::transcript_json(const OrganizationId& organization, const SessionId& session) const {
    const auto impl = current();
    std::string value;
    if (!impl->db->Get(rocksdb::ReadOptions{}, transcript_key(organization, session), &value).ok()) return std::nullopt;
    return value;
}

SearchProjector::SearchProjector(TranscriptStore& store, events::KafkaSettings kafka, ProjectionProgress& progress, ProjectorHealth& health,
                                 events::DeadLetterPublisher& dead_letters)
    : store_(store), kafka_(std::move(kafka)), progress_(progress), health_(health), dead_letters_(dead_letters) {}

Result<bool> SearchProjector::run() {
    const auto& topic = kafka_.events_topic;
    for (auto [partition, next] : store_.offsets(topic)) progress_.advance(partition, next);
    auto consumer = events::EventConsumer::all_partitions(kafka_, topic, [&](const std::vector<int>&) { return store_.offsets(topic); });
    if (!consumer) return consumer.error();
    health_.running();
    while (!stopping_) {
        auto records = (*consumer)->poll(max_batch_records, 100);
        if (records.empty()) {
            health_.positions((*consumer)->positions());  // past commit markers; never past a batch not yet committed
            continue;
        }
        std::vector<BatchItem> batch;
        batch.reserve(records.size());
        std::map<int, std::int64_t> next_offsets;
        for (const auto& record : records) {
            next_offsets[record.position.partition] = record.position.offset + 1;
            batch.push_back({&record, events::decode(record.value, &store_.keys())});
        }
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        const auto writing = store_.exclusive_writes();  // until the batch is committed (end of this iteration)
        std::optional<TranscriptStore::PreparedBatch> maybe;
        try {
            maybe.emplace(store_.prepare(batch, topic, next_offsets, now));
        } catch (const IndexDamaged& e) {
            health_.failing(describe_failure(e.what()));
            return Error{ErrorKind::unavailable, "search_index_damaged", e.what()};
        }
        auto& prepared = *maybe;
        // On the topic before the offsets move past them: a crash in between publishes them again, never loses one.
        for (const auto& letter : prepared.dead) {
            const auto& record = *std::find_if(records.begin(), records.end(), [&](const events::Record& r) {
                return r.position.partition == letter.partition && r.position.offset == letter.offset;
            });
            auto published = dead_letters_.publish(record, topic, name, letter.error, 10'000);
            if (!published) {
                health_.failing(describe_failure(published.error().message));
                return published.error();  // restarted with backoff; the batch is read again from the stored offsets
            }
        }
        auto committed = store_.commit(prepared);
        if (!committed) {
            health_.failing(describe_failure(committed.error().message));
            return committed.error();
        }
        for (const auto& letter : prepared.dead) log_dead_letter(letter);
        for (auto [partition, next] : next_offsets) progress_.advance(partition, next);
        health_.applied(records.size() - prepared.dead.size(), prepared.dead.size());
        health_.positions((*consumer)->positions());
        health_.running();
    }
    health_.stopped();
    return true;
}

}  // namespace debrief::projections
