#include "api/auth/api_key_token.hpp"

#include <sodium.h>

#include <algorithm>

#include "api/auth/random_bytes.hpp"
#include "common/hex.hpp"

namespace debrief::api {
namespace {

constexpr std::size_t id_digits = 32;
constexpr std::size_t secret_digits = 64;

bool lower_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string without_dashes(std::string_view uuid) {
    std::string out;
    for (char c : uuid)
        if (c != '-') out += c;
    return out;
}

}  // namespace

MintedApiKey mint_api_key(const ApiKeyId& id) {
    auto secret = to_hex(random_bytes(secret_digits / 2));
    return {std::string(api_key_scheme_prefix) + without_dashes(id.value) + "_" + secret, api_key_secret_hash(secret)};
}

bool looks_like_api_key(std::string_view bearer) { return bearer.starts_with(api_key_scheme_prefix); }

std::optional<ApiKeyToken> parse_api_key(std::string_view text) {
    if (!looks_like_api_key(text)) return std::nullopt;
    text.remove_prefix(api_key_scheme_prefix.size());
    if (text.size() != id_digits + 1 + secret_digits || text[id_digits] != '_') return std::nullopt;
    auto id = text.substr(0, id_digits);
    auto secret = text.substr(id_digits + 1);
    if (!lower_hex(id) || !lower_hex(secret)) return std::nullopt;
    std::string uuid;
    uuid.reserve(36);
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20) uuid += '-';
        uuid += id[i];
    }
    return ApiKeyToken{ApiKeyId{std::move(uuid)}, std::string(secret)};
}

std::string api_key_secret_hash(std::string_view secret) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    return to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

bool api_key_secret_matches(std::string_view secret, std::string_view stored_hash) {
    const auto hash = api_key_secret_hash(secret);
    return hash.size() == stored_hash.size() && sodium_memcmp(hash.data(), stored_hash.data(), hash.size()) == 0;
}

}  // namespace debrief::api
