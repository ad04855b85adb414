// The port the outbox delivers through: a file drop by default, SMTP when configured.
#pragma once

#include <string>
#include <string_view>

#include "adapters/delivery/email_message.hpp"
#include "common/result.hpp"

namespace debrief::delivery {

class Delivery {
public:
    virtual ~Delivery() = default;
    virtual std::string_view channel() const = 0;  // smtp | file
    // Where the message went (a path, the server's answer), or why it did not: every error is retried by the outbox.
    virtual Result<std::string> deliver(const EmailMessage& message) = 0;
    // Removes whatever copy of the follow-up's message it kept (its client was erased); a relay keeps none.
    virtual void forget(const std::string& follow_up_id) {}
};

}  // namespace debrief::delivery
