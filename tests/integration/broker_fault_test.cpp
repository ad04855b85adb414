// The broker itself fails under load, while commands stream in: the local Kafka process is paused (SIGSTOP) for
// longer than Debrief's transaction timeout and resumed, or killed (SIGKILL) and started again. A command sent
// while the broker is away is refused with a clear 503 (with Retry-After), none fails otherwise, what is
// acknowledged is in Kafka exactly once and nothing else is, and Debrief takes commands again by itself.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <future>
#include <thread>

#include "tests/integration/command_stream.hpp"
#include "tests/integration/consistency_checker.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
using namespace std::chrono_literals;

namespace {

constexpr auto transaction_timeout = 4s;

std::string required_env(const char* name, const char* what) {
    const char* value = std::getenv(name);
    REQUIRE_MESSAGE(value != nullptr, name << " is not set (ops/test sets it to " << what << ")");
    return value;
}

// The local broker's process id, from the file ops/kafka-up writes (ops/test passes its path).
int broker_pid() {
    const auto file = required_env("DEBRIEF_TEST_KAFKA_PID_FILE", "the local broker's pid file");
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

// Starts the broker again (ops/kafka-up, which returns once it answers) at the latest when it leaves scope.
struct Killed {
    std::string start_command = required_env("DEBRIEF_TEST_KAFKA_START", "ops/kafka-up");
    bool started = false;
    explicit Killed(int pid) {
        REQUIRE(::kill(pid, SIGKILL) == 0);
        REQUIRE_MESSAGE(eventually(30s, [&] { return ::kill(pid, 0) != 0; }), "the broker outlived SIGKILL");
    }
    void start_again() {
        started = true;
        REQUIRE_MESSAGE(std::system(start_command.c_str()) == 0, "the broker did not start again: " << start_command);
    }
    ~Killed() {
        if (!started) (void)std::system(start_command.c_str());
    }
};

// Three organizations writing steadily, the fault while they write, then the checks.
void under_load(const char* name, const std::function<void(DebriefProcess&, const Account&)>& fault) {
    Deployment deployment(name);
    DebriefProcess debrief(
        deployment, {{"DEBRIEF_KAFKA_TRANSACTION_TIMEOUT_MS", std::to_string(std::chrono::milliseconds(transaction_timeout).count())}});
    auto client = debrief.client();
    std::vector<Account> organizations;
    for (int i = 0; i < 3; ++i) organizations.push_back(sign_up(client, std::string(name) + " " + std::to_string(i)));
    Ledger ledger;
    CommandStream stream(debrief.port(), organizations, ledger);
    REQUIRE(eventually(60s, [&] { return ledger.size() >= 30; }));

    fault(debrief, organizations.front());
    const auto acknowledged_before = ledger.size();
    const bool recovered = eventually(180s, [&] { return ledger.size() >= acknowledged_before + 30; });
    stream.stop();
    CHECK_MESSAGE(recovered, "no new command was accepted after the broker came back; Debrief's log:\n" << debrief.log_tail(20'000));
    for (const auto& refusal : stream.refusals())
        CHECK_MESSAGE(refusal.find(": 503 ") != std::string::npos, "a command failed otherwise than 503 while the broker was away: " << refusal);
    CHECK(eventually(60s, [&] { return client.get("/readyz").status == 200; }));

    // A command answered 503 was not committed (a commit the broker had not answered was waited for, never
    // answered as a failure): Kafka holds exactly what was acknowledged, each once.
    check_consistency(deployment, client, organizations, ledger);
    MESSAGE("acknowledged: " << ledger.size() << ", refused while the broker was away: " << stream.refused());
}

// While the broker is away: a command sent now is refused with a 503 before the broker is back, never left waiting
// for it (commands already in a commit the broker has not answered do wait: their outcome is unknown until then).
void expect_prompt_refusal(const DebriefProcess& debrief, const Account& account) {
    auto probe = std::async(std::launch::async, [&] {
        return debrief.client().post_json("/v1/clients", boost::json::object{{"name", "Sent While Away"}}, account.access_token);
    });
    REQUIRE_MESSAGE(probe.wait_for(30s) == std::future_status::ready, "a command sent while the broker was away waited for it");
    auto answer = probe.get();
    CHECK_MESSAGE(answer.status == 503, "a command sent while the broker was away: " << answer.status << " " << answer.body);
    CHECK(answer.header("retry-after") == "1");
}

}  // namespace

TEST_CASE("the broker paused longer than the transaction timeout mid-load: 503s meanwhile, nothing acknowledged lost or doubled, and Debrief recovers by itself") {
    under_load("brokerpause", [](DebriefProcess& debrief, const Account& account) {
        Paused paused(broker_pid());
        // At least twice the transaction timeout, so that the broker aborts what was open when it stopped.
        std::this_thread::sleep_for(2 * transaction_timeout);  // the fault's length, not a synchronisation
        expect_prompt_refusal(debrief, account);
    });
}

TEST_CASE("the broker killed mid-load and started again: 503s meanwhile, nothing acknowledged lost or doubled, and Debrief recovers by itself") {
    under_load("brokerkill", [](DebriefProcess& debrief, const Account& account) {
        Killed killed(broker_pid());
        std::this_thread::sleep_for(transaction_timeout);  // the fault's length, not a synchronisation
        expect_prompt_refusal(debrief, account);
        killed.start_again();
    });
}
