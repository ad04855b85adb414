// libjwt wrapper: the header's algorithm is checked before the signature, so "none" and RS/HS confusion never pass.
#include "api/auth/tokens.hpp"

#include <jwt.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include <boost/json.hpp>
#include <memory>
#include <sodium.h>
#include <stdexcept>

namespace debrief::api {
namespace {

struct JwtFree {
    void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

Error unauthorized(std::string code, std::string message) { return Error{ErrorKind::unauthorized, std::move(code), std::move(message)}; }
Error expired() { return unauthorized("token_expired", "the token has expired"); }

// Decodes the JOSE header (base64url JSON) to check "alg" before any signature work.
bool header_is_hs256(const std::string& token) {
    auto dot = token.find('.');
    if (dot == std::string::npos || dot == 0) return false;
    std::string header(token, 0, dot);
    std::string decoded(header.size(), '\0');
    size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(), header.data(), header.size(), nullptr, &length,
                          nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return false;
    decoded.resize(length);
    boost::system::error_code ec;
    auto value = boost::json::parse(decoded, ec);
    if (ec || !value.is_object()) return false;
    const auto* alg = value.as_object().if_contains("alg");
    return alg && alg->is_string() && alg->as_string() == "HS256";
}

}  // namespace

TokenService::TokenService(TokenSettings settings) : settings_(std::move(settings)), verified_(settings_.verified_tokens_capacity) {
    if (settings_.secret.size() < 32) throw std::invalid_argument("the JWT secret must be at least 32 bytes");
}

std::string TokenService::issue(const commands::Actor& actor, TokenKind kind, std::int64_t now_seconds, const std::string& session_id,
                                std::uint32_t generation) const {
    jwt_t* raw = nullptr;
    if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new failed");
    JwtPtr jwt(raw);
    const bool access = kind == TokenKind::access;
    jwt_add_grant(jwt.get(), "iss", settings_.issuer.c_str());
    jwt_add_grant(jwt.get(), "sub", actor.user_id.value.c_str());
    jwt_add_grant(jwt.get(), "aud", (access ? settings_.access_audience : settings_.refresh_audience).c_str());
    jwt_add_grant(jwt.get(), "org", actor.organization_id.value.c_str());
    jwt_add_grant(jwt.get(), "role", actor.role.c_str());
    jwt_add_grant_int(jwt.get(), "iat", now_seconds);
    if (!session_id.empty()) jwt_add_grant(jwt.get(), "sid", session_id.c_str());
    if (!access && generation != 0) jwt_add_grant_int(jwt.get(), "gen", generation);
    jwt_add_grant_int(jwt.get(), "exp", now_seconds + (access ? settings_.access_ttl_seconds : settings_.refresh_ttl_seconds));
    jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(settings_.secret.data()), static_cast<int>(settings_.secret.size()));
    char* encoded = jwt_encode_str(jwt.get());
    if (!encoded) throw std::runtime_error("jwt_encode_str failed");
    std::string token(encoded);
    free(encoded);  // libjwt 1.10 allocates with malloc and has no jwt_free_str
    return token;
}

Result<TokenClaims> TokenService::verify(const std::string& token, TokenKind kind, std::int64_t now_seconds) const {
    const bool access = kind == TokenKind::access;  // a refresh token is used once in a while: not remembered
    if (auto known = access ? verified_.find(token) : std::nullopt) {
        if (known->expires_at > now_seconds) return TokenClaims{known->actor, known->session_id, 0, known->issued_at, known->expires_at};
        verified_.forget(token);
        return expired();
    }
    auto decoded = decode(token, kind, now_seconds);
    if (!decoded) return decoded.error();
    if (access) verified_.remember(token, {decoded->actor, decoded->session_id, decoded->issued_at, decoded->expires_at}, now_seconds);
    return decoded;
}

Result<TokenClaims> TokenService::decode(const std::string& token, TokenKind kind, std::int64_t now_seconds) const {
    if (token.empty() || token.size() > 4096) return unauthorized("invalid_token", "the token is missing or malformed");
    if (!header_is_hs256(token)) return unauthorized("invalid_token", "the token must be signed with HS256");
    jwt_t* raw = nullptr;
    if (jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(settings_.secret.data()), static_cast<int>(settings_.secret.size())) != 0)
        return unauthorized("invalid_token", "the token signature or format is invalid");
    JwtPtr jwt(raw);
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return unauthorized("invalid_token", "the token must be signed with HS256");
    auto grant = [&](const char* name) {
        const char* value = jwt_get_grant(jwt.get(), name);
        return value ? std::string(value) : std::string{};
    };
    const auto& audience = kind == TokenKind::access ? settings_.access_audience : settings_.refresh_audience;
    if (grant("aud") != audience) return unauthorized("invalid_token", "the token is not meant for this use");
    if (grant("iss") != settings_.issuer) return unauthorized("invalid_token", "the token has an unknown issuer");
    // A numeric claim: nullopt when absent; present but not a whole number, the token is refused (by `malformed`).
    bool malformed = false;
    // Read from the claim's own JSON text: libjwt 1.10 answers -1, without an error, for a claim of another type.
    auto number = [&](const char* name) -> std::optional<long> {
        char* json = jwt_get_grants_json(jwt.get(), name);
        if (!json) return std::nullopt;
        const std::string_view text(json);
        long value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || end != text.data() + text.size()) malformed = true;
        free(json);
        return value;
    };
    const auto expires = number("exp");
    const auto issued = number("iat");
    const auto not_before = number("nbf");
    const auto generation = number("gen");
    if (malformed) return unauthorized("invalid_token", "a time or generation claim of the token is not a whole number");
    if (!expires) return unauthorized("invalid_token", "the token has no expiry");
    if (*expires <= now_seconds) return expired();
    if (!issued) return unauthorized("invalid_token", "the token has no issue time");
    if (*issued > now_seconds + token_clock_leeway_seconds) return unauthorized("invalid_token", "the token was issued in the future");
    const auto lifetime = kind == TokenKind::access ? settings_.access_ttl_seconds : settings_.refresh_ttl_seconds;
    if (*expires - *issued > lifetime) return unauthorized("invalid_token", "the token lives longer than this server issues tokens for");
    if (not_before && *not_before > now_seconds + token_clock_leeway_seconds)
        return unauthorized("token_not_yet_valid", "the token is not valid yet (nbf)");
    commands::Actor actor{UserId{grant("sub")}, OrganizationId{grant("org")}, grant("role")};
    if (actor.user_id.empty() || actor.organization_id.empty() || actor.role.empty())
        return unauthorized("invalid_token", "the token lacks a subject, organization or role");
    TokenClaims claims{std::move(actor), grant("sid"), 0, *issued, *expires};
    if (kind == TokenKind::refresh) {
        if (claims.session_id.empty() || !generation || *generation < 1 || *generation > UINT32_MAX)
            return unauthorized("invalid_token", "the refresh token belongs to no login session; log in again");
        claims.generation = static_cast<std::uint32_t>(*generation);
    }
    return claims;
}

}  // namespace debrief::api
