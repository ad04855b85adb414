// Exports for analysts: an organization's events from the log, filtered by time and type, one per line as
// CloudEvents structured JSON (jsonl) or flattened into CSV for one event type, pulled chunk by chunk so that an
// export of any size holds only a chunk and the consumer's fetch buffers in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "events/event.hpp"
#include "events/kafka_settings.hpp"
#include "events/keyring.hpp"

namespace debrief::events {

enum class ExportFormat { jsonl, csv };

struct ExportFilter {
    OrganizationId organization;
    std::optional<std::int64_t> from_ms;  // occurred at or after
    std::optional<std::int64_t> to_ms;    // occurred before
    std::string type_pattern;             // ce_type, "*" matching any run of characters; empty: every type
    ExportFormat format = ExportFormat::jsonl;
};

// "debrief.session.*" matches "debrief.session.created"; "*" anywhere matches any run of characters.
bool type_matches(std::string_view pattern, std::string_view type);
// The event types of this build a pattern matches.
std::vector<std::string> matching_types(std::string_view pattern);

// CSV of one event type: the envelope's columns, then the payload's fields (a field holding a list or a part is its
// JSON). RFC 4180 quoting; rows end with CRLF.
std::string csv_header(std::string_view type);
std::string csv_row(const Event& event, const Position& position);

// Checks a filter for an export: the format against the pattern (CSV needs exactly one event type) and the window.
std::optional<Error> check_export(const ExportFilter& filter);

class EventExport {
public:
    // Reads `topic` from the offsets where filter.from_ms begins (Kafka's offsets for times) to its end as of now,
    // opening sealed fields with keys (an erased subject's fields come out empty).
    static Result<std::unique_ptr<EventExport>> open(const KafkaSettings& settings, const std::string& topic, const KeyRing* keys, ExportFilter filter);
    ~EventExport();

    // The next lines, about chunk_bytes of them (the CSV header first); nullopt once the log's end as of open is read.
    // An error when the log cannot be read.
    Result<std::optional<std::string>> next(std::size_t chunk_bytes = 64 * 1024);
    std::size_t exported() const;  // events written so far
    std::size_t skipped() const;   // the organization's records that did not decode (a newer build's type, a dead letter)

private:
    struct Impl;
    explicit EventExport(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::events
