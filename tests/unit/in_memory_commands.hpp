// The command side on an in-memory log, with a fixed clock, numbered ids and a stand-in password hash: the base of
// every unit test that drives CommandHandler.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "commands/command_handler.hpp"
#include "events/memory_event_log.hpp"

namespace debrief::commands {

inline constexpr std::int64_t test_clock_ms = 1'800'000'000'000;

struct InMemoryCommands {
    explicit InMemoryCommands(std::size_t max_queued = 10'000) : log(max_queued) {}
    WriteModel model;
    events::MemoryEventLog log;
    std::atomic<int> next_id = 0;  // commands may run on several threads
    CommandHandler handler{model, log, [] { return test_clock_ms; }, [this] { return "id-" + std::to_string(++next_id); },
                           [](std::string_view password) { return "hashed:" + std::string(password); }};
};

}  // namespace debrief::commands
