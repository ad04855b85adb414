// Token buckets: a burst up to the limit, then one request per 60/limit seconds; keys apart; the table bounded.
#include <doctest/doctest.h>

#include "api/rate_limits.hpp"

using debrief::api::RateLimiter;

TEST_CASE("a bucket lets a burst of its limit through, then refills at the limit's rate") {
    RateLimiter limiter(60);  // one a second
    for (int i = 0; i < 60; ++i) REQUIRE(limiter.take("user:a", 0).allowed);
    auto refused = limiter.take("user:a", 0);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.remaining == 0);
    CHECK(refused.retry_after_seconds == 1);
    CHECK(refused.reset_seconds == 60);
    CHECK(limiter.take("user:b", 0).allowed);  // another key, another bucket
    CHECK_FALSE(limiter.take("user:a", 500).allowed);
    auto later = limiter.take("user:a", 1000);
    CHECK(later.allowed);
    CHECK(later.remaining == 0);
    auto rested = limiter.take("user:a", 1000 + 60'000);
    CHECK(rested.allowed);
    CHECK(rested.remaining == 59);
}

TEST_CASE("no limit passes everything; a full table forgets idle buckets first") {
    RateLimiter off(0);
    for (int i = 0; i < 1000; ++i) CHECK(off.take("k", 0).allowed);
    RateLimiter small(2, 3);
    CHECK(small.take("a", 0).allowed);
    CHECK(small.take("a", 0).allowed);
    CHECK_FALSE(small.take("a", 0).allowed);
    small.take("b", 0);
    small.take("c", 0);
    small.take("d", 120'000);  // table full: a, b and c are full again by now and go
    CHECK(small.take("a", 120'000).remaining == 1);
}
