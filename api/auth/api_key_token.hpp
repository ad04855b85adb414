// The text of an API key, as an integrator sends it: "dbk_" + the key's id (32 hex digits, the UUID without dashes)
// + "_" + the secret (32 random bytes, 64 hex digits). The id finds the key without a search; only the secret's
// SHA-256 is stored, and the presented secret is compared against it in constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "events/ids.hpp"

namespace debrief::api {

inline constexpr std::string_view api_key_scheme_prefix = "dbk_";

struct ApiKeyToken {
    ApiKeyId id;
    std::string secret;  // hex
};

// A fresh secret for the key: what is shown once, and the hash to store.
struct MintedApiKey {
    std::string token;
    std::string secret_hash;
};
MintedApiKey mint_api_key(const ApiKeyId& id);

bool looks_like_api_key(std::string_view bearer);
// nullopt unless exactly the shape above.
std::optional<ApiKeyToken> parse_api_key(std::string_view text);
std::string api_key_secret_hash(std::string_view secret);
// Whether the secret hashes to `stored_hash`, in time independent of where they differ.
bool api_key_secret_matches(std::string_view secret, std::string_view stored_hash);

}  // namespace debrief::api
