// The Prometheus registry: counters and histograms by label values, gauges read when scraped, in the text format.
#include <doctest/doctest.h>

#include "common/metrics.hpp"

using namespace debrief::metrics;

TEST_CASE("the exposition has each family once, cumulative buckets, and gauges as they are when scraped") {
    Registry registry;
    registry.counter("t_requests_total", "requests", {{"route", "/v1/a"}, {"status", "200"}}).add();
    registry.counter("t_requests_total", "requests", {{"route", "/v1/a"}, {"status", "200"}}).add(2);
    registry.counter("t_requests_total", "requests", {{"route", "/v1/\"b\""}, {"status", "404"}}).add();
    auto& latency = registry.histogram("t_seconds", "latency", {}, {0.01, 0.1});
    latency.observe(0.005);
    latency.observe(0.05);
    latency.observe(5);
    double level = 1;
    registry.gauge("t_level", "level", [&] { return std::vector<std::pair<Labels, double>>{{{{"name", "x"}}, level}}; });
    level = 7;
    const auto text = registry.exposition();
    CHECK(text.find("# TYPE t_requests_total counter\n") != std::string::npos);
    CHECK(text.find("t_requests_total{route=\"/v1/a\",status=\"200\"} 3\n") != std::string::npos);
    CHECK(text.find("t_requests_total{route=\"/v1/\\\"b\\\"\",status=\"404\"} 1\n") != std::string::npos);
    CHECK(text.find("t_seconds_bucket{le=\"0.01\"} 1\n") != std::string::npos);
    CHECK(text.find("t_seconds_bucket{le=\"0.1\"} 2\n") != std::string::npos);
    CHECK(text.find("t_seconds_bucket{le=\"+Inf\"} 3\n") != std::string::npos);
    CHECK(text.find("t_seconds_count 3\n") != std::string::npos);
    CHECK(text.find("t_level{name=\"x\"} 7\n") != std::string::npos);
    registry.gauge("t_level", "", {});
    CHECK(registry.exposition().find("t_level") == std::string::npos);
    CHECK_THROWS(registry.histogram("t_requests_total", "not a histogram"));
}
