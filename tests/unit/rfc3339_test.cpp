// RFC 3339 times for scheduled follow-ups: UTC, offsets and fractions accepted; anything else refused.
#include <doctest/doctest.h>

#include "common/rfc3339.hpp"

using debrief::parse_rfc3339_ms;

TEST_CASE("RFC 3339 times parse to epoch milliseconds") {
    CHECK(parse_rfc3339_ms("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_rfc3339_ms("2026-12-02T09:00:00Z") == 1'796'202'000'000);
    CHECK(parse_rfc3339_ms("2026-12-02T10:00:00+01:00") == 1'796'202'000'000);
    CHECK(parse_rfc3339_ms("2026-12-02T04:30:00-04:30") == 1'796'202'000'000);
    CHECK(parse_rfc3339_ms("2026-12-02T09:00:00.25Z") == 1'796'202'000'250);
    CHECK(parse_rfc3339_ms("2026-12-02t09:00:00.123456z") == 1'796'202'000'123);
}

TEST_CASE("anything that is not an RFC 3339 time is refused") {
    for (const char* bad : {"", "2026-12-02", "2026-12-02 09:00:00Z", "2026-12-02T09:00:00", "2026-02-30T09:00:00Z", "2026-12-02T24:00:00Z",
                            "2026-12-02T09:00:00.Z", "2026-12-02T09:00:00+0100", "2026-12-02T09:00:00Zjunk", "tomorrow at nine"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_rfc3339_ms(bad).has_value());
    }
}
