// The exactly-once checker of the fault tests: what the test was told was accepted, what Kafka holds, what each read
// model holds and what each set aside, counted per kind of thing and compared, with every count printed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/harness.hpp"

namespace debrief::it {

// The kinds the checker counts: each is created by one command (and by one event kind), so an acknowledgement, a
// Kafka event, a PostgreSQL row and a dead letter can be matched by id.
enum class Kind { client, note, action_item, session, undecodable };

// What the test was told was accepted: every 2xx answer's id, and every record the test appended itself and Kafka
// acknowledged. Shared by the writer threads.
class Ledger {
public:
    void acknowledge(Kind kind, const std::string& id);
    std::map<Kind, std::set<std::string>> snapshot() const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::map<Kind, std::set<std::string>> ids_;
    std::size_t size_ = 0;
};

struct CheckOptions {
    // A crash can lose the answer to a command that Kafka took: then Kafka may hold more than was acknowledged,
    // never less.
    bool answers_may_be_lost = false;
    // How long the read models may take to reach the end of the log.
    std::chrono::milliseconds catch_up_deadline{60'000};
};

// One line of the report: a kind and its counts in each place.
struct KindCounts {
    std::string kind;
    std::size_t acknowledged = 0;
    std::size_t lost = 0;              // acknowledged, not in Kafka
    std::size_t unacknowledged = 0;    // created by a command in Kafka, not acknowledged
    std::size_t kafka = 0;             // distinct ids in Kafka, derived ones included (clients found in transcripts)
    std::size_t kafka_duplicates = 0;  // events of the kind in Kafka beyond one per id
    std::size_t postgres = 0;
    std::size_t postgres_dead = 0;
    bool in_rocksdb = false;  // whether the RocksDB read model holds this kind
    std::size_t rocksdb = 0;
    std::size_t rocksdb_dead = 0;
};

struct ConsistencyReport {
    std::vector<KindCounts> kinds;
    // Counters a double-applied event would inflate, each beside what the log says it must be.
    std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> derived;  // name -> (PostgreSQL, expected)
    std::size_t kafka_records = 0;
    std::size_t duplicate_event_ids = 0;
    std::size_t dead_letters_of_nothing = 0;  // a dead letter whose position holds no record
    std::size_t api_postgres_dead = 0;        // PostgreSQL's dead letters as the admins' route lists them
    std::string text() const;                 // the table the checker prints
};

// Waits until both read models have applied the whole events topic, counts, prints the report (doctest MESSAGE) and
// checks, per kind: acknowledged = in Kafka (or ⊆ with answers_may_be_lost), in Kafka = in PostgreSQL + its dead
// letters = in RocksDB + its dead letters, no duplicates; and the derived counters. `admins` are the organizations'
// admin accounts: the dead-letter route shows each organization's own. Returns the report for further checks.
ConsistencyReport check_consistency(const Deployment& deployment, const HttpClient& client, const std::vector<Account>& admins, const Ledger& ledger,
                                    const CheckOptions& options = {});

}  // namespace debrief::it
