// Access tokens already verified, remembered until they expire: a client sends the same token with every request,
// and verifying it again each time (base64, JSON, HMAC, libjwt's allocations) cost more than the rest of a command's
// route. Only a token that passed every check is remembered, so a forged or altered token always takes the full path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "commands/actor.hpp"

namespace debrief::api {

class VerifiedTokens {
public:
    struct Verified {
        commands::Actor actor;
        std::string session_id;
        std::int64_t issued_at = 0;
        std::int64_t expires_at = 0;  // seconds since the epoch, the token's "exp"
    };

    explicit VerifiedTokens(std::size_t capacity) : capacity_(capacity) {}

    // The token as it verified, or nothing when it was never verified here.
    std::optional<Verified> find(const std::string& token) const;
    // Remembers a token that has just verified. At capacity the expired entries go first, then everything: memory
    // stays bounded, and the tokens still in use verify once more.
    void remember(const std::string& token, const Verified& verified, std::int64_t now_seconds);
    void forget(const std::string& token);
    std::size_t size() const;

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Verified> entries_;
};

}  // namespace debrief::api
