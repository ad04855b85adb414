// Secret random bytes (libsodium's randombytes_buf, the operating system's CSPRNG): TOTP keys, recovery codes, salts.
#pragma once

#include <cstddef>
#include <string>

namespace debrief::api {

std::string random_bytes(std::size_t count);

}  // namespace debrief::api
