// The command side on an in-memory log, with a fixed clock, numbered ids and a stand-in password hash: the base of
// every unit test that drives CommandHandler.
#pragma once

#include <cstdint>
#include <string>

#include "commands/command_handler.hpp"
#include "events/memory_event_log.hpp"

namespace debrief::commands {

inline constexpr std::int64_t test_clock_ms = 1'800'000'000'000;

struct InMemoryCommands {
    WriteModel model;
    events::MemoryEventLog log;
    int next_id = 0;
    CommandHandler handler{model, log, [] { return test_clock_ms; }, [this] { return "id-" + std::to_string(++next_id); },
                           [](std::string_view password) { return "hashed:" + std::string(password); }};
};

}  // namespace debrief::commands
