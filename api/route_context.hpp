// What every route handler shares: the dependencies, authentication, command context, and read-your-writes waits.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "api/http/http_message.hpp"
#include "api/routes.hpp"
#include "api/wait_slots.hpp"
#include "commands/actor.hpp"
#include "commands/command_handler.hpp"
#include "projections/projection_progress.hpp"

namespace debrief::api {

struct ParsedTarget {
    std::vector<std::string> segments;
    std::map<std::string, std::string> query;
};

std::optional<ParsedTarget> parse_target(const std::string& target);
// Refuses a query parameter none of the known names is, with code and a message naming them (listed, in their
// documented order); "&&" and a lone "?" name nothing.
std::optional<Error> unknown_parameter(const std::map<std::string, std::string>& query, const std::set<std::string>& known,
                                       const std::string& listed, const std::string& code = "invalid_filter");
bool is_uuid(std::string_view text);
// The request's X-Correlation-Id ("" when absent), or nullopt when it is not at most 200 visible ASCII characters.
std::optional<std::string> valid_correlation_id(const HttpRequest& request);
// A whole number written as decimal digits only (no sign, no blank), at most 2^64-1; anything else is nullopt.
std::optional<std::uint64_t> parse_decimal(std::string_view value);
// An If-Match value: the expected aggregate version as decimal digits, quoted ("3") or bare; anything else is nullopt.
std::optional<std::uint64_t> parse_expected_version(std::string_view value);

// The moment a read answers for: now on the live read model, or ?as_of= on a past moment's (schema).
struct ReadMoment {
    std::int64_t at_ms = 0;
    std::string schema;  // "" for the live read model
    bool past() const { return !schema.empty(); }
};

struct RouteContext {
    ApiDependencies deps;
    ApiSettings settings;
    std::shared_ptr<WaitSlots> position_waits;  // shared by every request: at most settings.max_position_waits wait at once
    std::shared_ptr<LoginThrottle> login_throttle;  // shared by every login

    std::int64_t now_seconds() const;
    // The request's Authorization: Bearer credential (authenticate_token).
    Result<TokenClaims> authenticate(const HttpRequest& request) const;
    // The bearer itself (a WebSocket's too): an access token, verified, its login session and user current; or an API
    // key ("dbk_..."), known, not revoked, its creator current. The actor's role is the user's as of now.
    Result<TokenClaims> authenticate_token(const std::string& token) const;
    Result<TokenClaims> authenticate_api_key(const std::string& token) const;
    // An API key's claims last this long: a WebSocket opened with one checks it again then.
    static constexpr std::int64_t api_key_check_interval_seconds = 15 * 60;
    // Sets the actor's role to its user's current one; or why the user may no longer act (gone, deactivated).
    std::optional<Error> take_current_role(commands::Actor& actor, std::string_view whose) const;
    // fingerprinted_body: what a retry must repeat; the request body unless it holds a secret.
    Result<commands::CommandContext> command_context(const HttpRequest& request, const commands::Actor* actor,
                                                     std::optional<std::string_view> fingerprinted_body = std::nullopt) const;
    // Starts a login session (commands/login_sessions.hpp) and answers its first tokens, with `extra`.
    HttpResponse new_session_response(int status, const commands::Actor& actor, boost::json::object extra) const;
    // The tokens of a login session at its current generation.
    HttpResponse tokens_response(int status, const commands::Actor& actor, const events::LoginSessionRecord& session, boost::json::object extra) const;
    static HttpResponse accepted_response(int status, boost::json::object body, const commands::Accepted& accepted);
    // Waits, bounded, until the read model has applied ?position=; answers the problem to return if it did not: a
    // position past the end of the log is 422 at once, a wait beyond the limit of concurrent waits 503 at once.
    std::optional<HttpResponse> wait_for_position(const ParsedTarget& target, projections::ProjectionProgress& progress,
                                                  const projections::ProjectionProgress::SharedOffsets& shared) const;
    // The moment of a PostgreSQL read: without ?as_of=, now, after the ?position= wait; with it, the past moment's
    // read model once built (the position wait does not apply: that model is complete at its cut). Answers instead
    // the response to give at once: 202 with the build's progress while it is built, or a refusal.
    std::optional<HttpResponse> read_moment(const ParsedTarget& target, ReadMoment& moment) const;
};

}  // namespace debrief::api
