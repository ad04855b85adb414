// Argon2id via libsodium's crypto_pwhash_str_alg with its "interactive" limits (64 MiB, 2 passes).
#include "api/auth/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace debrief::api {
namespace {
void init_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw std::runtime_error("libsodium failed to initialize");
}
}  // namespace

std::string hash_password(std::string_view password) {
    init_sodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("out of memory while hashing a password");
    return out;
}

bool verify_password(std::string_view password, const std::string& encoded_hash) {
    init_sodium();
    if (encoded_hash.rfind("$argon2id$", 0) != 0) return false;
    return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace debrief::api
