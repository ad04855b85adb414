// The raw baselines of bench/replay: what the same machine does with the same data and no Debrief in between.
//   replay_baselines drain <brokers> <topic>
//       a plain librdkafka consumer (read_committed) reads every partition from the first record to its end
//   replay_baselines copy <postgres url> <events>
//       the rows of every table of the PostgreSQL read model (as a rebuild left them) are read out, then written
//       with COPY into empty tables like them (same columns, indexes and constraints) in one transaction
//   replay_baselines writebatch <rocksdb dir> <scratch dir> <events>
//       every key and value of the RocksDB read model is read out, then written into a fresh database in
//       WriteBatches of 1,000 (no sync, as Debrief's store writes)
// Each prints one line: <stage> <records or events> <seconds> <per second>. copy and writebatch count the events
// the rows came from (their rate is comparable with a rebuild's); only the writing is timed.
#include <librdkafka/rdkafkacpp.h>
#include <libpq-fe.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench/kafka_login.hpp"
#include "projections/search/word_count_merge.hpp"

using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "replay_baselines: %s\n", message.c_str());
    std::exit(1);
}

void report(const char* stage, std::size_t count, Clock::time_point started) {
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("%s %zu %.3f %.0f\n", stage, count, seconds, static_cast<double>(count) / seconds);
}

int drain(const std::string& brokers, const std::string& topic) {
    std::string problem;
    std::unique_ptr<RdKafka::Conf> config(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    for (const auto& [key, value] : debrief::bench::kafka_login().properties())
        if (config->set(key, value, problem) != RdKafka::Conf::CONF_OK) fail(key + ": " + problem);
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{{"bootstrap.servers", brokers},
                                                                                     {"group.id", "replay-baseline-drain"},
                                                                                     {"enable.auto.commit", "false"},
                                                                                     {"isolation.level", "read_committed"}})
        if (config->set(key, value, problem) != RdKafka::Conf::CONF_OK) fail(key + ": " + problem);
    std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(config.get(), problem));
    if (!consumer) fail(problem);
    RdKafka::Metadata* raw = nullptr;
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(consumer.get(), topic, nullptr, problem));
    if (consumer->metadata(false, handle.get(), &raw, 10'000) != RdKafka::ERR_NO_ERROR) fail("no metadata for " + topic);
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    std::map<int, std::int64_t> ends;
    std::vector<RdKafka::TopicPartition*> partitions;
    for (const auto* t : *metadata->topics())
        for (const auto* p : *t->partitions()) {
            std::int64_t low = 0, high = 0;
            if (consumer->query_watermark_offsets(topic, p->id(), &low, &high, 10'000) != RdKafka::ERR_NO_ERROR) fail("no watermarks");
            if (high > low) ends[p->id()] = high;
            partitions.push_back(RdKafka::TopicPartition::create(topic, p->id(), RdKafka::Topic::OFFSET_BEGINNING));
        }
    const auto started = Clock::now();
    if (consumer->assign(partitions) != RdKafka::ERR_NO_ERROR) fail("assign failed");
    RdKafka::TopicPartition::destroy(partitions);
    std::size_t records = 0;
    while (!ends.empty()) {
        std::unique_ptr<RdKafka::Message> message(consumer->consume(1000));
        if (message->err() == RdKafka::ERR__TIMED_OUT || message->err() == RdKafka::ERR__PARTITION_EOF) continue;
        if (message->err() != RdKafka::ERR_NO_ERROR) fail(message->errstr());
        ++records;
        auto end = ends.find(message->partition());
        if (end != ends.end() && message->offset() + 1 >= end->second) ends.erase(end);
    }
    report("drain", records, started);
    consumer->close();
    return 0;
}

PGresult* run(PGconn* connection, const std::string& sql, ExecStatusType expected) {
    PGresult* result = PQexec(connection, sql.c_str());
    if (PQresultStatus(result) != expected) fail(sql + ": " + PQerrorMessage(connection));
    return result;
}

int copy(const std::string& url, std::size_t events) {
    PGconn* connection = PQconnectdb(url.c_str());
    if (PQstatus(connection) != CONNECTION_OK) fail(PQerrorMessage(connection));
    std::vector<std::pair<std::string, std::string>> tables;  // name, its rows in COPY's text format
    PGresult* names = run(connection,
                          "select tablename from pg_tables where schemaname = 'public' and tablename not in "
                          "('audit_records', 'projection_offsets', 'projection_dead_letters', 'schema_migrations') order by tablename",
                          PGRES_TUPLES_OK);
    for (int i = 0; i < PQntuples(names); ++i) tables.emplace_back(PQgetvalue(names, i, 0), std::string{});
    PQclear(names);
    for (auto& [table, rows] : tables) {
        PQclear(run(connection, "copy public." + table + " to stdout", PGRES_COPY_OUT));
        char* line = nullptr;
        int n = 0;
        while ((n = PQgetCopyData(connection, &line, 0)) > 0) {
            rows.append(line, static_cast<std::size_t>(n));
            PQfreemem(line);
        }
        PQclear(PQgetResult(connection));
    }
    PQclear(run(connection, "drop schema if exists replay_raw cascade; create schema replay_raw", PGRES_COMMAND_OK));
    for (const auto& [table, rows] : tables)
        PQclear(run(connection, "create table replay_raw." + table + " (like public." + table + " including all)", PGRES_COMMAND_OK));
    const auto started = Clock::now();
    PQclear(run(connection, "begin", PGRES_COMMAND_OK));
    for (const auto& [table, rows] : tables) {
        PQclear(run(connection, "copy replay_raw." + table + " from stdin", PGRES_COPY_IN));
        for (std::size_t at = 0; at < rows.size(); at += 1 << 20) {
            const auto size = std::min<std::size_t>(1 << 20, rows.size() - at);
            if (PQputCopyData(connection, rows.data() + at, static_cast<int>(size)) != 1) fail(PQerrorMessage(connection));
        }
        if (PQputCopyEnd(connection, nullptr) != 1) fail(PQerrorMessage(connection));
        PGresult* done = PQgetResult(connection);
        if (PQresultStatus(done) != PGRES_COMMAND_OK) fail("copy into " + table + ": " + PQerrorMessage(connection));
        PQclear(done);
    }
    PQclear(run(connection, "commit", PGRES_COMMAND_OK));
    report("copy", events, started);
    std::size_t bytes = 0;
    for (const auto& [table, rows] : tables) bytes += rows.size();
    std::fprintf(stderr, "copy: %zu tables, %.1f MB of rows\n", tables.size(), static_cast<double>(bytes) / 1e6);
    PQclear(run(connection, "drop schema replay_raw cascade", PGRES_COMMAND_OK));
    PQfinish(connection);
    return 0;
}

int writebatch(const std::string& directory, const std::string& scratch, std::size_t events) {
    rocksdb::Options options;
    options.merge_operator = debrief::projections::word_count_merge_operator();  // to read the word counts
    rocksdb::DB* raw = nullptr;
    if (auto s = rocksdb::DB::OpenForReadOnly(options, directory, &raw); !s.ok()) fail(s.ToString());
    std::unique_ptr<rocksdb::DB> source(raw);
    std::vector<std::pair<std::string, std::string>> entries;
    std::size_t bytes = 0;
    {
        std::unique_ptr<rocksdb::Iterator> it(source->NewIterator(rocksdb::ReadOptions{}));
        for (it->SeekToFirst(); it->Valid(); it->Next()) {
            entries.emplace_back(it->key().ToString(), it->value().ToString());
            bytes += entries.back().first.size() + entries.back().second.size();
        }
        if (!it->status().ok()) fail(it->status().ToString());
    }
    source.reset();
    std::filesystem::remove_all(scratch);
    rocksdb::Options fresh;
    fresh.create_if_missing = true;
    if (auto s = rocksdb::DB::Open(fresh, scratch, &raw); !s.ok()) fail(s.ToString());
    std::unique_ptr<rocksdb::DB> target(raw);
    rocksdb::WriteOptions write;
    write.sync = false;
    const auto started = Clock::now();
    for (std::size_t at = 0; at < entries.size(); at += 1000) {
        rocksdb::WriteBatch batch;
        for (std::size_t i = at; i < std::min(entries.size(), at + 1000); ++i) batch.Put(entries[i].first, entries[i].second);
        if (auto s = target->Write(write, &batch); !s.ok()) fail(s.ToString());
    }
    report("writebatch", events, started);
    std::fprintf(stderr, "writebatch: %zu keys, %.1f MB\n", entries.size(), static_cast<double>(bytes) / 1e6);
    target.reset();
    std::filesystem::remove_all(scratch);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string stage = argc > 1 ? argv[1] : "";
    if (stage == "drain" && argc == 4) return drain(argv[2], argv[3]);
    if (stage == "copy" && argc == 4) return copy(argv[2], std::strtoull(argv[3], nullptr, 10));
    if (stage == "writebatch" && argc == 5) return writebatch(argv[2], argv[3], std::strtoull(argv[4], nullptr, 10));
    fail("usage: replay_baselines drain <brokers> <topic> | copy <postgres url> <events> | writebatch <rocksdb dir> <scratch dir> <events>");
}
