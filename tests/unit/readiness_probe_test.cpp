// The background readiness probe: /readyz reads its last result at once, a change is seen on the next probe, and a
// probe that hangs makes the instance not ready rather than stuck at its last good answer.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/readiness_probe.hpp"

using namespace debrief;
using namespace std::chrono_literals;

namespace {
api::Readiness all_ok() { return {true, true, true, true, true}; }

// Polls a condition until it holds or the deadline passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds deadline = 5000ms) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::yield();
    }
    return true;
}
}  // namespace

TEST_CASE("before its first probe the instance is not ready; after it, it reports what the check said") {
    std::atomic<int> calls{0};
    app::ReadinessProbe probe([&] {
        ++calls;
        return all_ok();
    }, {10ms, 5000ms});
    CHECK_FALSE(probe.current().ready());
    CHECK(probe.current().failing().front() == "probe");
    probe.start();
    CHECK(calls >= 1);
    CHECK(probe.current().ready());
}

TEST_CASE("PostgreSQL down and its read model failing are named once, not twice") {
    auto model = [](std::string name, std::string state) {
        projections::ReadModelStatus status;
        status.name = std::move(name);
        status.state = std::move(state);
        return status;
    };
    auto readiness = all_ok();
    readiness.postgres = false;
    readiness.read_models = {model("postgres", "failing"), model("rocksdb", "running")};
    CHECK(readiness.failing() == std::vector<std::string_view>{"postgres"});
    readiness.read_models.push_back(model("rocksdb-copy", "lagging"));
    CHECK(readiness.failing() == std::vector<std::string_view>{"postgres", "rocksdb-copy"});
}

TEST_CASE("a failing check is seen on the next probe, with the name of what failed") {
    std::atomic<bool> postgres_up{true};
    app::ReadinessProbe probe([&] {
        auto readiness = all_ok();
        readiness.postgres = postgres_up;
        return readiness;
    }, {10ms, 5000ms});
    probe.start();
    REQUIRE(probe.current().ready());
    postgres_up = false;
    REQUIRE(eventually([&] { return !probe.current().ready(); }));
    auto failing = probe.current().failing();
    REQUIRE(failing.size() == 1);
    CHECK(failing.front() == "postgres");
    postgres_up = true;
    CHECK(eventually([&] { return probe.current().ready(); }));
}

TEST_CASE("a probe that hangs makes the instance not ready once its last result is too old") {
    std::mutex mutex;
    std::condition_variable released;
    bool release = false;
    std::atomic<int> calls{0};
    app::ReadinessProbe probe([&] {
        if (++calls > 1) {
            std::unique_lock lock(mutex);
            released.wait(lock, [&] { return release; });  // a dependency that never answers
        }
        return all_ok();
    }, {10ms, 50ms});
    probe.start();
    CHECK(eventually([&] { return !probe.current().ready(); }));
    CHECK(probe.current().failing().front() == "probe");
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    released.notify_all();
    probe.stop();
}
