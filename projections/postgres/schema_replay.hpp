// The PostgreSQL read model replayed from the first event into a schema of its own, with the live projector's
// migrations and appliers: what a past moment (as_of_models.hpp) and a blue/green rebuild (postgres_rebuild.hpp)
// build. A few workers apply it side by side, each the events of a share of the organizations on a connection of its
// own. A batch is applied in one transaction with its inserts gathered into multi-row statements; when one of its
// events cannot be applied, the batch goes again one by one under savepoints and that event is kept as a dead letter
// of the schema (not published again: the live projector published it when it met it). The schema's own
// projection_offsets are stored once a read_to has applied everything it read.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "events/event.hpp"
#include "events/kafka_settings.hpp"
#include "events/keyring.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/rebuild_status.hpp"

namespace debrief::events {
class EventConsumer;
struct Record;
}

namespace debrief::projections {

class SchemaReplay {
public:
    static constexpr std::size_t default_workers = 4;  // on 2 cores: 22,091 events/s against 20,611 with 2 (bench/replay)

    struct Progress {
        std::uint64_t applied = 0, dead_letters = 0;
        std::map<int, std::int64_t> next;  // partition -> the offset after the last record applied
    };

    // workers: the connections (and threads) that apply the organizations' shares side by side.
    SchemaReplay(std::string connection_string, events::KafkaSettings kafka, const events::KeyRing& keys, std::string schema,
                 std::size_t batch_size = 2000, std::size_t workers = default_workers);
    ~SchemaReplay();
    SchemaReplay(const SchemaReplay&) = delete;
    SchemaReplay& operator=(const SchemaReplay&) = delete;

    // Drops whatever the schema held and creates every table afresh. Throws what the database throws.
    void create();
    // Applies every record before ends (partition -> offset: nothing at or past it is applied), from where the last
    // call stopped; progress is told after every batch. false when stopping() said so first; throws when the database
    // or the log fails, or when the log gives nothing for a minute before the ends are reached.
    bool read_to(const std::map<int, std::int64_t>& ends, const std::function<bool()>& stopping,
                 const std::function<void(const Progress&)>& on_progress);
    // Vacuums every table of the schema and gathers its planner's statistics: fresh tables have none (every
    // dashboard query would be planned as if each table held a row), and a visibility map lets index-only scans
    // skip the rows' pages.
    void analyze();
    const Progress& progress() const { return progress_; }
    const std::string& schema() const { return schema_; }
    // The schema's connection, for what follows the replay (comparison, switch). Opened by create().
    pqxx::connection_base& connection();

    // Drops the schemas named with prefix that no replay is building (each replay holds an advisory lock on its
    // schema's name while its connection lives): what a crash or an earlier process left. Logs rather than throws.
    static void drop_leftovers(const std::string& connection_string, const std::string& prefix);
    // Drops the schema and everything in it; logs rather than throws.
    static void drop(const std::string& connection_string, const std::string& schema);

private:
    struct Worker;
    void run(Worker& worker);
    // Applies records (one worker's, in order) in one transaction with its offsets, or one by one under savepoints
    // when an event fails; a transient failure (a deadlock) goes again.
    void apply(Worker& worker, const std::vector<events::Record>& records);
    // progress_ from what was read, less what the workers have not applied yet and what waits to be handed to them.
    void gather_progress(const std::map<int, std::int64_t>& read, const std::map<Worker*, std::vector<events::Record>>& waiting);

    std::string connection_string_;
    events::KafkaSettings kafka_;
    const events::KeyRing& keys_;
    std::string schema_;
    std::size_t batch_size_;
    struct Database;
    std::unique_ptr<Database> database_;
    std::unique_ptr<events::EventConsumer> consumer_;
    std::size_t workers_wanted_;
    std::vector<std::unique_ptr<Worker>> workers_;
    bool failed_ = false;
    Progress progress_;
};

// Fills a rebuild's status from a replay's progress towards ends: events applied, each partition's offset against
// its end, events per second over `seconds`, and the ETA at that rate.
void describe_progress(RebuildStatus& status, const SchemaReplay::Progress& progress, const std::map<int, std::int64_t>& ends, double seconds);

}  // namespace debrief::projections
