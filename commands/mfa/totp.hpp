// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), computed with liboath: HMAC-SHA-1, 30 s steps from the
// Unix epoch, 6 digits, the parameters every authenticator app assumes. Pure: the time is an argument.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace debrief::commands::totp {

inline constexpr int step_seconds = 30;
inline constexpr int digits = 6;
inline constexpr std::size_t key_bytes = 20;  // RFC 4226's recommended 160-bit key, the size of SHA-1's output
// Codes of the steps just before and after now's are accepted too: a phone's clock a little off, a code typed as
// its step turned.
inline constexpr int skew_steps = 1;

// The step a time falls in (T in RFC 6238).
std::int64_t step_of(std::int64_t unix_seconds);
// The code of `key` (raw bytes) at that time, with `code_digits` digits (RFC 6238's test vectors use 8).
std::string code_at(std::string_view key, std::int64_t unix_seconds, int code_digits = digits);
// The step whose code `code` is, among now's and the skew_steps around it; nullopt when it is none of them or is not
// six ASCII digits. Which steps were used already is the caller's question (replay protection).
std::optional<std::int64_t> matching_step(std::string_view key, std::string_view code, std::int64_t unix_seconds);

// RFC 4648 base32 (A-Z, 2-7), as authenticator apps take a key; decoding accepts lower case, spaces and padding.
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

// The Key URI an authenticator app scans (otpauth://totp/Issuer:account?secret=...&issuer=...&algorithm=SHA1&digits=6
// &period=30), issuer and account percent-encoded.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view key);

}  // namespace debrief::commands::totp
