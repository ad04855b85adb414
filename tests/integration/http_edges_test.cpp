// The HTTP front under abuse, over real sockets to a real `debrief serve`: every malformed request gets a
// problem+json answer before the connection closes, and waits for a position are refused or bounded so that health
// probes answer while every worker is busy.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "tests/integration/harness.hpp"
#include "tests/integration/quiet_partition.hpp"
#include "tests/integration/raw_http_client.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

void check_problem(const HttpResult& response, int status, const std::string& code) {
    CHECK(response.status == status);
    CHECK(response.header("content-type") == "application/problem+json");
    auto problem = response.json().as_object();
    CHECK(problem.at("code").as_string() == code);
    CHECK(problem.at("status").as_int64() == status);
}

}  // namespace

TEST_CASE("every malformed HTTP request gets a problem+json answer over a real socket, then the connection closes") {
    Deployment deployment("http_edges");
    DebriefProcess debrief(deployment);
    auto account = sign_up(debrief.client(), "Edge Case Coaching");
    const auto appended_before = total_records(deployment.events_topic);

    struct Malformed {
        std::string what;
        std::string bytes;
        int status;
        std::string code;
    };
    const std::string body = R"({"organization":"X","name":"Y","email":"y@example.com","password":"long enough password"})";
    std::vector<Malformed> cases{
        {"a request line over 16 KiB", "GET /" + std::string(20 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"},
        {"a request line that never ends (the client keeps sending)", "GET /" + std::string(1024 * 1024, 'a'), 414, "uri_too_long"},
        {"an 80 KiB header", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(80 * 1024, 'b') + "\r\n\r\n", 431,
         "header_fields_too_large"},
        {"a NUL in the path", std::string("GET /v1/cli") + '\0' + "ents HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed_request"},
        {"HTTP/9.9", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 505, "http_version_not_supported"},
        {"HTTP/2.0 in an HTTP/1 request line", "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505, "http_version_not_supported"},
        {"garbage", "\x01\x02\x03 this is not HTTP\r\n\r\n", 400, "malformed_request"},
        {"a header without a colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n", 400, "malformed_request"},
        {"a Content-Length that is not a number", "POST /v1/signup HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n", 400,
         "malformed_request"},
        {"a body without Content-Type", "POST /v1/signup HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
                                            std::to_string(body.size()) + "\r\n\r\n" + body,
         415, "unsupported_media_type"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        RawConnection connection(debrief.port());
        connection.send(c.bytes);
        auto response = connection.read_response();
        check_problem(response, c.status, c.code);
        CHECK(connection.closed_by_server());
    }

    // If-Match with a sign, a blank or too many digits is a bad expected version, not a conflict.
    auto client = debrief.client();
    for (std::string bad : {"\"-1\"", "\"+3\"", "\" 3\"", "\"99999999999999999999999\""}) {
        CAPTURE(bad);
        auto response = client.request("POST", "/v1/sessions", json::serialize(session_body("plain", "Coach: Hi.\nMaria: Hello.")),
                                       {{"Authorization", "Bearer " + account.access_token}, {"If-Match", bad}});
        check_problem(response, 422, "invalid_expected_version");
    }
    CHECK(total_records(deployment.events_topic) == appended_before);
    CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("with every worker waiting for a position, /healthz and /readyz still answer at once") {
    Deployment deployment("http_waits_busy");
    DebriefProcess debrief(deployment, {{"DEBRIEF_WORKER_THREADS", "2"}, {"DEBRIEF_MAX_POSITION_WAITS", "2"}});
    auto quiet = sign_up_alone(deployment, debrief.client());
    REQUIRE(eventually(10s, [&] { return debrief.client().get(position_target(quiet.partition, quiet.last, 100), quiet.token).status == 200; }));

    // Both workers wait for the commit marker; each request is on the wire before the probes are sent.
    std::vector<std::unique_ptr<RawConnection>> waiters;
    for (int i = 0; i < 2; ++i) {
        waiters.push_back(std::make_unique<RawConnection>(debrief.port()));
        waiters.back()->send("GET " + position_target(quiet.partition, quiet.marker(), 6000) + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             quiet.token + "\r\nConnection: close\r\n\r\n");
    }
    for (std::string probe : {"/healthz", "/readyz"}) {
        CAPTURE(probe);
        const auto started = std::chrono::steady_clock::now();
        auto response = debrief.client().get(probe);
        CHECK(response.status == 200);
        CHECK(std::chrono::steady_clock::now() - started < 3s);  // a generous deadline, far below the waits' 6 s
    }
    for (auto& waiter : waiters) check_problem(waiter->read_response(), 504, "position_not_reached");
}

TEST_CASE("waits beyond the cap are 503 too_many_waits with Retry-After, and a position past the end of the log is 422 at once") {
    Deployment deployment("http_waits_cap");
    DebriefProcess debrief(deployment, {{"DEBRIEF_WORKER_THREADS", "4"}, {"DEBRIEF_MAX_POSITION_WAITS", "1"}});
    auto client = debrief.client();
    auto quiet = sign_up_alone(deployment, client);
    REQUIRE(eventually(10s, [&] { return client.get(position_target(quiet.partition, quiet.last, 100), quiet.token).status == 200; }));

    // One wait takes the only slot; the others, sent while it waits, are refused without waiting. The holder is on the
    // wire first, but a worker may still dispatch a probe before it: then the probe has the slot, the holder is the one
    // refused (at once), and every later probe finds the slot free again. So a holder that is not holding is replaced.
    std::unique_ptr<RawConnection> holder;
    HttpResult refused;
    bool got_503 = false;
    for (int attempt = 0; attempt < 5 && !got_503; ++attempt) {
        holder = std::make_unique<RawConnection>(debrief.port());
        holder->send("GET " + position_target(quiet.partition, quiet.marker(), 8000) + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     quiet.token + "\r\nConnection: close\r\n\r\n");
        got_503 = eventually(3s, [&] {
            refused = client.get(position_target(quiet.partition, quiet.marker(), 200), quiet.token);
            return refused.status == 503;
        });
        if (!got_503) {
            auto lost = holder->read_response();  // the holder lost the race for the slot
            INFO(lost.status << " " << lost.body);
            CHECK(lost.status == 503);
        }
    }
    REQUIRE_MESSAGE(got_503, refused.status << " " << refused.body);
    INFO(refused.status << " " << refused.body);
    check_problem(refused, 503, "too_many_waits");
    CHECK(refused.header("retry-after") == "1");
    std::atomic<int> too_many{0};
    std::vector<std::thread> extra;
    for (int i = 0; i < 3; ++i)
        extra.emplace_back([&] {
            auto response = client.get(position_target(quiet.partition, quiet.marker(), 8000), quiet.token);
            if (response.status == 503 && response.json().at("code").as_string() == "too_many_waits" && response.header("retry-after") == "1")
                ++too_many;
        });
    for (auto& thread : extra) thread.join();
    CHECK(too_many == 3);

    // At or far beyond the end, or on a partition that does not exist: refused at once, without a slot.
    for (const auto& target : {position_target(quiet.partition, 999'999'999, 10000), position_target(quiet.partition, quiet.end(), 10000),
                               position_target(9999, 0, 10000)}) {
        CAPTURE(target);
        const auto started = std::chrono::steady_clock::now();
        check_problem(client.get(target, quiet.token), 422, "invalid_position");
        CHECK(std::chrono::steady_clock::now() - started < 3s);
    }
    check_problem(client.get("/v1/clients?position=0:soon", quiet.token), 400, "invalid_position");
    check_problem(holder->read_response(), 504, "position_not_reached");
}
