// A blue/green rebuild of the PostgreSQL read model (postgres_rebuild.hpp): the replay, the wait for the live
// projector, the comparison and the switch.
#include "projections/postgres/postgres_rebuild.hpp"

#include <pqxx/pqxx>

#include <cctype>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "common/json_log.hpp"
#include "events/kafka_watermarks.hpp"
#include "projections/postgres/postgres_projector.hpp"
#include "projections/postgres/schema_replay.hpp"
#include "projections/postgres/prepared_sql.hpp"

namespace debrief::projections {
namespace {

constexpr int metadata_timeout_ms = 10'000;
constexpr auto live_catch_up_limit = std::chrono::minutes(5);  // for the live projector to reach the fresh copy
constexpr int switch_attempts = 5;                              // when other instances keep moving the offsets
constexpr const char* prefix = "rebuild_";
constexpr const char* retired_suffix = "_retired";

struct Stopped : std::runtime_error {
    Stopped() : std::runtime_error("the service is shutting down") {}
};

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Partitions at offset 0 are the same as partitions never written: compared without them.
std::map<int, std::int64_t> nonzero(std::map<int, std::int64_t> offsets) {
    std::erase_if(offsets, [](const auto& entry) { return entry.second == 0; });
    return offsets;
}

bool covers(const std::map<int, std::int64_t>& live, const std::map<int, std::int64_t>& fresh) {
    for (auto [partition, next] : fresh)
        if (next > 0 && (!live.contains(partition) || live.at(partition) < next)) return false;
    return true;
}

std::map<int, std::int64_t> offsets_in(pqxx::transaction_base& tx, const std::string& schema, const std::string& topic) {
    std::map<int, std::int64_t> offsets;
    for (const auto& row : exec_prepared_sql(tx, "select partition, next_offset from " + tx.quote_name(schema) + ".projection_offsets where projector = $1 and topic = $2",
                                          PostgresProjector::name, topic))
        offsets[row[0].as<int>()] = row[1].as<std::int64_t>();
    return offsets;
}

}  // namespace

std::string PostgresRebuild::schema_of(const std::string& id) {
    std::string schema = prefix;
    for (char c : id)
        if (std::isalnum(static_cast<unsigned char>(c))) schema += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return schema;
}

void PostgresRebuild::drop_leftovers(const std::string& connection_string) { SchemaReplay::drop_leftovers(connection_string, prefix); }

std::vector<std::string> PostgresRebuild::replaced_tables(pqxx::transaction_base& tx, const std::string& schema) {
    std::vector<std::string> tables;
    for (const auto& row : exec_prepared_sql(tx,
                                             "select tablename from pg_tables where schemaname = $1 and tablename not in "
                                             "('audit_records', 'projection_offsets', 'projection_dead_letters') order by tablename",
                                             schema))
        tables.push_back(row[0].as<std::string>());
    return tables;
}

std::optional<std::string> PostgresRebuild::first_difference(pqxx::transaction_base& tx, const std::string& left, const std::string& right,
                                                             const std::vector<std::string>& tables) {
    for (const auto& table : tables) {
        const auto a = tx.quote_name(left) + "." + tx.quote_name(table), b = tx.quote_name(right) + "." + tx.quote_name(table);
        auto row = tx.exec1("select exists (select * from " + a + " except all select * from " + b + ") or exists (select * from " + b +
                            " except all select * from " + a + ")");
        if (row[0].as<bool>()) return table;
    }
    return std::nullopt;
}

PostgresRebuild::PostgresRebuild(std::string id, std::string connection_string, events::KafkaSettings kafka, const events::KeyRing& keys,
                                 std::size_t replay_workers)
    : connection_string_(std::move(connection_string)), kafka_(std::move(kafka)), keys_(keys), replay_workers_(replay_workers) {
    status_.id = std::move(id);
    status_.read_model = "postgres";
    status_.directory = schema_of(status_.id);
    status_.started_ms = wall_ms();
}

PostgresRebuild::~PostgresRebuild() = default;

RebuildStatus PostgresRebuild::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void PostgresRebuild::update(const std::function<void(RebuildStatus&)>& change) {
    std::lock_guard lock(mutex_);
    change(status_);
}

void PostgresRebuild::fail(const std::string& error) {
    update([&](RebuildStatus& s) {
        s.state = "failed";
        s.error = error;
        s.finished_ms = wall_ms();
        s.eta_seconds.reset();
    });
    log_error("rebuild_failed", {{"rebuild", status_.id}, {"read_model", status_.read_model}, {"error", error}});
    SchemaReplay::drop(connection_string_, status_.directory);  // a half-built copy is of no use
}

void PostgresRebuild::run(const Live& live, const std::atomic<bool>& stopping) {
    const auto& schema = status_.directory;
    const auto& topic = kafka_.events_topic;
    log_info("rebuild_started", {{"rebuild", status_.id}, {"read_model", status_.read_model}, {"schema", schema}});
    const auto started = std::chrono::steady_clock::now();
    bool paused = false;
    try {
        SchemaReplay replay(connection_string_, kafka_, keys_, schema, 2000, replay_workers_);
        replay.create();
        auto watermarks = events::KafkaWatermarks::open(kafka_, /*committed=*/true);
        if (!watermarks) throw std::runtime_error(watermarks.error().message);
        auto ends = (*watermarks)->ends(topic, metadata_timeout_ms);
        if (!ends) throw std::runtime_error(ends.error().message);
        auto read_to = [&](const std::map<int, std::int64_t>& target) {
            auto progress = [&](const SchemaReplay::Progress& p) {
                const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                update([&](RebuildStatus& s) { describe_progress(s, p, target, seconds); });
            };
            if (!replay.read_to(target, [&] { return stopping.load(); }, progress)) throw Stopped{};
            progress(replay.progress());
        };
        read_to(ends.value());
        const auto replayed = std::chrono::steady_clock::now();
        replay.analyze();  // the catch-up below adds little: the statistics of now will do
        update([](RebuildStatus& s) { s.state = "switching"; });

        // The live projector pauses only once it is as far as the copy: then the copy reads on to exactly its offsets.
        const auto deadline = std::chrono::steady_clock::now() + live_catch_up_limit;
        while (!covers(PostgresProjector::stored_offsets(connection_string_, topic), replay.progress().next)) {
            if (stopping) throw Stopped{};
            if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the live projector did not reach the rebuilt copy within 5 minutes");
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // polling the live offsets, up to the deadline
        }
        std::optional<std::string> difference;
        bool comparable = false, switched = false;
        auto since = [](std::chrono::steady_clock::time_point from) {
            return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - from).count();
        };
        const auto pausing = std::chrono::steady_clock::now();
        std::int64_t compare_ms = 0, switch_ms = 0;
        for (int attempt = 1; attempt <= switch_attempts && !switched; ++attempt) {
            if (!paused) {
                live.pause();
                paused = true;
            }
            read_to(PostgresProjector::stored_offsets(connection_string_, topic));
            auto& connection = replay.connection();
            std::vector<std::string> tables;
            const auto comparing = std::chrono::steady_clock::now();
            {
                // The live tables and their offsets in one snapshot: compared with the copy only when both hold the same events.
                pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx{connection};
                tables = replaced_tables(tx, schema);
                comparable = nonzero(offsets_in(tx, "public", topic)) == nonzero(replay.progress().next);
                difference = comparable ? first_difference(tx, "public", schema, tables) : std::nullopt;
            }
            compare_ms = since(comparing);
            const auto switching = std::chrono::steady_clock::now();
            try {
                pqxx::work tx{connection};
                tx.exec("set local lock_timeout = '2s'");  // readers in the way win: the switch is tried again
                std::string locked = "public.projection_offsets";
                for (const auto& table : tables) locked += ", public." + tx.quote_name(table);
                tx.exec("lock table " + locked + " in access exclusive mode");
                // Another instance applied more meanwhile: catch up again rather than lose its batches.
                if (nonzero(offsets_in(tx, "public", topic)) != nonzero(replay.progress().next)) continue;
                const auto retired = schema + retired_suffix;
                tx.exec("create schema " + tx.quote_name(retired));
                for (const auto& table : tables) tx.exec("alter table public." + tx.quote_name(table) + " set schema " + tx.quote_name(retired));
                for (const auto& table : tables) tx.exec("alter table " + tx.quote_name(schema) + "." + tx.quote_name(table) + " set schema public");
                // Extended statistics stay in their schema when their table moves: they go along by hand.
                auto move_statistics = [&](const std::string& from, const std::string& to) {
                    for (const auto& row : exec_prepared_sql(tx, "select stxname from pg_statistic_ext where stxnamespace = $1::regnamespace", from))
                        tx.exec("alter statistics " + tx.quote_name(from) + "." + tx.quote_name(row[0].as<std::string>()) + " set schema " + tx.quote_name(to));
                };
                move_statistics("public", retired);
                move_statistics(schema, "public");
                tx.exec("insert into public.projection_dead_letters select * from " + tx.quote_name(schema) + ".projection_dead_letters on conflict do nothing");
                tx.commit();
                switched = true;
                switch_ms = since(switching);
            } catch (const pqxx::sql_error& e) {
                if (e.sqlstate() != "55P03") throw;  // lock_not_available: busy readers, try again
                log_info("rebuild_switch_retried", {{"rebuild", status_.id}, {"attempt", attempt}});
            }
        }
        if (!switched) throw std::runtime_error("the live tables could not be switched (other instances kept moving their offsets, or readers held them)");
        live.resume();
        paused = false;
        const auto paused_ms = since(pausing);
        SchemaReplay::drop(connection_string_, schema + retired_suffix);
        SchemaReplay::drop(connection_string_, schema);  // what is left of it: its bookkeeping
        update([&](RebuildStatus& s) {
            s.state = "done";
            s.finished_ms = wall_ms();
            s.eta_seconds = 0.0;
            for (auto& p : s.partitions) p.offset = p.end;  // a partition's last offsets may be transaction markers
            if (comparable) s.matches_live = !difference;
            s.first_difference = difference.value_or("");
        });
        log_info("rebuild_done", {{"rebuild", status_.id},
                                  {"read_model", status_.read_model},
                                  {"events", static_cast<std::int64_t>(replay.progress().applied)},
                                  {"replay_ms", std::chrono::duration_cast<std::chrono::milliseconds>(replayed - started).count()},
                                  {"projector_paused_ms", paused_ms},
                                  {"compare_ms", compare_ms},
                                  {"switch_ms", switch_ms},
                                  {"matches_live", comparable ? (difference ? "false" : "true") : "not compared"}});
    } catch (const std::exception& e) {
        if (paused) live.resume();
        fail(e.what());
    }
}

}  // namespace debrief::projections
