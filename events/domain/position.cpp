// Log positions: how they print and parse.
#include "events/event.hpp"

#include <charconv>

namespace debrief::events {
std::string to_string(const Position& position) {
    return std::to_string(position.partition) + ":" + std::to_string(position.offset);
}

std::optional<Position> parse_position(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    Position position;
    auto parse = [](std::string_view part, auto& out) {
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
        return ec == std::errc{} && end == part.data() + part.size();
    };
    if (!parse(text.substr(0, colon), position.partition) || !parse(text.substr(colon + 1), position.offset)) return std::nullopt;
    if (!position.valid()) return std::nullopt;
    return position;
}

}  // namespace debrief::events
