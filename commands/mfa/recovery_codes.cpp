#include "commands/mfa/recovery_codes.hpp"

#include <sodium.h>

#include <cctype>
#include <stdexcept>

namespace debrief::commands::recovery_codes {
namespace {

constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz234567";  // RFC 4648 base32, lower case
constexpr std::size_t characters = bytes_per_code * 8 / 5;

}  // namespace

std::vector<std::string> from_random(std::string_view random) {
    if (random.size() != count * bytes_per_code) throw std::invalid_argument("recovery codes need count * bytes_per_code random bytes");
    std::vector<std::string> codes;
    for (std::size_t i = 0; i < count; ++i) {
        std::string code;
        unsigned buffer = 0;
        int bits = 0;
        for (std::size_t b = 0; b < bytes_per_code; ++b) {
            buffer = (buffer << 8) | static_cast<unsigned char>(random[i * bytes_per_code + b]);
            bits += 8;
            while (bits >= 5) {
                if (!code.empty() && (code.size() + 1) % 5 == 0) code += '-';  // groups of four
                code += alphabet[(buffer >> (bits - 5)) & 0x1f];
                bits -= 5;
            }
        }
        codes.push_back(std::move(code));
    }
    return codes;
}

std::optional<std::string> normalized(std::string_view typed) {
    std::string code;
    for (char c : typed) {
        if (c == '-' || c == ' ') continue;
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (alphabet.find(lower) == std::string_view::npos) return std::nullopt;
        code += lower;
    }
    if (code.size() != characters) return std::nullopt;
    return code;
}

std::string hash(std::string_view salt, std::string_view normalized_code) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
    unsigned char digest[crypto_generichash_BYTES];
    if (crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(normalized_code.data()), normalized_code.size(),
                           reinterpret_cast<const unsigned char*>(salt.data()), salt.size()) != 0)
        throw std::runtime_error("crypto_generichash failed");
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

}  // namespace debrief::commands::recovery_codes
