// RFC 5322 formatting of follow-up e-mails.
#include "adapters/delivery/email_message.hpp"

#include <algorithm>
#include <ctime>
#include <sodium.h>

namespace debrief::delivery {
namespace {

std::string rfc5322_date(std::int64_t epoch_ms) {
    std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[utc.tm_wday % 7], utc.tm_mday, months[utc.tm_mon % 12],
                  (utc.tm_year + 1900) % 10000, utc.tm_hour % 100, utc.tm_min % 100, utc.tm_sec % 100);
    return text;
}

std::string encoded_subject(const std::string& subject) {
    bool ascii = std::all_of(subject.begin(), subject.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
    if (ascii) return subject;
    return "=?UTF-8?B?" + base64(subject) + "?=";
}

}  // namespace

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::string to_rfc5322(const EmailMessage& message) {
    std::string out;
    out += "Date: " + rfc5322_date(message.date_ms) + "\r\n";
    out += "From: " + message.from + "\r\n";
    out += "To: " + message.to + "\r\n";
    if (!message.reply_to.empty()) out += "Reply-To: " + message.reply_to + "\r\n";
    out += "Subject: " + encoded_subject(message.subject) + "\r\n";
    out += "Message-ID: " + message.message_id + "\r\n";
    out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n";
    if (!message.follow_up_id.empty()) out += "X-Debrief-Follow-Up: " + message.follow_up_id + "\r\n";
    out += "\r\n";
    for (std::size_t at = 0; at < message.body.size(); ++at) {
        char c = message.body[at];
        if (c == '\r') continue;
        if (c == '\n') out += "\r\n";
        else out += c;
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out;
}

}  // namespace debrief::delivery
