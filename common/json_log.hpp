// Structured logs: one JSON object per line with an event name and fields; values are escaped, never interpolated.
#pragma once

#include <spdlog/spdlog.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace debrief {

struct LogField {
    std::string_view key;
    std::string value;
    bool quoted = true;
    LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
    LogField(std::string_view k, const char* v) : key(k), value(v) {}
    LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
    template <typename Number, typename = std::enable_if_t<std::is_arithmetic_v<Number>>>
    LogField(std::string_view k, Number v) : key(k), value(std::to_string(v)), quoted(false) {}
};

inline void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                    out += buffer;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

// The message part of a log line; the spdlog pattern (set in app/logging.cpp) wraps it with time and level.
inline std::string json_fields(std::string_view event, std::initializer_list<LogField> fields) {
    std::string out = "\"event\":";
    append_json_string(out, event);
    for (const auto& field : fields) {
        out += ',';
        append_json_string(out, field.key);
        out += ':';
        if (field.quoted) {
            append_json_string(out, field.value);
        } else {
            out += field.value;
        }
    }
    return out;
}

inline void log_info(std::string_view event, std::initializer_list<LogField> fields = {}) { spdlog::info(json_fields(event, fields)); }
inline void log_warn(std::string_view event, std::initializer_list<LogField> fields = {}) { spdlog::warn(json_fields(event, fields)); }
inline void log_error(std::string_view event, std::initializer_list<LogField> fields = {}) { spdlog::error(json_fields(event, fields)); }

}  // namespace debrief
