#include "api/auth/random_bytes.hpp"

#include <sodium.h>

#include <stdexcept>

namespace debrief::api {

std::string random_bytes(std::size_t count) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
    std::string bytes(count, '\0');
    randombytes_buf(bytes.data(), bytes.size());
    return bytes;
}

}  // namespace debrief::api
