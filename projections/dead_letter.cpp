// Dead letters: their ids and the scrubbing of error messages.
#include "projections/dead_letter.hpp"

#include <charconv>
#include <optional>

#include "commands/text_rules.hpp"
#include "common/json_log.hpp"

namespace debrief::projections {
namespace {

// Keys, headers and error messages are bytes from outside: kept to printable UTF-8, so that they can be stored in
// PostgreSQL and logged as they are (a dead letter that cannot be recorded would stall its projector).
std::string printable(std::string text, std::size_t max_bytes) {
    text = text.substr(0, max_bytes);
    const bool utf8 = commands::is_valid_utf8(text);
    for (auto& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || (!utf8 && static_cast<unsigned char>(c) >= 0x80)) c = '?';
    return text;
}

}  // namespace

std::string DeadLetter::id() const { return projector + ":" + std::to_string(partition) + ":" + std::to_string(offset); }

DeadLetter dead_letter_of(const events::Record& record, std::string projector, std::string topic, std::string error, std::int64_t at_ms) {
    DeadLetter letter;
    letter.projector = std::move(projector);
    letter.topic = std::move(topic);
    letter.partition = record.position.partition;
    letter.offset = record.position.offset;
    letter.organization_id = printable(record.key, 200);
    for (const auto& [name, value] : record.headers) {
        if (name == "ce_type") letter.event_type = printable(value, 200);
        if (name == "ce_id") letter.event_id = printable(value, 200);
    }
    letter.error = describe_failure(error);
    letter.at_ms = at_ms;
    return letter;
}

std::optional<DeadLetterKey> parse_dead_letter_id(std::string_view id) {
    auto first = id.find(':');
    auto second = first == std::string_view::npos ? first : id.find(':', first + 1);
    if (first == 0 || second == std::string_view::npos) return std::nullopt;
    DeadLetterKey key{std::string(id.substr(0, first))};
    auto partition = id.substr(first + 1, second - first - 1);
    auto offset = id.substr(second + 1);
    auto [p_end, p_error] = std::from_chars(partition.data(), partition.data() + partition.size(), key.partition);
    auto [o_end, o_error] = std::from_chars(offset.data(), offset.data() + offset.size(), key.offset);
    if (p_error != std::errc{} || o_error != std::errc{} || p_end != partition.data() + partition.size() ||
        o_end != offset.data() + offset.size() || key.partition < 0 || key.offset < 0 || partition.empty() || offset.empty())
        return std::nullopt;
    return key;
}

std::string describe_failure(std::string_view what) {
    what = what.substr(0, what.find('\n'));
    std::string out;
    char closing = 0;
    for (char c : what) {
        if (closing) {
            if (c == closing) {
                out += "…";
                out += c;
                closing = 0;
            }
            continue;
        }
        out += c;
        if (c == '"' || c == '\'') closing = c;
        if (c == '(') closing = ')';
        if (out.size() >= 300) break;
    }
    if (closing) out += "…";
    return printable(std::move(out), 400);
}

void log_dead_letter(const DeadLetter& letter) {
    log_error("projector_dead_letter", {{"projector", letter.projector}, {"event_type", letter.event_type}, {"event_id", letter.event_id},
                                        {"partition", letter.partition}, {"offset", letter.offset}, {"error", letter.error}});
}

}  // namespace debrief::projections
