// The WebSocket hub: live messages in order, recovery from a position (and the honest "not recovered" when the hub
// dropped or never read what the client missed), clients kept from staff-only messages, bounded memory.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/live/live_hub.hpp"

using namespace debrief;
using namespace debrief::api::live;

namespace {
struct Collector : Subscriber {
    std::vector<std::string> got;
    void deliver(const Text& message) override { got.push_back(*message); }
};
Text text(std::string s) { return std::make_shared<const std::string>(std::move(s)); }
events::Position at(std::int64_t offset, int partition = 0) { return {partition, offset}; }

bool subscribe(LiveHub& hub, Collector& c, const std::string& key, std::optional<events::Position> since, bool staff = true) {
    return hub.subscribe(c, Subscription{key, staff, since}, [&](bool recovered) { c.got.push_back(recovered ? "subscribed:recovered" : "subscribed"); });
}
}  // namespace

TEST_CASE("a subscriber gets the channel's messages from its subscription on, in order, and none of other channels") {
    LiveHub hub;
    hub.gap(0, 0);
    Collector c;
    hub.publish("o/session:a", at(0), text("before"), false);
    CHECK_FALSE(subscribe(hub, c, "o/session:a", std::nullopt));
    hub.publish("o/session:a", at(1), text("one"), false);
    hub.publish("o/session:b", at(2), text("other"), false);
    hub.publish("o/session:a", at(3), text("two"), false);
    CHECK(c.got == std::vector<std::string>{"subscribed", "one", "two"});
    hub.unsubscribe(c, "o/session:a");
    hub.publish("o/session:a", at(4), text("after"), false);
    CHECK(c.got.size() == 3);
}

TEST_CASE("a client that saw position P gets what came after it first, then live messages, and nothing twice") {
    LiveHub hub;
    hub.gap(0, 10);
    for (int i = 10; i < 15; ++i) hub.publish("o/summary:s", at(i), text("m" + std::to_string(i)), false);
    Collector c;
    CHECK(subscribe(hub, c, "o/summary:s", at(12)));
    hub.publish("o/summary:s", at(15), text("m15"), false);
    CHECK(c.got == std::vector<std::string>{"subscribed:recovered", "m13", "m14", "m15"});

    // A position the hub has not reached yet: nothing at or before it is delivered when it comes.
    Collector ahead;
    CHECK(subscribe(hub, ahead, "o/summary:s", at(17)));
    hub.publish("o/summary:s", at(16), text("m16"), false);
    hub.publish("o/summary:s", at(18), text("m18"), false);
    CHECK(ahead.got == std::vector<std::string>{"subscribed:recovered", "m18"});
}

TEST_CASE("what the hub never read or already dropped cannot be recovered, and it says so") {
    SUBCASE("before the feed's start") {
        LiveHub hub;
        hub.gap(0, 100);
        hub.publish("o/session:a", at(100), text("m100"), false);
        Collector c;
        CHECK_FALSE(subscribe(hub, c, "o/session:a", at(50)));
        CHECK(c.got == std::vector<std::string>{"subscribed"});  // reload over HTTP: no partial backlog
        Collector exact;
        CHECK(subscribe(hub, exact, "o/session:a", at(99)));
        CHECK(exact.got == std::vector<std::string>{"subscribed:recovered", "m100"});
    }
    SUBCASE("a partition the feed never read") {
        LiveHub hub;
        Collector c;
        CHECK_FALSE(subscribe(hub, c, "o/session:a", at(5, 3)));
    }
    SUBCASE("dropped by the channel's own bound") {
        LiveHub hub{HubLimits{1000, 1 << 20, 3}};
        hub.gap(0, 0);
        for (int i = 0; i < 6; ++i) hub.publish("o/session:a", at(i), text("m"), false);
        Collector late, recent;
        CHECK_FALSE(subscribe(hub, late, "o/session:a", at(1)));
        CHECK(subscribe(hub, recent, "o/session:a", at(2)));
        CHECK(recent.got.size() == 4);
    }
    SUBCASE("dropped when the hub is full, across channels") {
        LiveHub hub{HubLimits{4, 1 << 20, 100}};
        hub.gap(0, 0);
        for (int i = 0; i < 8; ++i) hub.publish(i % 2 ? "o/session:a" : "o/session:b", at(i), text("m"), false);
        CHECK(hub.stats().messages == 4);
        Collector c;
        CHECK_FALSE(subscribe(hub, c, "o/session:b", at(2)));
        Collector d;
        CHECK(subscribe(hub, d, "o/session:b", at(3)));
        CHECK(d.got.size() == 3);  // subscribed, m4, m6
    }
}

TEST_CASE("a client user gets no staff-only message, live or recovered") {
    LiveHub hub;
    hub.gap(0, 0);
    hub.publish("o/session:a", at(0), text("draft"), true);
    hub.publish("o/session:a", at(1), text("analysed"), false);
    Collector client, coach;
    CHECK(subscribe(hub, client, "o/session:a", at(0), false));  // recovered: what it may see is all there
    CHECK(subscribe(hub, coach, "o/session:a", at(0)));
    hub.publish("o/session:a", at(2), text("refined"), true);
    CHECK(client.got == std::vector<std::string>{"subscribed:recovered", "analysed"});
    CHECK(coach.got == std::vector<std::string>{"subscribed:recovered", "analysed", "refined"});
}

TEST_CASE("a second subscription to a channel replaces the first; channels nobody follows and nothing keeps are forgotten") {
    LiveHub hub{HubLimits{2, 1 << 20, 100}};
    hub.gap(0, 0);
    Collector c;
    subscribe(hub, c, "o/session:a", std::nullopt);
    subscribe(hub, c, "o/session:a", std::nullopt);
    CHECK(hub.stats().subscriptions == 1);
    hub.publish("o/session:a", at(0), text("once"), false);
    CHECK(c.got == std::vector<std::string>{"subscribed", "subscribed", "once"});
    hub.unsubscribe(c, "o/session:a");
    for (int i = 1; i < 10; ++i) hub.publish("o/session:x" + std::to_string(i), at(i), text("m"), false);
    CHECK(hub.stats().channels == 2);
    CHECK(hub.stats().subscriptions == 0);
}
