// liboath does the HMAC and the truncation; this file adds the checks around it and the Key URI.
#include "commands/mfa/totp.hpp"

#include <oath.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace debrief::commands::totp {
namespace {

void init_oath() {
    static const bool ready = oath_init() == OATH_OK;
    if (!ready) throw std::runtime_error("liboath failed to initialize");
}

bool is_code(std::string_view code) {
    return code.size() == static_cast<std::size_t>(digits) && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string percent_encoded(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0x0f];
        }
    }
    return out;
}

}  // namespace

std::int64_t step_of(std::int64_t unix_seconds) { return unix_seconds / step_seconds; }

std::string code_at(std::string_view key, std::int64_t unix_seconds, int code_digits) {
    init_oath();
    char out[16] = {};
    if (oath_totp_generate(key.data(), key.size(), static_cast<time_t>(unix_seconds), step_seconds, OATH_TOTP_DEFAULT_START_TIME,
                           static_cast<unsigned>(code_digits), out) != OATH_OK)
        throw std::runtime_error("oath_totp_generate failed");
    return out;
}

std::optional<std::int64_t> matching_step(std::string_view key, std::string_view code, std::int64_t unix_seconds) {
    if (!is_code(code) || key.empty()) return std::nullopt;
    init_oath();
    const std::string otp(code);
    int position = 0;
    std::uint64_t step = 0;
    // liboath compares the codes of now's step, then of the steps around it, and says which step matched.
    const int found = oath_totp_validate3(key.data(), key.size(), static_cast<time_t>(unix_seconds), step_seconds, OATH_TOTP_DEFAULT_START_TIME,
                                          skew_steps, &position, &step, otp.c_str());
    if (found < 0) return std::nullopt;
    return static_cast<std::int64_t>(step);
}

std::string base32_encode(std::string_view bytes) {
    init_oath();
    char* out = nullptr;
    std::size_t length = 0;
    if (oath_base32_encode(bytes.data(), bytes.size(), &out, &length) != OATH_OK) throw std::runtime_error("oath_base32_encode failed");
    std::string text(out, length);
    std::free(out);
    while (!text.empty() && text.back() == '=') text.pop_back();  // 20 bytes need none; apps expect none
    return text;
}

std::optional<std::string> base32_decode(std::string_view text) {
    init_oath();
    std::string clean;
    for (char c : text)
        if (c != ' ' && c != '=') clean += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    while (clean.size() % 8 != 0) clean += '=';
    char* out = nullptr;
    std::size_t length = 0;
    if (oath_base32_decode(clean.data(), clean.size(), &out, &length) != OATH_OK) return std::nullopt;
    std::string bytes(out, length);
    std::free(out);
    return bytes;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view key) {
    return "otpauth://totp/" + percent_encoded(issuer) + ":" + percent_encoded(account) + "?secret=" + base32_encode(key) +
           "&issuer=" + percent_encoded(issuer) + "&algorithm=SHA1&digits=" + std::to_string(digits) + "&period=" + std::to_string(step_seconds);
}

}  // namespace debrief::commands::totp
