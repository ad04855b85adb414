// Event codec: domain events to and from the FlatBuffers envelope of schemas/envelope.fbs.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "events/event.hpp"

namespace debrief::events {

std::string encode(const Event& event);
// Verifies the buffer before reading it: bytes from the log are untrusted input.
Result<Event> decode(std::string_view bytes);

struct Credential {
    UserId user_id;
    OrganizationId organization_id;
    std::string email;
    std::string password_hash;
};

std::string encode(const Credential& credential);
Result<Credential> decode_credential(std::string_view bytes);

}  // namespace debrief::events
