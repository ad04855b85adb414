// Shutdown has one owner: the HTTP server's stop() only asks, run() drains and returns once no handler runs (also
// past the drain timeout), stop signals are caught by an asio::signal_set and acted on once the server serves, and
// a Service stops once whatever thread asks and however often.
#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <csignal>
#include <future>
#include <thread>

#include "api/http/http_server.hpp"
#include "app/config.hpp"
#include "app/service.hpp"
#include "tests/support/http_get.hpp"
#include "tests/support/eventually.hpp"

using namespace debrief;
using debrief::testing::eventually;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

api::HttpServerSettings settings(std::chrono::milliseconds drain_timeout) {
    api::HttpServerSettings s;
    s.port = 0;
    s.worker_threads = 2;
    s.drain_timeout = drain_timeout;
    return s;
}

// run() on its own thread; `returned` says when it has come back.
struct Running {
    api::HttpServer& server;
    std::atomic<bool> returned{false};
    std::function<void()> after;  // runs on that thread right after run() returns
    std::thread thread;
    explicit Running(api::HttpServer& s, std::function<void()> after_run = {}) : server(s), after(std::move(after_run)) {
        thread = std::thread([this] {
            server.run();
            if (after) after();
            returned = true;
        });
    }
    ~Running() {  // a test that failed half-way: stop, and do not wait forever
        if (!thread.joinable()) return;
        server.stop();
        joined();
    }
    // True when run() returned by the deadline; otherwise the thread is left behind (the test has failed).
    bool joined(std::chrono::milliseconds deadline = 5000ms) {
        if (!eventually([&] { return returned.load(); }, deadline)) {
            thread.detach();
            return false;
        }
        thread.join();
        return true;
    }
};

bool connect_refused(unsigned short port) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    beast::error_code ec;
    socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    return ec == asio::error::connection_refused;
}

// One GET on its own connection; the status and body.
std::future<std::pair<int, std::string>> get_async(unsigned short port, std::string target) {
    return std::async(std::launch::async, [answer = testing::get_async(port, std::move(target))]() mutable {
        auto got = answer.get();
        return std::pair{got.status, got.body};
    });
}

}  // namespace

TEST_CASE("http server: stop() before run() makes run() drain at once; more stop() calls, from any thread, change nothing") {
    api::HttpServer server(settings(10'000ms), [](const api::HttpRequest&) { return api::HttpResponse{}; });
    const auto port = server.listen();
    std::thread other([&] { server.stop(); });
    server.stop();
    other.join();
    Running running(server);
    REQUIRE(running.joined());
    server.stop();
    CHECK(connect_refused(port));
}

TEST_CASE("http server: a request in flight at stop() gets its whole answer, and no new connection is accepted") {
    std::promise<void> entered, release;
    auto released = release.get_future().share();
    api::HttpServer server(settings(10'000ms), [&](const api::HttpRequest&) {
        entered.set_value();
        released.wait();
        return api::HttpResponse{200, "text/plain", "done", {}};
    });
    const auto port = server.listen();
    Running running(server);
    auto answer = get_async(port, "/slow");
    REQUIRE(entered.get_future().wait_for(5s) == std::future_status::ready);
    server.stop();
    CHECK(eventually([&] { return connect_refused(port); }));  // no longer accepting, while the request still runs
    CHECK_FALSE(running.returned);
    release.set_value();
    REQUIRE(answer.wait_for(5s) == std::future_status::ready);
    CHECK(answer.get() == std::pair<int, std::string>{200, "done"});
    CHECK(running.joined());
}

TEST_CASE("http server: past the drain timeout run() still returns only once the handler has finished") {
    // What a handler uses belongs to the server's owner, which is torn down after run() returns.
    std::promise<void> entered, release;
    auto released = release.get_future().share();
    std::atomic<bool> handler_done{false};
    std::atomic<bool> done_when_run_returned{false};
    std::future<std::pair<int, std::string>> answer;  // before the server: its connection ends when the server goes
    api::HttpServer server(settings(0ms), [&](const api::HttpRequest&) {
        entered.set_value();
        released.wait();
        handler_done = true;
        return api::HttpResponse{};
    });
    const auto port = server.listen();
    Running running(server, [&] { done_when_run_returned = handler_done.load(); });
    answer = get_async(port, "/slow");
    REQUIRE(entered.get_future().wait_for(5s) == std::future_status::ready);
    server.stop();
    // With no drain time, the same step that closes the acceptor ends the I/O loop: once connecting is refused, the
    // drain is over and only the running handler holds run() back.
    REQUIRE(eventually([&] { return connect_refused(port); }));
    CHECK_FALSE(running.returned);
    release.set_value();
    REQUIRE(running.joined());
    CHECK(done_when_run_returned);
}

TEST_CASE("http server: a watched signal is caught, not fatal, and calls back on the I/O thread once run() serves") {
    std::atomic<int> received{0};
    std::thread::id callback_thread, run_thread;
    api::HttpServer server(settings(10'000ms), [](const api::HttpRequest&) { return api::HttpResponse{}; });
    server.on_signals({SIGUSR1}, [&](int signal) {
        received = signal;
        callback_thread = std::this_thread::get_id();
        server.stop();
    });
    server.listen();
    std::raise(SIGUSR1);  // before run(): waits for it (the default action would end the test program)
    CHECK(received == 0);
    std::thread runner([&] {
        run_thread = std::this_thread::get_id();
        server.run();
    });
    runner.join();  // returns because the callback stopped the server
    CHECK(received == SIGUSR1);
    CHECK(callback_thread == run_thread);
}

TEST_CASE("service: stop() is one request, from any thread and any number of times; a stop signal before start is not fatal") {
    auto config = app::load_config({"--http-port", "0"}, [](const std::string& name) -> std::optional<std::string> {
        if (name == "DEBRIEF_JWT_SECRET") return std::string(40, 'k');
        if (name == "DEBRIEF_MASTER_KEY_FILE") return std::string("/nonexistent/master.key");  // never read: the service does not start
        return std::nullopt;
    });
    REQUIRE(config.ok());
    app::Service service(std::move(config).value(), {SIGUSR2});
    std::raise(SIGUSR2);  // caught by the service's signal_set from its construction on
    std::vector<std::thread> stoppers;
    for (int i = 0; i < 4; ++i) stoppers.emplace_back([&] { service.stop(); });
    for (auto& stopper : stoppers) stopper.join();
    service.stop();
    service.run();  // never started: nothing to serve, shuts down at once
    service.run();
}
