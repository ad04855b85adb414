// Where the HTTP server runs handlers: slow requests on their own bounded pool, refused at once when it is full.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "api/http/http_server.hpp"
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
