// JWT access and refresh tokens (HS256 only, with expiry and audience), issued and verified with libjwt.
#pragma once

#include <cstdint>
#include <string>

#include "api/auth/verified_tokens.hpp"
#include "commands/actor.hpp"
#include "common/result.hpp"

namespace debrief::api {

struct TokenSettings {
    std::string secret;  // at least 32 bytes
    std::string issuer = "debrief";
    std::string access_audience = "debrief-api";
    std::string refresh_audience = "debrief-refresh";
    std::int64_t access_ttl_seconds = 15 * 60;
    std::int64_t refresh_ttl_seconds = 30 * 24 * 3600;
    std::size_t verified_tokens_capacity = 32 * 1024;  // access tokens remembered as verified (about 400 bytes each)
};

enum class TokenKind { access, refresh };

class TokenService {
public:
    explicit TokenService(TokenSettings settings);
    std::string issue(const commands::Actor& actor, TokenKind kind, std::int64_t now_seconds) const;
    // Refuses any algorithm but HS256, a bad signature, a wrong audience or issuer, and an expired token. An access
    // token that verified before is answered from memory until it expires.
    Result<commands::Actor> verify(const std::string& token, TokenKind kind, std::int64_t now_seconds) const;
    std::int64_t access_ttl_seconds() const { return settings_.access_ttl_seconds; }

private:
    Result<VerifiedTokens::Verified> decode(const std::string& token, TokenKind kind, std::int64_t now_seconds) const;

    TokenSettings settings_;
    mutable VerifiedTokens verified_;
};

}  // namespace debrief::api
