// WebSocket tickets: each opens one socket, within its 30 s, for the token it was issued for.
#include <doctest/doctest.h>

#include "api/live/live_tickets.hpp"

using debrief::api::live::LiveTickets;

TEST_CASE("a ticket opens one socket, for its token, and only within its lifetime") {
    LiveTickets tickets;
    auto a = tickets.issue("token-a", 1000);
    auto b = tickets.issue("token-b", 1000);
    CHECK(a != b);
    CHECK(a.size() > 40);
    CHECK(tickets.redeem(a, 2000) == "token-a");
    CHECK_FALSE(tickets.redeem(a, 2000).has_value());  // spent
    CHECK_FALSE(tickets.redeem(b, 1000 + LiveTickets::ttl_ms).has_value());  // expired
    CHECK_FALSE(tickets.redeem("wst_guess", 1000).has_value());
    auto c = tickets.issue("token-c", 5000);
    tickets.issue("token-d", 5000 + LiveTickets::ttl_ms + 1);  // drops c, expired by then
    CHECK_FALSE(tickets.redeem(c, 5000 + 1).has_value());
}
