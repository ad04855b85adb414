// Where the write model's snapshots are kept: a RocksDB database in the data directory, holding the latest
// complete snapshot (its bytes in chunks) and what it covers. A new snapshot replaces the old one atomically.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace debrief::app {

struct Snapshot {
    std::string topic;                      // the events topic it was folded from
    std::map<int, std::int64_t> offsets;    // partition -> the next offset to read after it
    std::uint64_t events = 0;               // events folded into it
    std::int64_t written_at_ms = 0;
    std::string bytes;                      // WriteModel::snapshot()
};

class SnapshotStore {
public:
    static Result<std::unique_ptr<SnapshotStore>> open(const std::string& directory);
    ~SnapshotStore();

    // The latest complete snapshot; nothing when none was written (or what is there is unreadable, which is logged).
    std::optional<Snapshot> latest();
    // Writes all chunks first, then switches to them and drops the previous snapshot's in one synced batch.
    Result<bool> save(const Snapshot& snapshot);

private:
    struct Impl;
    explicit SnapshotStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::app
