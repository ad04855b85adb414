// Graceful shutdown of a real `debrief serve`: SIGTERM stops the accepting at once, a query in flight still gets
// its whole answer, and past DEBRIEF_DRAIN_TIMEOUT_MS the process closes the connection but still waits for the
// handler before it tears anything down; either way it exits with status 0.
#include <doctest/doctest.h>

#include <chrono>
#include <future>

#include "tests/integration/harness.hpp"
#include "tests/integration/quiet_partition.hpp"
#include "tests/integration/raw_http_client.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// The quiet organization, with its own sign-up applied by the read models.
QuietPartition quiet_and_applied(const Deployment& deployment, const HttpClient& client) {
    auto quiet = sign_up_alone(deployment, client);
    REQUIRE(eventually(10s, [&] { return client.get(position_target(quiet.partition, quiet.last, 100), quiet.token).status == 200; }));
    return quiet;
}

std::string wait_for_marker(const QuietPartition& quiet, int wait_ms) { return position_target(quiet.partition, quiet.marker(), wait_ms); }

// Sends a query that waits wait_ms on its own connection, and returns once its handler is waiting: with
// DEBRIEF_MAX_POSITION_WAITS=1 it holds the only slot, so another wait is refused with 503. A probe takes the slot
// for an instant too; when the query arrives in that instant it is the one refused, and it is sent again.
std::unique_ptr<RawConnection> start_waiting_query(const DebriefProcess& debrief, const QuietPartition& quiet, int wait_ms) {
    HttpResult probe;
    for (int attempt = 0; attempt < 5; ++attempt) {
        auto waiter = std::make_unique<RawConnection>(debrief.port());
        waiter->send("GET " + wait_for_marker(quiet, wait_ms) + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + quiet.token + "\r\n\r\n");
        if (eventually(2s, [&] {
                probe = debrief.client().get(wait_for_marker(quiet, 0), quiet.token);
                return probe.status == 503;
            }))
            return waiter;
        auto refused = waiter->read_response();
        REQUIRE_MESSAGE(refused.status == 503, "the query neither waited nor was refused: " << refused.status << " " << refused.body);
    }
    FAIL("the query never held the wait slot: " << probe.status << " " << probe.body);
    return nullptr;
}

bool refuses_connections(const DebriefProcess& debrief) {
    try {
        debrief.client().get("/healthz");
        return false;
    } catch (const std::runtime_error&) {
        return true;
    }
}

}  // namespace

TEST_CASE("SIGTERM drains: no new connection, the query in flight gets its whole answer, then the process exits 0") {
    Deployment deployment("shutdown_drain");
    DebriefProcess debrief(deployment, {{"DEBRIEF_WORKER_THREADS", "4"}, {"DEBRIEF_MAX_POSITION_WAITS", "1"}});
    auto quiet = quiet_and_applied(deployment, debrief.client());
    auto waiter = start_waiting_query(debrief, quiet, 4000);

    auto exit_status = std::async(std::launch::async, [&] { return debrief.stop(); });  // SIGTERM, then waits for the exit
    CHECK(eventually(3s, [&] { return refuses_connections(debrief); }));  // while the query still waits
    auto answer = waiter->read_response();  // a keep-alive request: answered, then closed because the server stops
    CHECK(answer.status == 504);
    CHECK(answer.json().at("code").as_string() == "position_not_reached");
    CHECK(answer.header("connection") == "close");
    CHECK(waiter->closed_by_server());
    REQUIRE(exit_status.wait_for(60s) == std::future_status::ready);
    CHECK(exit_status.get() == 0);

    const auto log = debrief.log_tail(64 * 1024);
    const auto signalled = log.find(R"("event":"shutting_down","signal":15)");
    const auto drained = log.find(R"("event":"http_drained","open_connections":0)");
    const auto stopped = log.find(R"("event":"stopped")");
    CHECK(signalled != std::string::npos);
    CHECK(drained != std::string::npos);
    CHECK(stopped != std::string::npos);
    CHECK(signalled < drained);
    CHECK(drained < stopped);
}

TEST_CASE("past the drain timeout the connection is closed, but the process waits for its handler before it exits 0") {
    Deployment deployment("shutdown_drain_timeout");
    DebriefProcess debrief(deployment, {{"DEBRIEF_WORKER_THREADS", "4"}, {"DEBRIEF_MAX_POSITION_WAITS", "1"}, {"DEBRIEF_DRAIN_TIMEOUT_MS", "200"}});
    auto quiet = quiet_and_applied(deployment, debrief.client());
    constexpr int wait_ms = 3000;
    const auto sent = std::chrono::steady_clock::now();
    auto waiter = start_waiting_query(debrief, quiet, wait_ms);

    const auto status = debrief.stop();
    const auto exited = std::chrono::steady_clock::now();
    CHECK(status == 0);
    // The handler began after `sent` and waits wait_ms: the process ended only after it had finished.
    CHECK(exited - sent >= std::chrono::milliseconds(wait_ms));
    CHECK_THROWS_AS(waiter->read_response(), std::runtime_error);  // its answer is never written

    const auto log = debrief.log_tail(64 * 1024);
    CHECK(log.find(R"("event":"http_drained","open_connections":1)") != std::string::npos);
    CHECK(log.find(R"("event":"stopped")") != std::string::npos);
}
