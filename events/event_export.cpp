// Exports: the formats (pure), and the reader that pulls an organization's records from the log to its end as of the
// start, decoding only the records keyed by that organization (the key of every event is its organization).
#include "events/event_export.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <thread>

#include "events/cloudevents.hpp"
#include "events/codec.hpp"
#include "events/event_consumer.hpp"
#include "events/kafka_watermarks.hpp"

namespace debrief::events {
namespace json = boost::json;
namespace {

constexpr std::int64_t time_margin_ms = 5 * 60 * 1000;  // records are stamped when produced, just after they occurred
constexpr int kafka_timeout_ms = 10'000;

std::string csv_cell(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos && (value.empty() || (value.front() != ' ' && value.back() != ' ')))
        return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csv_value(const json::value& value) {
    if (value.is_string()) return csv_cell(value.as_string());
    if (value.is_null()) return "";
    return csv_cell(json::serialize(value));
}

constexpr std::string_view envelope_columns[] = {"id", "time", "type", "subject", "organizationid", "aggregateversion", "actorid", "correlationid",
                                                 "logposition"};

}  // namespace

bool type_matches(std::string_view pattern, std::string_view type) {
    if (pattern.empty()) return true;
    // Glob with '*' only: greedy with backtracking to the last star.
    std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
    while (t < type.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == type[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

std::vector<std::string> matching_types(std::string_view pattern) {
    std::vector<std::string> out;
    for (auto type : event_type_names())
        if (type_matches(pattern, type)) out.emplace_back(type);
    return out;
}

std::string csv_header(std::string_view type) {
    std::string out;
    for (auto column : envelope_columns) out += (out.empty() ? "" : ",") + std::string(column);
    if (auto fields = default_payload_json(type)) {
        const auto payload = json::parse(*fields);  // kept: a range-for over a temporary's member would dangle
        for (const auto& [name, value] : payload.as_object()) out += "," + csv_cell(name);
    }
    return out + "\r\n";
}

std::string csv_row(const Event& event, const Position& position) {
    const auto& m = event.metadata;
    std::string out = csv_cell(m.event_id) + "," + rfc3339_utc(m.occurred_at_ms) + "," + std::string(type_name(event.payload)) + "," +
                      csv_cell(std::string(aggregate_type(event.payload)) + "/" + m.aggregate_id) + "," + csv_cell(m.organization_id.value) + "," +
                      std::to_string(m.aggregate_version) + "," + csv_cell(m.cause.actor_id.value) + "," + csv_cell(m.cause.correlation_id) + "," +
                      to_string(position);
    const auto payload = json::parse(payload_json(event.payload));
    for (const auto& [name, value] : payload.as_object()) out += "," + csv_value(value);
    return out + "\r\n";
}

std::optional<Error> check_export(const ExportFilter& filter) {
    if (filter.organization.empty()) return Error{ErrorKind::invalid, "invalid_filter", "an export names its organization"};
    if (filter.from_ms && filter.to_ms && *filter.from_ms >= *filter.to_ms)
        return Error{ErrorKind::invalid, "invalid_date_range", "from must be before to"};
    const auto types = matching_types(filter.type_pattern);
    if (types.empty())
        return Error{ErrorKind::invalid, "invalid_type", "type '" + filter.type_pattern + "' matches no event type (they are named like debrief.session.created)"};
    if (filter.format == ExportFormat::csv && types.size() != 1)
        return Error{ErrorKind::invalid, "csv_needs_one_type",
                     "CSV flattens one event type at a time; type '" + filter.type_pattern + "' matches " + std::to_string(types.size())};
    return std::nullopt;
}

struct EventExport::Impl {
    ExportFilter filter;
    const KeyRing* keys = nullptr;
    std::unique_ptr<EventConsumer> consumer;
    std::map<int, std::int64_t> remaining;  // partition -> the end to read to
    bool header_written = false;
    std::size_t exported = 0;
    std::size_t skipped = 0;
};

EventExport::EventExport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventExport::~EventExport() = default;

Result<std::unique_ptr<EventExport>> EventExport::open(const KafkaSettings& settings, const std::string& topic, const KeyRing* keys, ExportFilter filter) {
    if (auto refused = check_export(filter)) return *refused;
    auto watermarks = KafkaWatermarks::open(settings, /*committed=*/true);
    if (!watermarks) return watermarks.error();
    auto partitions = (*watermarks)->partition_count(topic, kafka_timeout_ms);
    if (!partitions) return partitions.error();
    auto impl = std::make_unique<Impl>();
    std::map<int, std::int64_t> starts;
    for (int partition = 0; partition < partitions.value(); ++partition) {
        auto end = (*watermarks)->high_watermark(topic, partition, kafka_timeout_ms);
        if (!end) return end.error();
        std::int64_t start = 0;
        if (filter.from_ms) {
            auto found = (*watermarks)->offset_for_time(topic, partition, *filter.from_ms - time_margin_ms, kafka_timeout_ms);
            if (!found) return found.error();
            start = found.value();
        }
        starts[partition] = start;
        if (end.value() > start) impl->remaining[partition] = end.value();
    }
    auto consumer = EventConsumer::all_partitions(settings, topic, [starts](const std::vector<int>&) { return starts; });
    if (!consumer) return consumer.error();
    impl->consumer = std::move(consumer).value();
    impl->filter = std::move(filter);
    impl->keys = keys;
    return std::unique_ptr<EventExport>(new EventExport(std::move(impl)));
}

Result<std::optional<std::string>> EventExport::next(std::size_t chunk_bytes) {
    auto& s = *impl_;
    std::string chunk;
    if (s.filter.format == ExportFormat::csv && !s.header_written) {
        s.header_written = true;
        chunk = csv_header(matching_types(s.filter.type_pattern).front());
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kafka_timeout_ms * 3);
    while (!s.remaining.empty() && chunk.size() < chunk_bytes) {
        if (std::chrono::steady_clock::now() > deadline)
            return Error{ErrorKind::unavailable, "event_log_unavailable", "the event log did not answer while exporting"};
        for (const auto& record : s.consumer->poll(500, 200)) {
            auto it = s.remaining.find(record.position.partition);
            if (it == s.remaining.end() || record.position.offset >= it->second) continue;  // past the end as of the start
            if (record.position.offset + 1 >= it->second) s.remaining.erase(it);
            if (record.key != s.filter.organization.value) continue;  // another organization's: not even decoded
            auto event = decode(record.value, s.keys);
            if (!event) {  // a newer build's type, or a record no build wrote (a dead letter): left out, counted
                ++s.skipped;
                continue;
            }
            const auto& m = event->metadata;
            if (m.organization_id != s.filter.organization) continue;
            if ((s.filter.from_ms && m.occurred_at_ms < *s.filter.from_ms) || (s.filter.to_ms && m.occurred_at_ms >= *s.filter.to_ms)) continue;
            if (!type_matches(s.filter.type_pattern, type_name(event->payload))) continue;
            chunk += s.filter.format == ExportFormat::csv ? csv_row(*event, record.position) : cloud_event_json(*event, record.position) + "\n";
            ++s.exported;
        }
        // Transaction markers leave gaps: a partition is done once the consumer's position reaches its end.
        for (auto [partition, next] : s.consumer->positions())
            if (auto it = s.remaining.find(partition); it != s.remaining.end() && next >= it->second) s.remaining.erase(it);
    }
    if (chunk.empty() && s.remaining.empty()) return std::optional<std::string>{};
    return std::optional<std::string>{std::move(chunk)};
}

std::size_t EventExport::exported() const { return impl_->exported; }
std::size_t EventExport::skipped() const { return impl_->skipped; }

}  // namespace debrief::events
