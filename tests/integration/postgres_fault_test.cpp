// PostgreSQL crashing under the projector: a test's own cluster is stopped with `pg_ctl stop -m immediate` while a
// steady stream of commands is projected, and started again. Nothing is lost or applied twice, the command side
// never notices, and /readyz says what is going on.
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "tests/integration/command_stream.hpp"
#include "tests/integration/consistency_checker.hpp"
#include "tests/integration/harness.hpp"
#include "tests/integration/test_postgres_server.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::int64_t events_projected(const Deployment& deployment) {
    return query_number(deployment, "select coalesce(sum(next_offset), 0) from projection_offsets where projector = 'postgres'");
}

// The state /readyz gives a read model, or "" when it does not list it.
std::string read_model_state(const json::value& readiness, const std::string& name) {
    for (const auto& model : readiness.at("read_models").as_array())
        if (model.at("name").as_string() == name) return std::string(model.at("state").as_string());
    return {};
}

}  // namespace

TEST_CASE("PostgreSQL stopped immediate under the projector's batches and started again: commands go on, nothing is lost or applied twice") {
    TestPostgresServer postgres;
    Deployment deployment("pgcrash", postgres.url());
    // Small batches: many transactions in flight, so the crash lands in the middle of one or between two.
    DebriefProcess debrief(deployment, {{"DEBRIEF_PROJECTOR_BATCH_SIZE", "5"}});
    auto client = debrief.client();
    std::vector<Account> organizations;
    for (int i = 0; i < 6; ++i) organizations.push_back(sign_up(client, "Outage Coaching " + std::to_string(i)));
    Ledger ledger;
    CommandStream stream(debrief.port(), organizations, ledger);

    // The crash comes in the middle of a batch: once the stream is being projected, a lock on `notes` holds the
    // projector inside its transaction at its next note, and the server is stopped while it waits there.
    REQUIRE(eventually(std::chrono::seconds(30), [&] { return stream.acknowledged() >= 60 && events_projected(deployment) >= 100; }));
    {
        pqxx::connection blocker{deployment.postgres_url};
        pqxx::work hold{blocker};
        hold.exec("lock table notes in access exclusive mode");
        REQUIRE(eventually(std::chrono::seconds(20), [&] {
            return query_number(deployment, "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'") > 0;
        }));
        postgres.stop_immediate();
    }  // the blocker's connection died with the server
    const auto at_crash = stream.acknowledged();

    // Commands need only Kafka: they go on being accepted. /readyz reports PostgreSQL down and, once the projector has
    // failed for a while, its read model failing.
    json::value readiness;
    CHECK(eventually(std::chrono::seconds(30), [&] {
        auto ready = client.get("/readyz");
        if (ready.status != 503) return false;
        readiness = ready.json();
        return read_model_state(readiness, "postgres") == "failing";
    }));
    INFO("readiness during the outage: " << json::serialize(readiness));
    if (!readiness.is_null()) {
        const auto& failing = readiness.at("failing").as_array();
        CHECK(std::count(failing.begin(), failing.end(), json::value("postgres")) == 1);  // the database and its read model, named once
        CHECK(read_model_state(readiness, "rocksdb") == "running");  // the other read model is not held up
    }
    REQUIRE(eventually(std::chrono::seconds(30), [&] { return stream.acknowledged() >= at_crash + 60; }));

    postgres.start();
    const auto at_recovery = stream.acknowledged();
    REQUIRE(eventually(std::chrono::seconds(30), [&] { return stream.acknowledged() >= at_recovery + 60; }));
    stream.stop();
    INFO("acknowledged before the crash " << at_crash << ", before the recovery " << at_recovery << ", in all " << stream.acknowledged());
    const auto refusals = stream.refusals();
    CHECK_MESSAGE(stream.refused() == 0, (refusals.empty() ? std::string{} : refusals.front()));
    CHECK_FALSE(stream.connection_lost());

    check_consistency(deployment, client, organizations, ledger);
    CHECK(eventually(std::chrono::seconds(20), [&] { return client.get("/readyz").status == 200; }));
    // The projector saw the crash as a transient failure of a batch it held, and retried it.
    const auto log = debrief.log_tail(2'000'000);
    const auto first_failure = log.find("\"event\":\"projector_batch_failed\"");
    REQUIRE(first_failure != std::string::npos);
    const auto failure_line = log.substr(first_failure, log.find('\n', first_failure) - first_failure);
    INFO(failure_line);
    CHECK(failure_line.find("\"cause\":\"transient\"") != std::string::npos);
    CHECK(failure_line.find("Connection refused") == std::string::npos);  // it lost a transaction under way, not a connect
    CHECK(log.find("projector_dead_letter") == std::string::npos);  // a crash of the database is nobody's event
}
