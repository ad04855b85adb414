// The shared part of every route: bearer-token authentication, the command context with its idempotency key and
// expected version, token and accepted-command responses, and the bounded wait for a read model's position.
#include "api/route_context.hpp"

#include <boost/url.hpp>
#include <algorithm>
#include <charconv>

#include "api/auth/api_key_token.hpp"
#include "api/problem.hpp"
#include "api/request_fingerprint.hpp"
#include "api/request_json.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/login_session_commands.hpp"
#include "common/rfc3339.hpp"
#include "events/cloudevents.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {
constexpr std::size_t max_idempotency_key_length = 200;
constexpr std::size_t max_correlation_id_length = 200;

// Header values that end up in events (the envelope, CloudEvents headers): visible ASCII and spaces only.
bool is_visible_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}
}  // namespace

std::optional<std::string> valid_correlation_id(const HttpRequest& request) {
    auto id = request.header("X-Correlation-Id").value_or("");
    if (id.size() > max_correlation_id_length || !is_visible_ascii(id)) return std::nullopt;
    return id;
}

bool is_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
}

std::optional<ParsedTarget> parse_target(const std::string& target) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return std::nullopt;
    ParsedTarget parsed;
    for (auto segment : url->segments()) parsed.segments.push_back(segment);
    if (!parsed.segments.empty() && parsed.segments.back().empty()) parsed.segments.pop_back();  // tolerate a trailing slash
    for (auto param : url->params()) parsed.query[param.key] = param.value;
    return parsed;
}

std::optional<std::uint64_t> parse_decimal(std::string_view value) {
    // Digits only: no sign, no blank, no quote left over; from_chars refuses what overflows 64 bits.
    if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    std::uint64_t number = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
    return number;
}

std::optional<std::uint64_t> parse_expected_version(std::string_view value) {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return parse_decimal(value);
}

std::int64_t RouteContext::now_seconds() const { return deps.now_ms() / 1000; }

Result<TokenClaims> RouteContext::authenticate(const HttpRequest& request) const {
    auto header = request.header("Authorization");
    if (!header) return Error{ErrorKind::unauthorized, "missing_token", "an Authorization: Bearer token is required"};
    constexpr std::string_view scheme = "Bearer ";
    if (header->size() <= scheme.size() || !std::equal(scheme.begin(), scheme.end(), header->begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
        return Error{ErrorKind::unauthorized, "invalid_token", "the Authorization header must be 'Bearer <token>'"};
    return authenticate_token(header->substr(scheme.size()));
}

Result<TokenClaims> RouteContext::authenticate_token(const std::string& token) const {
    if (looks_like_api_key(token)) return authenticate_api_key(token);
    auto claims = deps.tokens.verify(token, TokenKind::access, now_seconds());
    if (!claims) return claims.error();
    // Logged out, ended by a refresh token's reuse, or signed out everywhere: refused at once, not at expiry.
    if (!deps.write_model.login_sessions().allows(claims->actor.user_id, claims->session_id, claims->issued_at))
        return Error{ErrorKind::unauthorized, "session_revoked", "this token's login session has ended; log in again"};
    if (auto refused = take_current_role(claims->actor, "the token's user")) return *refused;
    return claims;
}

std::optional<Error> RouteContext::take_current_role(commands::Actor& actor, std::string_view whose) const {
    // A credential outlives nothing: its user must still exist in its organization, and be active.
    auto user = deps.write_model.committed_state(actor.user_id);
    if (!user.exists || user.organization_id != actor.organization_id)
        return Error{ErrorKind::unauthorized, "invalid_token", std::string(whose) + " no longer exists"};
    if (!user.active) return Error{ErrorKind::unauthorized, "user_deactivated", std::string(whose) + " is deactivated; ask an admin"};
    actor.role = user.role;  // the current role, not the one the token was issued with: a demotion takes effect at once
    return std::nullopt;
}

Result<TokenClaims> RouteContext::authenticate_api_key(const std::string& text) const {
    const Error invalid_key{ErrorKind::unauthorized, "invalid_api_key", "the API key is not valid"};
    auto token = parse_api_key(text);
    if (!token) return invalid_key;
    auto hash = deps.write_model.api_key_secret_hash(token->id);
    auto key = deps.write_model.committed_state(token->id);
    // The same answer for an unknown key and a wrong secret: the answer tells a guesser nothing.
    if (!hash || !key.exists || !api_key_secret_matches(token->secret, *hash)) return invalid_key;
    if (key.revoked_at_ms != 0) return Error{ErrorKind::unauthorized, "api_key_revoked", "this API key was revoked; ask an admin for a new one"};
    TokenClaims claims;
    claims.actor = {key.created_by, key.organization_id, {}};
    if (auto refused = take_current_role(claims.actor, "the API key's creator")) return *refused;
    claims.issued_at = key.created_at_ms / 1000;
    claims.expires_at = now_seconds() + api_key_check_interval_seconds;  // a socket opened with a key checks it again then
    claims.api_key = ApiKeyGrant{token->id, key.scopes, key.last_used_at_ms};
    return claims;
}

Result<commands::CommandContext> RouteContext::command_context(const HttpRequest& request, const commands::Actor* actor,
                                                             std::optional<std::string_view> fingerprinted_body) const {
    commands::CommandContext context;
    if (actor) context.cause.actor_id = actor->user_id;
    auto correlation_id = valid_correlation_id(request);
    if (!correlation_id) return invalid("invalid_correlation_id", "X-Correlation-Id must be at most 200 visible ASCII characters");
    context.cause.correlation_id = std::move(*correlation_id);
    if (auto key = request.header("Idempotency-Key")) {
        if (key->empty() || key->size() > max_idempotency_key_length || !is_visible_ascii(*key))
            return invalid("invalid_idempotency_key", "Idempotency-Key must be 1 to 200 visible ASCII characters");
        context.cause.idempotency_key = *key;
        auto path = request.target.substr(0, request.target.find('?'));
        context.cause.request_hash = request_fingerprint(request.method, path, fingerprinted_body.value_or(request.body));
    }
    if (auto match = request.header("If-Match")) {
        auto version = parse_expected_version(*match);
        if (!version) return invalid("invalid_expected_version", "If-Match must be the aggregate version you expect, e.g. \"3\"");
        context.expected_version = *version;
    }
    return context;
}

HttpResponse RouteContext::new_session_response(int status, const commands::Actor& actor, json::object extra) const {
    auto session = commands::start_login_session(deps.commands, actor, now_seconds() + deps.tokens.refresh_ttl_seconds());
    if (!session) return problem(session.error());
    return tokens_response(status, actor, session.value(), std::move(extra));
}

HttpResponse RouteContext::tokens_response(int status, const commands::Actor& actor, const events::LoginSessionRecord& session, json::object extra) const {
    extra["access_token"] = deps.tokens.issue(actor, TokenKind::access, now_seconds(), session.session_id);
    extra["refresh_token"] = deps.tokens.issue(actor, TokenKind::refresh, now_seconds(), session.session_id, session.generation);
    extra["token_type"] = "Bearer";
    extra["expires_in"] = deps.tokens.access_ttl_seconds();
    return json_response(status, extra);
}

HttpResponse RouteContext::accepted_response(int status, json::object body, const commands::Accepted& accepted) {
    body["position"] = events::to_string(accepted.position);
    auto response = json_response(status, body);
    if (accepted.replayed) response.headers["Idempotent-Replayed"] = "true";
    return response;
}

std::optional<HttpResponse> RouteContext::wait_for_position(const ParsedTarget& target, projections::ProjectionProgress& progress,
                                                           const projections::ProjectionProgress::SharedOffsets& shared) const {
    auto it = target.query.find("position");
    if (it == target.query.end()) return std::nullopt;
    auto position = events::parse_position(it->second);
    if (!position) return problem(400, "invalid_position", "", "position must be 'partition:offset' as returned by a command");
    auto wait = settings.default_read_wait;
    if (auto w = target.query.find("wait_ms"); w != target.query.end()) {
        auto wait_ms = parse_decimal(w->second);
        if (!wait_ms) return problem(400, "invalid_wait", "", "wait_ms must be a number of milliseconds");
        wait = std::chrono::milliseconds(std::min<std::uint64_t>(*wait_ms, static_cast<std::uint64_t>(settings.max_read_wait.count())));
    }
    if (progress.reached(*position)) return std::nullopt;
    if (deps.beyond_log_end && deps.beyond_log_end(*position))
        return problem(422, "invalid_position", "", "position " + it->second + " is beyond the end of the log; use a position a command returned");
    auto slot = position_waits ? position_waits->try_acquire() : std::nullopt;
    if (position_waits && !slot) {
        auto refused = problem(503, "too_many_waits", "", "too many queries are waiting for a position; retry in a second");
        refused.headers["Retry-After"] = "1";
        return refused;
    }
    if (!progress.wait_for(*position, wait, shared))
        return problem(504, "position_not_reached", "", "the read model has not reached position " + it->second + " yet; retry");
    return std::nullopt;
}

std::optional<Error> unknown_parameter(const std::map<std::string, std::string>& query, const std::set<std::string>& known,
                                       const std::string& listed, const std::string& code) {
    for (const auto& [key, value] : query)
        if (!key.empty() && !known.contains(key)) return invalid(code, "unknown parameter '" + key + "'; known: " + listed);
    return std::nullopt;
}

std::optional<HttpResponse> RouteContext::read_moment(const ParsedTarget& target, ReadMoment& moment) const {
    moment.at_ms = deps.now_ms ? deps.now_ms() : now_seconds() * 1000;
    auto it = target.query.find("as_of");
    if (it == target.query.end()) return wait_for_position(target, deps.postgres_progress, deps.postgres_shared_offsets);
    auto as_of = parse_rfc3339_ms(it->second);
    if (!as_of) return problem(invalid("invalid_as_of", "as_of must be an RFC 3339 time, e.g. 2026-03-01T00:00:00Z"));
    if (*as_of > moment.at_ms) return problem(invalid("invalid_as_of", "as_of must not be in the future"));
    if (!deps.as_of) return problem(Error{ErrorKind::unavailable, "unavailable", "reads as of a past time are not offered here"});
    auto model = deps.as_of(*as_of);
    if (!model) return problem(model.error());
    const auto& status = model->status;
    if (status.state == "failed")
        return problem(503, "as_of_failed", "", "the read model as of " + it->second + " could not be built: " + status.error);
    if (status.state != "done") {
        auto building = json_response(202, json::object{{"as_of", events::rfc3339_utc(*as_of)}, {"build", rebuild_json(status)}});
        building.headers["Retry-After"] = "1";
        building.headers["Location"] = "/v1/admin/rebuilds/" + status.id;
        return building;
    }
    moment.at_ms = *as_of;
    moment.schema = model->schema;
    return std::nullopt;
}

}  // namespace debrief::api
