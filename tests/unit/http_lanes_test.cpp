// Where the HTTP server runs handlers: in fibers, so a handler waiting on a Signal (a command waiting for its Kafka
// transaction) gives its worker back, and resumes on the thread it started on; slow requests on their own bounded
// pool, refused at once when it is full.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/http/http_server.hpp"
#include "common/signal.hpp"
#include "tests/support/http_get.hpp"
#include "tests/support/eventually.hpp"

using namespace debrief;
using debrief::testing::eventually;
using namespace std::chrono_literals;
using debrief::testing::get_async;

namespace {

api::HttpServerSettings one_worker_each() {
    api::HttpServerSettings s;
    s.port = 0;
    s.worker_threads = 1;
    s.slow_worker_threads = 1;
    s.max_slow_requests = 1;
    return s;
}

api::HttpResponse text(std::string body) { return api::HttpResponse{200, "text/plain", std::move(body), {}}; }

// Serves on its own thread until the test ends.
struct Serving {
    api::HttpServer& server;
    std::thread thread;
    explicit Serving(api::HttpServer& s) : server(s), thread([this] { server.run(); }) {}
    ~Serving() {
        server.stop();
        thread.join();
    }
};

}  // namespace

TEST_CASE("http server: handlers waiting on a signal hold no worker, so one worker serves many of them and others") {
    Signal committed;
    std::atomic<int> waiting{0};
    api::HttpServer server(one_worker_each(), [&](const api::HttpRequest& request) {
        if (request.target != "/wait") return text("now");
        ++waiting;
        committed.wait();  // suspends the fiber: the only worker goes on serving
        return text("committed");
    });
    const auto port = server.listen();
    Serving serving(server);
    std::vector<std::future<testing::HttpAnswer>> waits;
    struct SetAtEnd {  // after the futures: set before they are waited for at the end
        Signal& signal;
        ~SetAtEnd() { signal.set(); }  // a failed check must not leave the waiting requests (and the test) hanging
    } set_at_end{committed};
    for (int i = 0; i < 5; ++i) waits.push_back(get_async(port, "/wait"));
    REQUIRE(eventually([&] { return waiting.load() == 5; }));  // five in flight on one worker thread
    auto now = get_async(port, "/now");
    REQUIRE(now.wait_for(10s) == std::future_status::ready);
    CHECK(now.get().body == "now");
    for (auto& wait : waits) CHECK(wait.wait_for(0ms) == std::future_status::timeout);
    committed.set();
    for (auto& wait : waits) {
        REQUIRE(wait.wait_for(10s) == std::future_status::ready);
        CHECK(wait.get().body == "committed");
    }
}

TEST_CASE("http server: a handler's fiber resumes on the thread it started on, whichever thread wakes it") {
    auto settings = one_worker_each();
    settings.worker_threads = 4;
    constexpr int requests = 24;
    std::vector<std::unique_ptr<Signal>> committed;
    for (int i = 0; i < requests; ++i) committed.push_back(std::make_unique<Signal>());
    std::atomic<int> waiting{0}, moved{0};
    api::HttpServer server(settings, [&](const api::HttpRequest& request) {
        const int i = std::stoi(request.target.substr(1));
        const auto before = std::this_thread::get_id();
        ++waiting;
        committed[i]->wait();
        if (std::this_thread::get_id() != before) ++moved;
        return text(std::to_string(i));
    });
    const auto port = server.listen();
    Serving serving(server);
    struct SetAtEnd {
        std::vector<std::unique_ptr<Signal>>& signals;
        ~SetAtEnd() {
            for (auto& signal : signals)
                if (!signal->is_set()) signal->set();
        }
    } set_at_end{committed};
    std::vector<std::future<testing::HttpAnswer>> answers;
    for (int i = 0; i < requests; ++i) answers.push_back(get_async(port, "/" + std::to_string(i)));
    REQUIRE(eventually([&] { return waiting.load() == requests; }));
    // Woken from this thread, newest first: with a shared pool the fibers would resume wherever a worker is free.
    for (int i = requests - 1; i >= 0; --i) committed[i]->set();
    for (int i = 0; i < requests; ++i) {
        REQUIRE(answers[i].wait_for(10s) == std::future_status::ready);
        CHECK(answers[i].get().body == std::to_string(i));
    }
    CHECK(moved.load() == 0);
}

TEST_CASE("http server: slow requests run on their own pool; beyond its bound they are refused at once with Retry-After") {
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<int> slow_running{0};
    api::HttpServer server(
        one_worker_each(),
        [&](const api::HttpRequest& request) {
            if (request.target != "/slow") return text("fast");
            ++slow_running;
            released.wait();  // blocks its thread, as password hashing does
            return text("slow");
        },
        {}, [](const api::HttpRequest& request) { return request.target == "/slow"; });
    const auto port = server.listen();
    Serving serving(server);
    auto slow = get_async(port, "/slow");
    struct ReleaseAtEnd {
        std::promise<void>& release;
        bool released = false;
        ~ReleaseAtEnd() {
            if (!released) release.set_value();
        }
    } release_at_end{release};
    REQUIRE(eventually([&] { return slow_running.load() == 1; }));
    auto fast = get_async(port, "/fast");
    REQUIRE(fast.wait_for(10s) == std::future_status::ready);
    CHECK(fast.get().body == "fast");  // the slow request does not hold the worker that reads and commands use

    auto refused = get_async(port, "/slow");
    REQUIRE(refused.wait_for(10s) == std::future_status::ready);
    auto answer = refused.get();
    CHECK(answer.status == 503);
    CHECK(answer.body.find("\"overloaded\"") != std::string::npos);
    CHECK(answer.headers["Retry-After"] == "1");
    release.set_value();
    release_at_end.released = true;
    REQUIRE(slow.wait_for(10s) == std::future_status::ready);
    CHECK(slow.get().body == "slow");
}
