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

inline constexpr const char* json_data_schema = "debrief:docs/event-schemas.md#json";
// The event in CloudEvents' structured JSON mode (one line, for exports): the envelope's fields as attributes (the
// standard ones, and the extensions organizationid, aggregateversion, actorid, correlationid, causationid,
// logposition, and unopenedseals when a seal did not open), the payload as JSON in "data" (payload_json).
std::string cloud_event_json(const Event& event, const Position& position);
std::string rfc3339_utc(std::int64_t epoch_ms);

}  // namespace debrief::events
