// Time travel: the PostgreSQL read model as it stood at a past moment, for ?as_of= on the dashboards and the session
// list. The cut is where the log stood then (Kafka's offsets for times: in each partition, the first record stamped
// at or after the moment); a model is built from the first event up to the cut into a schema of its own, with the
// same migrations and the same appliers as the live one, then answers every later query at that cut. At most
// max_models cuts are kept (the least recently used goes, schema and all), one is built at a time, and the schemas
// of an earlier process are dropped at start: memory and disk stay bounded.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.hpp"
#include "events/kafka_settings.hpp"
#include "events/keyring.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/schema_replay.hpp"
#include "projections/rebuild_status.hpp"

namespace debrief::events {
class KafkaWatermarks;
}

namespace debrief::projections {

struct AsOfSettings {
    std::string connection_string;
    std::string topic;
    std::size_t max_models = 3;
    std::size_t batch_size = 2000;
    std::size_t replay_workers = SchemaReplay::default_workers;
};

// What a query at a moment finds: the schema to read once state is "done"; the build's progress before.
struct AsOfModel {
    std::int64_t as_of_ms = 0;
    std::string schema;     // as_of_<hex of the cut>
    RebuildStatus status;   // read_model "postgres_as_of", id = schema
};

class AsOfModels {
public:
    AsOfModels(AsOfSettings settings, events::KafkaSettings kafka, const events::KeyRing& keys);
    ~AsOfModels();
    AsOfModels(const AsOfModels&) = delete;
    AsOfModels& operator=(const AsOfModels&) = delete;

    // The model for the moment: ready, building, queued or failed; starts its build when it is new. An error when
    // the cut cannot be learned (the log is unavailable).
    Result<AsOfModel> at(std::int64_t as_of_ms);
    // The status of a model by its id (schema), for GET /v1/admin/rebuilds/{id}.
    std::optional<RebuildStatus> status(const std::string& id);

private:
    struct Entry;
    void run();
    void build(Entry& entry);
    void evict_beyond_limit();  // with mutex_ held

    AsOfSettings settings_;
    events::KafkaSettings kafka_;
    const events::KeyRing& keys_;
    std::unique_ptr<events::KafkaWatermarks> watermarks_;
    std::mutex watermarks_mutex_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, std::shared_ptr<Entry>> entries_;  // by schema
    std::deque<std::shared_ptr<Entry>> queue_;
    bool stopping_ = false;
    std::thread builder_;
};

// Makes tx read a past moment's schema ("" leaves it on the live read model).
void read_schema(pqxx::transaction_base& tx, const std::string& schema);

// The schema name of a cut: the same offsets, the same model, whatever moment led to them.
std::string as_of_schema(const std::map<int, std::int64_t>& cut);

}  // namespace debrief::projections
