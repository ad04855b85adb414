// Argon2id costs 64 MiB and tens of milliseconds a call: that would be all the fuzzers measure. These replace
// api/auth/password.cpp at link time (defined here, so the linker never takes that object from the library); what
// they guard, a stored hash and its check, still happens.
#include "api/auth/password.hpp"

namespace debrief::api {

std::string hash_password(std::string_view password) { return "$argon2id$fuzz$" + std::string(password); }
bool verify_password(std::string_view password, const std::string& encoded_hash) { return encoded_hash == hash_password(password); }

}  // namespace debrief::api
