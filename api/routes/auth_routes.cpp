// Sign-up, login, token refresh and logout: the routes that issue and end tokens.
#include <boost/json.hpp>

#include "api/auth/password.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "commands/login_session_commands.hpp"
#include "commands/mfa_commands.hpp"
#include "commands/people_commands.hpp"
#include "common/json_log.hpp"

namespace debrief::api {
namespace json = boost::json;

HttpResponse sign_up(const RouteContext& ctx, const HttpRequest& request) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    commands::SignUpInput input;
    for (auto [field, target] : {std::pair{"organization", &input.organization_name}, {"name", &input.name}, {"email", &input.email}}) {
        auto value = required_string(body.value(), field);
        if (!value) return problem(value.error());
        *target = std::move(value).value();
    }
    auto password = required_string(body.value(), "password", TextKind::multiline);  // a passphrase may hold any printable text
    if (!password) return problem(password.error());
    input.password = std::move(password).value();
    auto without_password = body.value();
    without_password.erase("password");
    auto context = ctx.command_context(request, nullptr, json::serialize(without_password));
    if (!context) return problem(context.error());
    auto accepted = commands::sign_up(ctx.deps.commands, input, context.value());
    if (!accepted) return problem(accepted.error());
    // A replayed sign-up hands out the admin's tokens: only to whoever knows the password it was made with.
    if (accepted->replayed) {
        auto credential = ctx.deps.write_model.credential_by_email(commands::normalize_email(input.email));
        if (!credential || !verify_password(input.password, credential->password_hash))
            return problem(invalid("idempotency_key_reused", "this Idempotency-Key was already used for a different request"));
    }
    commands::Actor actor{UserId{accepted->id("user")}, OrganizationId{accepted->id("organization")}, "admin"};
    log_info("signed_up", {{"organization_id", actor.organization_id.value}, {"user_id", actor.user_id.value}});
    auto response = ctx.new_session_response(201, actor, {{"organization_id", actor.organization_id.value}, {"user_id", actor.user_id.value},
                                                 {"position", events::to_string(accepted->position)}});
    if (accepted->replayed) response.headers["Idempotent-Replayed"] = "true";
    return response;
}

namespace {

// The answer to a login whose second factor is missing or wrong: 401 mfa_required, saying which.
HttpResponse second_factor_refused(commands::SecondFactorRefusal refusal) {
    std::string detail;
    switch (refusal) {
        case commands::SecondFactorRefusal::missing:
            detail = "this account has a second factor: send otp, the code the authenticator app shows, or a recovery code";
            break;
        case commands::SecondFactorRefusal::invalid:
            detail = "otp is neither the authenticator's current code nor an unused recovery code";
            break;
        case commands::SecondFactorRefusal::reused:
            detail = "this code was already used; enter the next one the authenticator shows";
            break;
    }
    return problem_with(Error{ErrorKind::unauthorized, "mfa_required", detail, "otp"}, {{"reason", std::string(commands::to_string(refusal))}});
}

}  // namespace

HttpResponse log_in(const RouteContext& ctx, const HttpRequest& request) {
    auto body = parse_json_object(request);
    if (!body) return problem(body.error());
    auto email = required_string(body.value(), "email");
    if (!email) return problem(email.error());
    auto password = required_string(body.value(), "password", TextKind::multiline);
    if (!password) return problem(password.error());
    auto otp = optional_string(body.value(), "otp");  // a TOTP code or a recovery code, for an account with a second factor
    if (!otp) return problem(otp.error());
    const auto account = commands::normalize_email(email.value());
    // Before the hash: a guess that must wait costs nothing. An unknown address is throttled like a known one.
    if (auto wait = ctx.login_throttle->admit(account, request.remote_address, ctx.deps.now_ms()); wait > 0)
        return problem(Error{ErrorKind::rate_limited, "too_many_login_attempts",
                             "too many failed logins for this account or from this address; retry after the delay", {}, static_cast<int>(wait)});
    auto credential = ctx.deps.write_model.credential_by_email(account);
    // Unknown e-mail and wrong password look the same, and cost the same, to the caller.
    static const std::string decoy = hash_password("decoy password for timing");
    bool valid = verify_password(password.value(), credential ? credential->password_hash : decoy) && credential.has_value();
    if (!valid) return problem(401, "invalid_credentials", "Unauthorized", "the e-mail address or password is wrong");
    // The second factor, when the account has one. Without it the attempt is no guess (the password was right) and
    // counts for nothing; a wrong one counts as a failed login, so codes are throttled like passwords.
    auto user = ctx.deps.write_model.committed_state(credential->user_id);
    json::object extra{{"organization_id", user.organization_id.value}, {"user_id", credential->user_id.value}};
    if (ctx.deps.write_model.mfa().status(credential->user_id) == commands::MfaStatus::enabled) {
        const auto code = otp.value().value_or("");
        if (code.empty()) {
            ctx.login_throttle->withdraw(account, request.remote_address);
            return second_factor_refused(commands::SecondFactorRefusal::missing);
        }
        auto presented = commands::present_second_factor(ctx.deps.commands, credential->user_id, code);
        if (!presented) return problem(presented.error());
        if (presented->refusal) return second_factor_refused(*presented->refusal);
        if (presented->recovery_code) extra["recovery_codes_left"] = presented->recovery_codes_left;
    }
    ctx.login_throttle->succeeded(account, request.remote_address);
    if (!user.active) return problem(401, "user_deactivated", "Unauthorized", "this user is deactivated; ask an admin");
    commands::Actor actor{credential->user_id, user.organization_id, user.role};
    // The policy requires a second factor of this role and the user has none: the tokens serve the MFA routes only
    // (api/routes.cpp) until one is confirmed, so the user can enrol rather than being locked out.
    if (commands::must_enrol_mfa(ctx.deps.write_model, actor)) extra["mfa_enrolment_required"] = true;
    return ctx.new_session_response(200, actor, std::move(extra));
}

// The claims of the body's {"refresh_token"}, verified.
Result<TokenClaims> refresh_token_claims(const RouteContext& ctx, const HttpRequest& request) {
    auto body = parse_json_object(request);
    if (!body) return body.error();
    auto token = required_string(body.value(), "refresh_token");
    if (!token) return token.error();
    return ctx.deps.tokens.verify(token.value(), TokenKind::refresh, ctx.now_seconds());
}

HttpResponse refresh(const RouteContext& ctx, const HttpRequest& request) {
    auto claims = refresh_token_claims(ctx, request);
    if (!claims) return problem(claims.error());
    auto& actor = claims->actor;
    auto user = ctx.deps.write_model.committed_state(actor.user_id);
    if (!user.exists) return problem(401, "invalid_token", "Unauthorized", "the token's user no longer exists");
    if (!user.active) return problem(401, "user_deactivated", "Unauthorized", "this user is deactivated; ask an admin");
    actor.role = user.role;
    // Rotation: this token is spent; the answer's refresh token is the only one of the session that works now.
    auto session = commands::rotate_login_session(ctx.deps.commands, actor.user_id, claims->session_id, claims->generation,
                                                  ctx.now_seconds() + ctx.deps.tokens.refresh_ttl_seconds());
    if (!session) return problem(session.error());
    return ctx.tokens_response(200, actor, session.value(), {});
}

HttpResponse log_out(const RouteContext& ctx, const HttpRequest& request) {
    auto claims = refresh_token_claims(ctx, request);
    if (!claims) return problem(claims.error());
    auto ended = commands::end_login_session(ctx.deps.commands, claims->actor.user_id, claims->session_id, claims->generation);
    if (!ended) return problem(ended.error());
    log_info("logged_out", {{"user_id", claims->actor.user_id.value}, {"session_id", claims->session_id}});
    return no_content();
}

Routes auth_routes() {
    return {
        {"POST", "/v1/signup", [](const RouteCall& c) { return sign_up(c.ctx, c.request); }, false, true},
        {"POST", "/v1/auth/login", [](const RouteCall& c) { return log_in(c.ctx, c.request); }, false, true},
        {"POST", "/v1/auth/refresh", [](const RouteCall& c) { return refresh(c.ctx, c.request); }, false, true},
        {"POST", "/v1/auth/logout", [](const RouteCall& c) { return log_out(c.ctx, c.request); }, false, true},
    };
}

}  // namespace debrief::api
