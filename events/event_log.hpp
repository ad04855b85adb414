// The event log as the write side sees it: append events durably and learn their position.
#pragma once

#include <span>
#include <vector>

#include "common/result.hpp"
#include "events/codec.hpp"
#include "events/event.hpp"

namespace debrief::events {

class EventLog {
public:
    virtual ~EventLog() = default;
    // Appends events of one organization, in order and atomically (all or none become visible to readers);
    // returns once all are durable, with each event's position.
    virtual Result<std::vector<Position>> append(std::span<const Event> events) = 0;
    // Stores a login credential on the private credentials topic; returns once durable.
    virtual Result<Position> put_credential(const Credential& credential) = 0;
};

}  // namespace debrief::events
