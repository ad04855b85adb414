// Event type names and positions: the small, dependency-free part of the event model.
#include "events/event.hpp"

#include <charconv>

namespace debrief::events {
namespace {
template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
}  // namespace

std::string_view type_name(const Payload& payload) {
    return std::visit(overloaded{
                          [](const OrganizationCreated&) { return std::string_view{"debrief.organization.created"}; },
                          [](const UserRegistered&) { return std::string_view{"debrief.user.registered"}; },
                          [](const SessionCreated&) { return std::string_view{"debrief.session.created"}; },
                          [](const TranscriptUploaded&) { return std::string_view{"debrief.session.transcript_uploaded"}; },
                          [](const TranscriptParsed&) { return std::string_view{"debrief.session.transcript_parsed"}; },
                      },
                      payload);
}

std::string_view aggregate_type(const Payload& payload) {
    return std::visit(overloaded{
                          [](const OrganizationCreated&) { return std::string_view{"organization"}; },
                          [](const UserRegistered&) { return std::string_view{"user"}; },
                          [](const auto&) { return std::string_view{"session"}; },
                      },
                      payload);
}

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


const std::string& aggregate_id(const Payload& payload) {
    return std::visit(overloaded{
                          [](const OrganizationCreated& e) -> const std::string& { return e.organization_id.value; },
                          [](const UserRegistered& e) -> const std::string& { return e.user_id.value; },
                          [](const auto& e) -> const std::string& { return e.session_id.value; },
                      },
                      payload);
}
}  // namespace debrief::events
