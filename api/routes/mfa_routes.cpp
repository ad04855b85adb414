// Second factors: enrol a TOTP key, confirm it with its first code (answering the recovery codes), read the state,
// disable it (the user, with a code) or reset it (an admin); and the organization's MFA policy. The login's side is
// in auth_routes.cpp, the enforcement of the policy in api/routes.cpp (Route::open_before_mfa).
#include <boost/json.hpp>

#include "api/auth/random_bytes.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "commands/mfa/recovery_codes.hpp"
#include "commands/mfa/totp.hpp"
#include "commands/mfa_commands.hpp"
#include "commands/organization.hpp"
#include "common/json_log.hpp"
#include "events/cloudevents.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

constexpr std::string_view issuer = "Debrief";  // what an authenticator app lists the key under

UserId user_named(const commands::Actor& actor, const std::string& id) { return id == "me" ? actor.user_id : UserId{id}; }

// Enrolment and confirmation are the user's own acts: nobody enrols a key on someone else's behalf.
std::optional<HttpResponse> refused_unless_own(const commands::Actor& actor, const std::string& id) {
    if (user_named(actor, id) == actor.user_id) return std::nullopt;
    return problem(Error{ErrorKind::forbidden, "forbidden", "a second factor is enrolled by its own user: use /v1/users/me/mfa"});
}

// Another user's second factor is an admin's matter, and an admin the policy holds to enrolment has no other yet.
std::optional<HttpResponse> refused_before_own_mfa(const RouteContext& ctx, const commands::Actor& actor, const UserId& user) {
    if (user == actor.user_id || !commands::must_enrol_mfa(ctx.deps.write_model, actor)) return std::nullopt;
    return problem(403, "mfa_enrolment_required", "", "your organization requires a second factor for your role: enrol your own first");
}

json::value time_or_null(std::int64_t epoch_ms) { return epoch_ms == 0 ? json::value(nullptr) : json::value(events::rfc3339_utc(epoch_ms)); }

HttpResponse enrol(const RouteContext& ctx, const commands::Actor& actor, const std::string& id) {
    if (auto refused = refused_unless_own(actor, id)) return *refused;
    const auto key = random_bytes(commands::totp::key_bytes);
    auto enrolment = commands::enrol_mfa(ctx.deps.commands, actor, key);
    if (!enrolment) return problem(enrolment.error());
    const auto email = ctx.deps.write_model.committed_state(actor.user_id).email;
    log_info("mfa_enrolment_started", {{"organization_id", actor.organization_id.value}, {"user_id", actor.user_id.value}});
    return json_response(201, json::object{{"secret", commands::totp::base32_encode(key)},
                                           {"otpauth_uri", commands::totp::otpauth_uri(issuer, email, key)},
                                           {"status", "pending"}});
}

HttpResponse confirm(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    if (auto refused = refused_unless_own(actor, id)) return *refused;
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    auto code = required_string(body.value(), "code");
    if (!code) return problem(code.error());
    const auto salt = random_bytes(commands::recovery_codes::salt_bytes);
    const auto codes = commands::recovery_codes::from_random(random_bytes(commands::recovery_codes::count * commands::recovery_codes::bytes_per_code));
    auto confirmed = commands::confirm_mfa(ctx.deps.commands, actor, code.value(), salt, codes);
    if (!confirmed) return problem(confirmed.error());
    log_info("mfa_enabled", {{"organization_id", actor.organization_id.value}, {"user_id", actor.user_id.value}});
    json::array shown(confirmed->begin(), confirmed->end());
    return json_response(200, json::object{{"recovery_codes", std::move(shown)}, {"status", "enabled"}});
}

HttpResponse status(const RouteContext& ctx, const commands::Actor& actor, const std::string& id) {
    const auto user = user_named(actor, id);
    if (auto refused = refused_before_own_mfa(ctx, actor, user)) return *refused;
    const auto target = ctx.deps.write_model.committed_state(user);
    if (!target.exists || target.organization_id != actor.organization_id) return problem(not_found("user_not_found", "no such user"));
    if (user != actor.user_id && actor.role != "admin")
        return problem(Error{ErrorKind::forbidden, "forbidden", "only the user and the organization's admins see a user's second factor"});
    const auto enrolment = ctx.deps.write_model.mfa().find(user);
    const auto state = commands::mfa_status(enrolment);
    const bool enabled = state == commands::MfaStatus::enabled;
    return json_response(200, json::object{{"user_id", user.value},
                                           {"status", commands::to_string(state)},
                                           {"required", ctx.deps.write_model.mfa_required(actor.organization_id, target.role)},
                                           {"enrolled_at", time_or_null(state == commands::MfaStatus::none ? 0 : enrolment->enrolled_at_ms)},
                                           {"confirmed_at", time_or_null(enabled ? enrolment->confirmed_at_ms : 0)},
                                           {"recovery_codes_left", enabled ? json::value(enrolment->recovery_code_hashes.size()) : json::value(nullptr)}});
}

HttpResponse disable(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id) {
    const auto user = user_named(actor, id);
    if (auto refused = refused_before_own_mfa(ctx, actor, user)) return *refused;
    std::string otp;
    if (!request.body.empty()) {
        auto body = parse_json_object(request);
        if (!body) return problem(body.error());
        auto code = optional_string(body.value(), "code");
        if (!code) return problem(code.error());
        otp = code.value().value_or("");
    }
    // A code that disables the second factor is a guess like a login's: the login throttle counts the wrong ones.
    const bool guessed = user == actor.user_id && !otp.empty() && ctx.deps.write_model.mfa().status(user) == commands::MfaStatus::enabled;
    const auto account = ctx.deps.write_model.committed_state(user).email;
    if (guessed)
        if (auto wait = ctx.login_throttle->admit(account, request.remote_address, ctx.deps.now_ms()); wait > 0)
            return problem(Error{ErrorKind::rate_limited, "too_many_login_attempts", "too many wrong codes for this account; retry after the delay", {},
                                 static_cast<int>(wait)});
    auto disabled = commands::disable_mfa(ctx.deps.commands, actor, user, otp);
    if (!disabled) {
        if (guessed && disabled.error().code != "invalid_mfa_code") ctx.login_throttle->withdraw(account, request.remote_address);
        return problem(disabled.error());
    }
    if (guessed) ctx.login_throttle->succeeded(account, request.remote_address);
    log_info(user == actor.user_id ? "mfa_disabled" : "mfa_reset",
             {{"organization_id", actor.organization_id.value}, {"user_id", user.value}, {"by", actor.user_id.value}});
    return no_content();
}

json::object policy_json(const std::vector<std::string>& roles) { return json::object{{"required_for", json::array(roles.begin(), roles.end())}}; }

HttpResponse get_policy(const RouteContext& ctx, const commands::Actor& actor) {
    return json_response(200, policy_json(ctx.deps.write_model.committed_state(actor.organization_id).mfa_required_for));
}

HttpResponse set_policy(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    if (!body->contains("required_for")) return problem(Error{ErrorKind::invalid, "missing_field", "required_for is required", "required_for"});
    auto roles = optional_string_array(body.value(), "required_for");
    if (!roles) return problem(roles.error());
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::set_mfa_policy(ctx.deps.commands, actor, roles.value(), context.value());
    if (!accepted) return problem(accepted.error());
    const auto& required = ctx.deps.write_model.committed_state(actor.organization_id).mfa_required_for;
    log_info("mfa_policy_set", {{"organization_id", actor.organization_id.value}, {"by", actor.user_id.value}});
    return RouteContext::accepted_response(200, policy_json(required), accepted.value());
}

}  // namespace

Routes mfa_routes() {
    // {needs_actor, slow (a record stored on Kafka is waited for), open_before_mfa}
    Routes routes{
        {"GET", "/v1/users/{id}/mfa", [](const RouteCall& c) { return status(c.ctx, c.who(), c.param(0)); }, true, false, true},
        {"POST", "/v1/users/{id}/mfa", [](const RouteCall& c) { return enrol(c.ctx, c.who(), c.param(0)); }, true, true, true},
        {"DELETE", "/v1/users/{id}/mfa", [](const RouteCall& c) { return disable(c.ctx, c.request, c.who(), c.param(0)); }, true, true, true},
        {"POST", "/v1/users/{id}/mfa/confirm", [](const RouteCall& c) { return confirm(c.ctx, c.request, c.who(), c.param(0)); }, true, true, true},
        {"GET", "/v1/organization/mfa-policy", [](const RouteCall& c) { return get_policy(c.ctx, c.who()); }, true, false, true},
        {"PUT", "/v1/organization/mfa-policy", [](const RouteCall& c) { return set_policy(c.ctx, c.request, c.who()); }},
    };
    for (auto& route : routes) route.key_access = KeyAccess::never;  // a key is no user: it has no second factor to manage
    return routes;
}

}  // namespace debrief::api
