// The bound on concurrent waits: up to the limit a wait gets a slot, beyond it none, and a finished wait frees its slot.
#include <doctest/doctest.h>

#include <vector>

#include "api/wait_slots.hpp"

using debrief::api::WaitSlots;

TEST_CASE("waits beyond the limit get no slot until one is given back") {
    WaitSlots slots{2};
    auto first = slots.try_acquire();
    auto second = slots.try_acquire();
    CHECK(first.has_value());
    CHECK(second.has_value());
    CHECK_FALSE(slots.try_acquire().has_value());
    CHECK(slots.in_use() == 2);
    second.reset();
    CHECK(slots.in_use() == 1);
    auto third = slots.try_acquire();
    CHECK(third.has_value());
    CHECK_FALSE(slots.try_acquire().has_value());
}

TEST_CASE("a slot moved elsewhere is given back once") {
    WaitSlots slots{1};
    {
        std::vector<WaitSlots::Slot> held;
        held.push_back(std::move(*slots.try_acquire()));
        CHECK(slots.in_use() == 1);
    }
    CHECK(slots.in_use() == 0);
    CHECK(slots.try_acquire().has_value());
}
