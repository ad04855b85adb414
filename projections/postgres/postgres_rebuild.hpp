// Rebuilding the PostgreSQL read model from the first event into a fresh schema while the live tables serve, then
// switching to it (blue/green):
//   1. the events topic is replayed into `rebuild_<id>` (schema_replay.hpp) up to the ends its partitions had when
//      the rebuild started;
//   2. once the live projector has reached at least as far, it is paused, and the replay reads on to exactly the
//      live offsets, so both hold the same events and are compared table by table;
//   3. one transaction takes every live table (and projection_offsets) for itself, checks that no instance moved the
//      offsets meanwhile, moves the live tables out of `public` and the fresh ones in (ALTER TABLE ... SET SCHEMA:
//      readers keep their names, queries after the commit read the fresh tables, none is refused), and carries the
//      fresh offsets and dead letters over;
//   4. the live projector resumes on the fresh tables; the old ones are dropped with their schema.
// audit_records (fed by the audit topic), projection_offsets and projection_dead_letters stay where they are.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "events/kafka_settings.hpp"
#include "events/keyring.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/schema_replay.hpp"
#include "projections/rebuild_status.hpp"

namespace debrief::projections {

class PostgresRebuild {
public:
    // pause stops this instance's PostgreSQL projector and returns once it has; resume starts it again.
    struct Live {
        std::function<void()> pause, resume;
    };

    PostgresRebuild(std::string id, std::string connection_string, events::KafkaSettings kafka, const events::KeyRing& keys,
                    std::size_t replay_workers = SchemaReplay::default_workers);
    ~PostgresRebuild();

    // The whole rebuild, on the caller's thread; stopping (the service's shutdown) ends it as failed, the live
    // tables untouched and the fresh schema dropped.
    void run(const Live& live, const std::atomic<bool>& stopping);
    RebuildStatus status() const;

    // The schema a rebuild builds into.
    static std::string schema_of(const std::string& id);
    // Drops the schemas of rebuilds a crash interrupted (before or after their switch: the live tables are in
    // public either way); not those another instance is building.
    static void drop_leftovers(const std::string& connection_string);
    // The tables a rebuild replaces, by name, in a fixed order: every table of the read model's migrations but the
    // audit trail's and the projector's own bookkeeping.
    static std::vector<std::string> replaced_tables(pqxx::transaction_base& tx, const std::string& schema);
    // The first table whose rows differ between two schemas (as multisets of rows), or nullopt when none does.
    static std::optional<std::string> first_difference(pqxx::transaction_base& tx, const std::string& left, const std::string& right,
                                                       const std::vector<std::string>& tables);

private:
    void fail(const std::string& error);
    void update(const std::function<void(RebuildStatus&)>& change);

    std::string connection_string_;
    events::KafkaSettings kafka_;
    const events::KeyRing& keys_;
    std::size_t replay_workers_;
    mutable std::mutex mutex_;
    RebuildStatus status_;
};

}  // namespace debrief::projections
