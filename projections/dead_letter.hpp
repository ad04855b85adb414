// An event a read model could not apply, set aside so that its projector goes on: what it was, where it sits in the
// log, which projector refused it and why, in words that never quote the event's contents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "events/event_consumer.hpp"

namespace debrief::projections {

struct DeadLetter {
    std::string projector;
    std::string topic;
    int partition = -1;
    std::int64_t offset = -1;
    std::string organization_id;  // the record's key: whose admins may see and retry it
    std::string event_type;       // from the ce_type header; empty when the record has none
    std::string event_id;         // from ce_id
    std::string error;            // see describe_failure
    std::int64_t at_ms = 0;
    std::string status = "dead";  // dead, then retried once a retry applied it

    // "<projector>:<partition>:<offset>": unique, stable across restarts and instances, and what the retry route takes.
    std::string id() const;
};

DeadLetter dead_letter_of(const events::Record& record, std::string projector, std::string topic, std::string error, std::int64_t at_ms);

// The parts of an id, or nothing when it is not one.
struct DeadLetterKey {
    std::string projector;
    int partition = -1;
    std::int64_t offset = -1;
};
std::optional<DeadLetterKey> parse_dead_letter_id(std::string_view id);

// An error message fit for logs, the DLQ headers and the admin list: its first line, at most 300 bytes, with every
// quoted part ("...", '...', (...)=(...) details) replaced by an ellipsis, since database errors quote the values
// they refused.
std::string describe_failure(std::string_view what);

// The projector_dead_letter log line: the event's type, id and position and the error, never its contents.
void log_dead_letter(const DeadLetter& letter);

}  // namespace debrief::projections
