// Recovery codes: single-use second factors for a user who lost their authenticator. Shown once, at confirmation;
// stored only as keyed BLAKE2b-256 hashes (each code holds 80 random bits, so a fast hash is enough against
// guessing it back from the hash). Pure: the random bytes are an argument.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace debrief::commands::recovery_codes {

inline constexpr std::size_t count = 10;
inline constexpr std::size_t bytes_per_code = 10;  // 80 bits: 16 base32 characters
inline constexpr std::size_t salt_bytes = 16;

// The codes made from `random` (count * bytes_per_code bytes), as shown: "abcd-efgh-ijkl-mnop", lower-case base32.
std::vector<std::string> from_random(std::string_view random);
// A code as typed (any case, with or without dashes and spaces), as it is hashed; nullopt when it cannot be a
// recovery code at all.
std::optional<std::string> normalized(std::string_view typed);
// The stored form of a normalized code: BLAKE2b-256 keyed with the user's salt, in hex.
std::string hash(std::string_view salt, std::string_view normalized_code);

}  // namespace debrief::commands::recovery_codes
