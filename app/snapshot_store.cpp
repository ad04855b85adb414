// The snapshot store: chunks under "chunk/<generation>/<index>", and "meta" naming the complete generation. The
// meta key is written last, in the batch that deletes the previous generation, so a crash mid-write leaves the
// previous snapshot in place and at most orphan chunks of the unfinished one (deleted by the next save).
#include "app/snapshot_store.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdio>

#include "common/binary_codec.hpp"
#include "common/json_log.hpp"

namespace debrief::app {
namespace {

constexpr std::uint32_t store_format = 1;
constexpr std::size_t chunk_bytes = 4 * 1024 * 1024;

struct Meta {
    std::uint32_t format = store_format;
    std::uint64_t generation = 0;
    std::uint64_t chunks = 0;
    std::uint64_t bytes = 0;
    std::string topic;
    std::map<int, std::int64_t> offsets;
    std::uint64_t events = 0;
    std::int64_t written_at_ms = 0;
};

std::string chunk_key(std::uint64_t generation, std::uint64_t index) {
    char key[64];
    std::snprintf(key, sizeof key, "chunk/%016llx/%016llx", static_cast<unsigned long long>(generation), static_cast<unsigned long long>(index));
    return key;
}
std::string generation_prefix(std::uint64_t generation) { return chunk_key(generation, 0).substr(0, 23); }  // "chunk/<16 hex>/"

}  // namespace

struct SnapshotStore::Impl {
    std::unique_ptr<rocksdb::DB> db;

    std::optional<Meta> meta() {
        std::string value;
        if (!db->Get(rocksdb::ReadOptions(), "meta", &value).ok()) return std::nullopt;
        binary::Reader in(value);
        Meta meta;
        in.get(meta);
        if (!in.ok() || !in.at_end() || meta.format != store_format) return std::nullopt;
        return meta;
    }
};

SnapshotStore::SnapshotStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SnapshotStore::~SnapshotStore() = default;

Result<std::unique_ptr<SnapshotStore>> SnapshotStore::open(const std::string& directory) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.compression = rocksdb::kLZ4Compression;  // the state is mostly ids and text
    options.max_open_files = 64;
    rocksdb::DB* db = nullptr;
    auto status = rocksdb::DB::Open(options, directory, &db);
    if (!status.ok()) return Error{ErrorKind::unavailable, "snapshot_store_unavailable", status.ToString()};
    auto impl = std::make_unique<Impl>();
    impl->db.reset(db);
    return std::unique_ptr<SnapshotStore>(new SnapshotStore(std::move(impl)));
}

std::optional<Snapshot> SnapshotStore::latest() {
    auto meta = impl_->meta();
    if (!meta) return std::nullopt;
    Snapshot snapshot{meta->topic, meta->offsets, meta->events, meta->written_at_ms, {}};
    snapshot.bytes.reserve(meta->bytes);
    rocksdb::ReadOptions options;
    options.verify_checksums = true;
    std::string chunk;
    for (std::uint64_t i = 0; i < meta->chunks; ++i) {
        auto status = impl_->db->Get(options, chunk_key(meta->generation, i), &chunk);
        if (!status.ok()) {
            log_warn("snapshot_unreadable", {{"chunk", std::to_string(i)}, {"error", status.ToString()}});
            return std::nullopt;
        }
        snapshot.bytes += chunk;
    }
    if (snapshot.bytes.size() != meta->bytes) {
        log_warn("snapshot_unreadable", {{"error", "its chunks do not add up to its size"}});
        return std::nullopt;
    }
    return snapshot;
}

Result<bool> SnapshotStore::save(const Snapshot& snapshot) {
    auto previous = impl_->meta();
    Meta meta;
    meta.generation = previous ? previous->generation + 1 : 1;
    meta.bytes = snapshot.bytes.size();
    meta.chunks = (snapshot.bytes.size() + chunk_bytes - 1) / chunk_bytes;
    meta.topic = snapshot.topic;
    meta.offsets = snapshot.offsets;
    meta.events = snapshot.events;
    meta.written_at_ms = snapshot.written_at_ms;
    auto failed = [](const rocksdb::Status& status) { return Error{ErrorKind::unavailable, "snapshot_store_unavailable", status.ToString()}; };
    // Chunks of an unfinished save (a crash before its meta) and of every generation before the previous one.
    auto stale_begin = std::string("chunk/");
    auto stale_end = generation_prefix(previous ? previous->generation : meta.generation);
    if (auto status = impl_->db->DeleteRange(rocksdb::WriteOptions(), impl_->db->DefaultColumnFamily(), stale_begin, stale_end); !status.ok())
        return failed(status);
    if (auto status = impl_->db->DeleteRange(rocksdb::WriteOptions(), impl_->db->DefaultColumnFamily(), generation_prefix(meta.generation),
                                             generation_prefix(meta.generation + 1));
        !status.ok())
        return failed(status);
    for (std::uint64_t i = 0; i < meta.chunks; ++i) {
        const auto begin = i * chunk_bytes;
        const auto size = std::min(chunk_bytes, snapshot.bytes.size() - begin);
        if (auto status = impl_->db->Put(rocksdb::WriteOptions(), chunk_key(meta.generation, i), rocksdb::Slice(snapshot.bytes.data() + begin, size));
            !status.ok())
            return failed(status);
    }
    binary::Writer encoded;
    encoded.put(meta);
    rocksdb::WriteBatch batch;
    batch.Put("meta", encoded.bytes());
    if (previous) batch.DeleteRange(generation_prefix(previous->generation), generation_prefix(previous->generation + 1));
    rocksdb::WriteOptions synced;
    synced.sync = true;  // the chunks' writes reach the disk with it: one write-ahead log, in order
    if (auto status = impl_->db->Write(synced, &batch); !status.ok()) return failed(status);
    return true;
}

}  // namespace debrief::app
