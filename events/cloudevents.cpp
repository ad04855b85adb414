// CloudEvents binary-mode headers: the envelope's metadata, readable by integrators without decoding the payload.
#include "events/cloudevents.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace debrief::events {

std::string rfc3339_utc(std::int64_t epoch_ms) {
    std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[80];  // room for any int fields, so the compiler can prove no truncation
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                  utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(epoch_ms % 1000));
    return buffer;
}

Headers cloud_event_headers(const Event& event) {
    const auto& m = event.metadata;
    return {
        {"ce_specversion", "1.0"},
        {"ce_id", m.event_id},
        {"ce_source", "/debrief/organizations/" + m.organization_id.value},
        {"ce_type", std::string(type_name(event.payload))},
        {"ce_time", rfc3339_utc(m.occurred_at_ms)},
        {"ce_subject", std::string(aggregate_type(event.payload)) + "/" + m.aggregate_id},
        {"ce_dataschema", "debrief:schemas/envelope.fbs#1"},
        {"content-type", flatbuffers_content_type},
    };
}

}  // namespace debrief::events
