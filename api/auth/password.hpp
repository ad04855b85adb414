// Password hashing with Argon2id (libsodium): memory-hard, salted, parameters encoded in the hash string.
#pragma once

#include <string>
#include <string_view>

namespace debrief::api {

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& encoded_hash);

}  // namespace debrief::api
