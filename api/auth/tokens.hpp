// JWT access and refresh tokens (HS256 only, with expiry and audience), issued and verified with libjwt.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Clocks of the instances that issue and check tokens may differ by this much.
inline constexpr std::int64_t token_clock_leeway_seconds = 5;

// What an API key grants (api/auth/api_key_token.hpp): set in the claims when the bearer was one.
struct ApiKeyGrant {
    ApiKeyId id;
    std::vector<std::string> scopes;  // read | write
    std::int64_t last_used_at_ms = 0;
    bool allows(std::string_view scope) const { return std::find(scopes.begin(), scopes.end(), scope) != scopes.end(); }
};

// What a verified token says: who, and which login session (refresh-token family) it belongs to. A token without a
// session (none is issued so today) is checked against its user's sign-out cut-off only.
struct TokenClaims {
    commands::Actor actor;
    std::string session_id;        // "sid"
    std::uint32_t generation = 0;  // "gen", refresh tokens: the session's generation it was issued at
    std::int64_t issued_at = 0;    // "iat", seconds
    std::int64_t expires_at = 0;   // "exp", seconds
    std::optional<ApiKeyGrant> api_key;  // the bearer was an API key acting as actor (its creator): no JWT at all
};

class TokenService {
public:
    explicit TokenService(TokenSettings settings);
    // A token of the login session `session_id` (of `generation`, for a refresh token).
    std::string issue(const commands::Actor& actor, TokenKind kind, std::int64_t now_seconds, const std::string& session_id = {},
                      std::uint32_t generation = 0) const;
    // Refuses any algorithm but HS256, a bad signature, a wrong audience or issuer, an expired token, one not valid
    // yet ("nbf"), one without "iat" or issued in the future, and one whose lifetime exceeds what this kind is issued
    // with. An access token that verified before is answered from memory until it expires. Whether its session still
    // holds is the caller's question (commands::LoginSessions).
    Result<TokenClaims> verify(const std::string& token, TokenKind kind, std::int64_t now_seconds) const;
    std::int64_t access_ttl_seconds() const { return settings_.access_ttl_seconds; }
    std::int64_t refresh_ttl_seconds() const { return settings_.refresh_ttl_seconds; }

private:
    Result<TokenClaims> decode(const std::string& token, TokenKind kind, std::int64_t now_seconds) const;

    TokenSettings settings_;
    mutable VerifiedTokens verified_;
};

}  // namespace debrief::api
