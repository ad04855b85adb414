// CloudEvents binary-mode headers: the envelope's metadata, readable by integrators without decoding the payload.
#include "events/cloudevents.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "events/codec.hpp"

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

namespace {
std::string source_of(const Metadata& m) { return "/debrief/organizations/" + m.organization_id.value; }
std::string subject_of(const Event& event) { return std::string(aggregate_type(event.payload)) + "/" + event.metadata.aggregate_id; }
}  // namespace

std::string cloud_event_json(const Event& event, const Position& position) {
    const auto& m = event.metadata;
    boost::json::object out{{"specversion", "1.0"},
                            {"id", m.event_id},
                            {"source", source_of(m)},
                            {"type", type_name(event.payload)},
                            {"time", rfc3339_utc(m.occurred_at_ms)},
                            {"subject", subject_of(event)},
                            {"datacontenttype", "application/json"},
                            {"dataschema", json_data_schema},
                            {"organizationid", m.organization_id.value},
                            {"aggregateversion", m.aggregate_version},
                            {"actorid", m.cause.actor_id.value},
                            {"correlationid", m.cause.correlation_id},
                            {"causationid", m.cause.causation_id},
                            {"logposition", to_string(position)}};
    if (!m.unopened_seals.empty()) {
        std::string subjects;
        for (const auto& subject : m.unopened_seals) subjects += (subjects.empty() ? "" : ",") + subject;
        out["unopenedseals"] = subjects;
    }
    out["data"] = boost::json::parse(payload_json(event.payload));
    return boost::json::serialize(out);
}

Headers cloud_event_headers(const Event& event) {
    const auto& m = event.metadata;
    return {
        {"ce_specversion", "1.0"},
        {"ce_id", m.event_id},
        {"ce_source", source_of(m)},
        {"ce_type", std::string(type_name(event.payload))},
        {"ce_time", rfc3339_utc(m.occurred_at_ms)},
        {"ce_subject", subject_of(event)},
        {"ce_dataschema", "debrief:schemas/envelope.fbs#1"},
        {"content-type", flatbuffers_content_type},
    };
}

}  // namespace debrief::events
