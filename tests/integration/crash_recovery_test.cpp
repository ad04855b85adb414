// A crash mid-stream loses no accepted command and applies no event twice: rows and offsets commit together, and the
// restarted process resumes from them. Two crashes: SIGKILL at a random point while commands and projections are in
// flight, and the fault injection that ends the process right after a PostgreSQL projector commit.
#include <doctest/doctest.h>

#include "projections/postgres/postgres_projector.hpp"
#include "tests/integration/command_stream.hpp"
#include "tests/integration/consistency_checker.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;

namespace {

std::vector<Account> sign_up_organizations(const HttpClient& client, const std::string& name, int count) {
    std::vector<Account> organizations;
    for (int i = 0; i < count; ++i) organizations.push_back(sign_up(client, name + " " + std::to_string(i)));
    return organizations;
}

}  // namespace

TEST_CASE("killing Debrief while it writes and projects, then restarting it, neither loses nor duplicates anything") {
    Deployment deployment("crash");
    // One event per transaction makes it likely that the kill lands between two projector commits.
    auto first = std::make_unique<DebriefProcess>(deployment, std::map<std::string, std::string>{{"DEBRIEF_PROJECTOR_BATCH_SIZE", "1"}});
    auto organizations = sign_up_organizations(first->client(), "Crashworthy Coaching", 3);
    Ledger ledger;
    CommandStream stream(first->port(), organizations, ledger);
    const bool enough = eventually(std::chrono::seconds(60), [&] { return ledger.size() >= 60; });
    first->kill_hard();
    stream.stop();
    REQUIRE(enough);
    first.reset();

    DebriefProcess second(deployment);
    // The answers in flight at the kill are lost, so Kafka may hold commands nobody heard accepted; never fewer.
    check_consistency(deployment, second.client(), organizations, ledger, {.answers_may_be_lost = true});
}

TEST_CASE("the projector ended right after its PostgreSQL commit, before anything after it, resumes past that commit and applies nothing twice") {
    Deployment deployment("commitcrash");
    constexpr int crash_after_commits = 40;
    auto first = std::make_unique<DebriefProcess>(deployment, std::map<std::string, std::string>{
                                                                  {"DEBRIEF_PROJECTOR_BATCH_SIZE", "2"},
                                                                  {"DEBRIEF_FAULT_CRASH_AFTER_PROJECTOR_COMMIT", std::to_string(crash_after_commits)},
                                                              });
    auto organizations = sign_up_organizations(first->client(), "Commit Crash Coaching", 3);
    Ledger ledger;
    CommandStream stream(first->port(), organizations, ledger);
    const auto status = first->wait_for_exit(std::chrono::seconds(60));
    stream.stop();
    const auto log = first->log_tail(200'000);
    REQUIRE_MESSAGE(status.has_value(), "the fault injection did not end the process; its log:\n" << log);
    CHECK(*status == projections::PostgresProjector::fault_exit_status);
    CHECK(log.find("\"event\":\"fault_injected_crash\"") != std::string::npos);
    CHECK(stream.connection_lost());
    CHECK(ledger.size() > 0);
    // The last commit is in the database, with the offsets it moved: the restart must start after it.
    CHECK(query_number(deployment, "select coalesce(sum(next_offset), 0) from projection_offsets where projector = 'postgres'") > 0);
    first.reset();

    DebriefProcess second(deployment);  // without the fault injection
    check_consistency(deployment, second.client(), organizations, ledger, {.answers_may_be_lost = true});
}
