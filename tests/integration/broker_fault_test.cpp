// The broker itself fails under load: the local Kafka process is paused (SIGSTOP) for longer than Debrief's
// transaction timeout while commands stream in, then resumed. A command sent meanwhile is refused with a clear 503
// (with Retry-After), none fails otherwise, what is acknowledged is in Kafka exactly once and nothing else is, and
// Debrief takes commands again by itself.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <thread>

#include "tests/integration/command_stream.hpp"
#include "tests/integration/consistency_checker.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
using namespace std::chrono_literals;

namespace {

// The local broker's process id, from the file ops/kafka-up writes (ops/test passes its path).
int broker_pid() {
    const char* file = std::getenv("DEBRIEF_TEST_KAFKA_PID_FILE");
    REQUIRE_MESSAGE(file != nullptr, "DEBRIEF_TEST_KAFKA_PID_FILE is not set (ops/test sets it to the local broker's pid file)");
    std::ifstream in(file);
    int pid = 0;
    in >> pid;
    REQUIRE_MESSAGE(pid > 0, "no process id in " << file);
    return pid;
}

// Resumes the broker when it leaves scope, so that no failed check leaves it stopped for the tests after this one.
struct Paused {
    int pid;
    explicit Paused(int p) : pid(p) { REQUIRE(::kill(pid, SIGSTOP) == 0); }
    ~Paused() { ::kill(pid, SIGCONT); }
};

}  // namespace

TEST_CASE("the broker paused longer than the transaction timeout mid-load: 503s meanwhile, nothing acknowledged lost or doubled, and Debrief recovers by itself") {
    constexpr auto transaction_timeout = 4s;
    Deployment deployment("brokerpause");
    DebriefProcess debrief(
        deployment, {{"DEBRIEF_KAFKA_TRANSACTION_TIMEOUT_MS", std::to_string(std::chrono::milliseconds(transaction_timeout).count())}});
    auto client = debrief.client();
    std::vector<Account> organizations;
    for (int i = 0; i < 3; ++i) organizations.push_back(sign_up(client, "Paused Broker " + std::to_string(i)));
    Ledger ledger;
    CommandStream stream(debrief.port(), organizations, ledger);
    REQUIRE(eventually(60s, [&] { return ledger.size() >= 30; }));

    std::size_t acknowledged_before_resume = 0;
    {
        Paused paused(broker_pid());
        const auto paused_at = std::chrono::steady_clock::now();
        // The pause is the fault under test: at least twice the transaction timeout, so that the broker aborts what
        // was open when it stopped. A command sent then is refused with a 503 while the broker is still away, never
        // left waiting for it (commands already in a commit the broker has not answered do wait: their outcome is
        // unknown until it answers).
        std::this_thread::sleep_until(paused_at + 2 * transaction_timeout);  // the fault's length, not a synchronisation
        auto probe = std::async(std::launch::async, [&] {
            return debrief.client().post_json("/v1/clients", boost::json::object{{"name", "Sent While Paused"}}, organizations.front().access_token);
        });
        REQUIRE_MESSAGE(probe.wait_for(30s) == std::future_status::ready, "a command sent while the broker was stopped waited for it");
        auto answer = probe.get();
        CHECK_MESSAGE(answer.status == 503, "a command sent while the broker was stopped: " << answer.status << " " << answer.body);
        CHECK(answer.header("retry-after") == "1");
        acknowledged_before_resume = ledger.size();
    }
    const bool recovered = eventually(180s, [&] { return ledger.size() >= acknowledged_before_resume + 30; });
    stream.stop();
    CHECK_MESSAGE(recovered, "no new command was accepted after the broker came back; Debrief's log:\n" << debrief.log_tail(20'000));
    for (const auto& refusal : stream.refusals())
        CHECK_MESSAGE(refusal.find(": 503 ") != std::string::npos, "a command failed otherwise than 503 while the broker was away: " << refusal);
    CHECK(eventually(60s, [&] { return client.get("/readyz").status == 200; }));

    // A command answered 503 was not committed (a commit the broker had not answered was waited for, never
    // answered as a failure): Kafka holds exactly what was acknowledged, each once.
    check_consistency(deployment, client, organizations, ledger);
    MESSAGE("acknowledged: " << ledger.size() << ", refused while the broker was stopped: " << stream.refused());
}
