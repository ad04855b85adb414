// The rule /readyz applies to a read model: failing beyond a grace, stuck behind the log, lagging beyond a bound.
#include <doctest/doctest.h>

#include "projections/read_model_status.hpp"

using namespace debrief::projections;

namespace {
ProjectorHealth::Snapshot health(ProjectorState state, std::int64_t last_progress_ms, std::int64_t failing_since_ms = 0) {
    ProjectorHealth::Snapshot snapshot;
    snapshot.state = state;
    snapshot.last_progress_ms = last_progress_ms;
    snapshot.failing_since_ms = failing_since_ms;
    return snapshot;
}
const ReadinessBounds bounds{100, 30'000, 5'000};
const std::map<int, std::int64_t> log_end{{0, 50}, {1, 20}};
}  // namespace

TEST_CASE("a caught-up read model is running, with a commit marker per partition forgiven") {
    auto status = read_model_status("postgres", health(ProjectorState::running, 0), {{0, 49}, {1, 19}}, log_end, 1'000'000, bounds);
    CHECK(status.state == "running");
    CHECK(status.lag_events == 2);
    CHECK(status.ready());
}

TEST_CASE("behind the log with nothing applied for longer than the bound is stuck; still applying is running") {
    const std::map<int, std::int64_t> behind{{0, 10}, {1, 20}};
    auto stuck = read_model_status("postgres", health(ProjectorState::running, 0), behind, log_end, 31'000, bounds);
    CHECK(stuck.state == "stuck");
    CHECK(stuck.lag_events == 40);
    CHECK_FALSE(stuck.ready());
    CHECK(read_model_status("postgres", health(ProjectorState::running, 20'000), behind, log_end, 31'000, bounds).state == "running");
}

TEST_CASE("further behind than max_lag_events is lagging; a partition it never read counts from 0") {
    auto status = read_model_status("rocksdb", health(ProjectorState::running, 1000), {}, {{0, 150}}, 2000, bounds);
    CHECK(status.state == "lagging");
    CHECK(status.lag_events == 150);
}

TEST_CASE("failing is not ready after the grace; starting and stopped are not ready") {
    CHECK(read_model_status("postgres", health(ProjectorState::failing, 0, 1000), {{0, 50}, {1, 20}}, log_end, 7000, bounds).state == "failing");
    CHECK(read_model_status("postgres", health(ProjectorState::failing, 0, 1000), {{0, 50}, {1, 20}}, log_end, 3000, bounds).state == "running");
    CHECK_FALSE(read_model_status("postgres", health(ProjectorState::starting, 0), {}, log_end, 0, bounds).ready());
    CHECK_FALSE(read_model_status("postgres", health(ProjectorState::stopped, 0), {}, log_end, 0, bounds).ready());
}

TEST_CASE("switching to a rebuilt copy is ready, unless its successor has not taken over within the stuck bound") {
    auto switching = read_model_status("postgres", health(ProjectorState::switching, 10'000), {}, log_end, 12'000, bounds);
    CHECK(switching.state == "switching");
    CHECK(switching.ready());
    auto never_taken_over = read_model_status("postgres", health(ProjectorState::switching, 10'000), {}, log_end, 41'000, bounds);
    CHECK(never_taken_over.state == "stuck");
    CHECK_FALSE(never_taken_over.ready());
}
