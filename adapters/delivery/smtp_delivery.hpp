// Delivery to an SMTP relay (RFC 5321): EHLO, optional AUTH PLAIN, MAIL FROM, RCPT TO, DATA. Plain TCP: point it
// at a local relay (Postfix, a smarthost) that does TLS onwards; every step has a deadline.
#pragma once

#include <chrono>
#include <string>

#include "adapters/delivery/delivery.hpp"

namespace debrief::delivery {

struct SmtpSettings {
    std::string host;  // empty: SMTP is not configured
    unsigned short port = 25;
    std::string user;  // AUTH PLAIN when set
    std::string password;
    std::string helo_name = "debrief.localdomain";
    std::chrono::milliseconds timeout{10000};
};

class SmtpDelivery final : public Delivery {
public:
    explicit SmtpDelivery(SmtpSettings settings) : settings_(std::move(settings)) {}
    std::string_view channel() const override { return "smtp"; }
    Result<std::string> deliver(const EmailMessage& message) override;

private:
    SmtpSettings settings_;
};

// The address inside "Name <address>", or the text itself.
std::string envelope_address(std::string_view mailbox);
// Lines starting with '.' doubled (RFC 5321 4.5.2), ended by CRLF.CRLF.
std::string dot_stuffed(std::string_view rfc5322_text);

}  // namespace debrief::delivery
