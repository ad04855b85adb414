// CloudEvents 1.0 Kafka binary-mode headers for an event (ce_specversion, ce_id, ce_source, ce_type, ...).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "events/event.hpp"

namespace debrief::events {

inline constexpr const char* flatbuffers_content_type = "application/x-flatbuffers;schema=debrief.schema.Envelope";

using Headers = std::vector<std::pair<std::string, std::string>>;

Headers cloud_event_headers(const Event& event);
std::string rfc3339_utc(std::int64_t epoch_ms);

}  // namespace debrief::events
