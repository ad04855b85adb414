// RocksDB transcript documents: key "t/<organization>/<session>" holds JSON; "offset/<topic>/<partition>" the progress.
#include "projections/search/transcript_store.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <boost/json.hpp>
#include <charconv>
#include <thread>

#include "common/json_log.hpp"
#include "events/codec.hpp"
#include "events/event_consumer.hpp"

namespace debrief::projections {
namespace json = boost::json;
namespace {

std::string transcript_key(const OrganizationId& organization, const SessionId& session) {
    return "t/" + organization.value + "/" + session.value;
}
std::string offset_key(const std::string& topic, int partition) { return "offset/" + topic + "/" + std::to_string(partition); }

json::value time_or_null(const std::optional<double>& seconds) { return seconds ? json::value(*seconds) : json::value(nullptr); }

}  // namespace

struct TranscriptStore::Impl {
    std::unique_ptr<rocksdb::DB> db;
};

TranscriptStore::TranscriptStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TranscriptStore::~TranscriptStore() = default;

Result<std::unique_ptr<TranscriptStore>> TranscriptStore::open(const std::string& path) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.compression = rocksdb::kLZ4Compression;
    rocksdb::DB* db = nullptr;
    auto status = rocksdb::DB::Open(options, path, &db);
    if (!status.ok()) return Error{ErrorKind::unavailable, "search_store_unavailable", status.ToString()};
    auto impl = std::make_unique<Impl>();
    impl->db.reset(db);
    return std::unique_ptr<TranscriptStore>(new TranscriptStore(std::move(impl)));
}

Result<bool> TranscriptStore::apply(const std::vector<events::Event>& batch, const std::string& topic,
                                    const std::map<int, std::int64_t>& next_offsets) {
    rocksdb::WriteBatch write;
    // Documents touched earlier in this batch are read from here, not from the database.
    std::map<std::string, json::object> pending;
    auto document = [&](const std::string& key) -> json::object& {
        auto it = pending.find(key);
        if (it != pending.end()) return it->second;
        std::string stored;
        json::object doc;
        if (impl_->db->Get(rocksdb::ReadOptions{}, key, &stored).ok()) doc = json::parse(stored).as_object();
        return pending.emplace(key, std::move(doc)).first->second;
    };
    for (const auto& event : batch) {
        const auto& org = event.metadata.organization_id;
        if (const auto* uploaded = std::get_if<events::TranscriptUploaded>(&event.payload)) {
            auto& doc = document(transcript_key(org, uploaded->session_id));
            doc["format"] = uploaded->format;
            doc["text"] = uploaded->text;
            if (!doc.contains("segments")) doc["segments"] = json::array{};
        } else if (const auto* parsed = std::get_if<events::TranscriptParsed>(&event.payload)) {
            auto& doc = document(transcript_key(org, parsed->session_id));
            json::array segments;
            segments.reserve(parsed->segments.size());
            for (const auto& s : parsed->segments)
                segments.push_back(json::object{{"speaker", s.speaker}, {"start", time_or_null(s.start_seconds)}, {"end", time_or_null(s.end_seconds)}, {"text", s.text}});
            doc["segments"] = std::move(segments);
        }
    }
    for (const auto& [key, doc] : pending) write.Put(key, json::serialize(doc));
    for (auto [partition, next] : next_offsets) write.Put(offset_key(topic, partition), std::to_string(next));
    rocksdb::WriteOptions options;
    options.sync = false;  // the log is the source of truth: a lost tail is re-read from Kafka with its offsets
    auto status = impl_->db->Write(options, &write);
    if (!status.ok()) return Error{ErrorKind::unavailable, "search_store_unavailable", status.ToString()};
    return true;
}

std::map<int, std::int64_t> TranscriptStore::offsets(const std::string& topic) const {
    std::map<int, std::int64_t> result;
    const std::string prefix = "offset/" + topic + "/";
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions{}));
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

std::optional<std::string> TranscriptStore::transcript_json(const OrganizationId& organization, const SessionId& session) const {
    std::string value;
    if (!impl_->db->Get(rocksdb::ReadOptions{}, transcript_key(organization, session), &value).ok()) return std::nullopt;
    return value;
}

SearchProjector::SearchProjector(TranscriptStore& store, events::KafkaSettings kafka, ProjectionProgress& progress)
    : store_(store), kafka_(std::move(kafka)), progress_(progress) {}

Result<bool> SearchProjector::run() {
    const auto& topic = kafka_.events_topic;
    for (auto [partition, next] : store_.offsets(topic)) progress_.advance(partition, next);
    auto consumer = events::EventConsumer::all_partitions(kafka_, topic, [&](const std::vector<int>&) { return store_.offsets(topic); });
    if (!consumer) return consumer.error();
    while (!stopping_) {
        auto records = (*consumer)->poll(500, 100);
        if (records.empty()) continue;
        std::vector<events::Event> batch;
        batch.reserve(records.size());
        std::map<int, std::int64_t> next_offsets;
        for (const auto& record : records) {
            next_offsets[record.position.partition] = record.position.offset + 1;
            auto event = events::decode(record.value);
            if (!event) {
                log_warn("projector_skipped_record", {{"projector", name}, {"partition", record.position.partition}, {"offset", record.position.offset}});
                continue;
            }
            batch.push_back(std::move(event).value());
        }
        auto applied = store_.apply(batch, topic, next_offsets);
        if (!applied) return applied.error();
        for (auto [partition, next] : next_offsets) progress_.advance(partition, next);
    }
    return true;
}

}  // namespace debrief::projections
