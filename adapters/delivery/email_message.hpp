// An outgoing e-mail and its RFC 5322 text, the same for every delivery channel.
#pragma once

#include <cstdint>
#include <string>

namespace debrief::delivery {

struct EmailMessage {
    std::string message_id;  // "<...>", stable across attempts
    std::string from;        // an address, optionally "Name <address>"
    std::string reply_to;    // optional: the coach
    std::string to;
    std::string subject;     // UTF-8, one line
    std::string body;        // UTF-8 text, LF or CRLF line endings
    std::int64_t date_ms = 0;
    std::string follow_up_id;
};

// Headers and body with CRLF line endings; a non-ASCII subject is RFC 2047 encoded.
std::string to_rfc5322(const EmailMessage& message);
std::string base64(std::string_view bytes);

}  // namespace debrief::delivery
