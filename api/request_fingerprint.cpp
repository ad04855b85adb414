// BLAKE2b (libsodium's generic hash) over the parts of a request, each length-prefixed so parts cannot run together.
#include "api/request_fingerprint.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>

namespace debrief::api {

std::string request_fingerprint(std::string_view method, std::string_view path, std::string_view body) {
    std::array<unsigned char, 16> digest{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, digest.size());
    for (auto part : {method, path, body}) {
        const std::uint64_t length = part.size();
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&length), sizeof length);
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
    }
    crypto_generichash_final(&state, digest.data(), digest.size());
    std::string hex(digest.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    hex.pop_back();
    return hex;
}

}  // namespace debrief::api
