#include "commands/mfa.hpp"

#include <algorithm>

#include "commands/mfa/recovery_codes.hpp"
#include "commands/mfa/totp.hpp"

namespace debrief::commands {
namespace {

Error already_enabled() {
    return conflict("mfa_already_enabled", "a second factor is already enabled; disable it first (DELETE /v1/users/me/mfa with a code)");
}
Error not_enrolled() { return conflict("mfa_not_enrolled", "no second factor is enrolled: POST /v1/users/me/mfa first"); }

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

bool looks_like_totp(std::string_view otp) {
    return otp.size() == static_cast<std::size_t>(totp::digits) && std::all_of(otp.begin(), otp.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

MfaStatus mfa_status(const std::optional<events::MfaEnrolment>& enrolment) {
    if (!enrolment || enrolment->secret.empty()) return MfaStatus::none;
    return enrolment->confirmed ? MfaStatus::enabled : MfaStatus::pending;
}

std::string_view to_string(MfaStatus status) {
    switch (status) {
        case MfaStatus::none: return "none";
        case MfaStatus::pending: return "pending";
        case MfaStatus::enabled: return "enabled";
    }
    return "none";
}

std::string_view to_string(SecondFactorRefusal refusal) {
    switch (refusal) {
        case SecondFactorRefusal::missing: return "otp_missing";
        case SecondFactorRefusal::invalid: return "otp_invalid";
        case SecondFactorRefusal::reused: return "otp_reused";
    }
    return "otp_invalid";
}


Result<events::MfaEnrolment> decide(const std::optional<events::MfaEnrolment>& current, const EnrolMfa& command) {
    if (mfa_status(current) == MfaStatus::enabled) return already_enabled();
    if (command.key.size() != totp::key_bytes) return Error{ErrorKind::internal, "mfa_key_size", "a TOTP key must be 20 bytes"};
    // A new key starts its steps afresh: no code of it can be a replay of the old key's.
    return events::MfaEnrolment{command.user_id, command.organization_id, std::string(command.key), false, command.now_ms, 0, 0,
                                {}, {}, 0};
}

Result<events::MfaEnrolment> decide(const std::optional<events::MfaEnrolment>& current, const ConfirmMfa& command) {
    const auto status = mfa_status(current);
    if (status == MfaStatus::none) return not_enrolled();
    if (status == MfaStatus::enabled) return already_enabled();
    const auto& key = current->secret;
    auto step = totp::matching_step(key, trimmed(command.code), command.now_ms / 1000);
    if (!step)
        return Error{ErrorKind::invalid, "invalid_mfa_code",
                     "the code is not the authenticator's current one for this key; check the device's clock and enter the code it shows now", "code"};
    auto enabled = *current;
    enabled.confirmed = true;
    enabled.confirmed_at_ms = command.now_ms;
    // The confirming code proves the app holds the key; it logs nobody in, so it is not recorded as used: a login
    // right after the confirmation may use the code the app still shows (once, like any other).
    enabled.recovery_salt = command.recovery_salt;
    enabled.recovery_code_hashes.clear();
    for (const auto& code : command.recovery_codes) enabled.recovery_code_hashes.push_back(recovery_codes::hash(command.recovery_salt, *recovery_codes::normalized(code)));
    return enabled;
}

std::variant<SecondFactorAccepted, SecondFactorRefusal> decide(const events::MfaEnrolment& enabled, const PresentSecondFactor& command) {
    const auto otp = trimmed(command.otp);
    if (otp.empty()) return SecondFactorRefusal::missing;
    auto used = enabled;
    if (looks_like_totp(otp)) {
        auto step = totp::matching_step(enabled.secret, otp, command.now_ms / 1000);
        if (!step) return SecondFactorRefusal::invalid;
        // RFC 6238 section 5.2: a code is accepted once. Steps only move forward, so an older one is refused too.
        if (*step <= enabled.last_used_step) return SecondFactorRefusal::reused;
        used.last_used_step = *step;
        return SecondFactorAccepted{std::move(used), false};
    }
    auto code = recovery_codes::normalized(otp);
    if (!code) return SecondFactorRefusal::invalid;
    auto hash = recovery_codes::hash(enabled.recovery_salt, *code);
    auto found = std::find(used.recovery_code_hashes.begin(), used.recovery_code_hashes.end(), hash);
    if (found == used.recovery_code_hashes.end()) return SecondFactorRefusal::invalid;  // never issued, or already spent
    used.recovery_code_hashes.erase(found);
    return SecondFactorAccepted{std::move(used), true};
}

Result<events::MfaEnrolment> decide(const std::optional<events::MfaEnrolment>& current, const DisableMfa& command) {
    const bool own = command.actor.user_id == command.user_id;
    if (!own) {
        if (command.actor.organization_id != command.user_organization) return not_found("user_not_found", "no such user");
        if (command.actor.role != "admin") return Error{ErrorKind::forbidden, "forbidden", "only an admin resets another user's second factor"};
    }
    const auto status = mfa_status(current);
    if (status == MfaStatus::none) return not_enrolled();
    if (own && status == MfaStatus::enabled) {
        if (trimmed(command.otp).empty())
            return Error{ErrorKind::invalid, "missing_field", "code is required: a current authenticator code or a recovery code", "code"};
        auto presented = decide(*current, PresentSecondFactor{command.otp, command.now_ms});
        if (auto* refusal = std::get_if<SecondFactorRefusal>(&presented))
            return Error{ErrorKind::invalid, "invalid_mfa_code",
                         *refusal == SecondFactorRefusal::reused ? "this code was already used; enter the next one the authenticator shows"
                                                                 : "the code is neither the authenticator's current one nor an unused recovery code",
                         "code"};
    }
    auto disabled = *current;
    disabled.secret.clear();
    disabled.confirmed = false;
    disabled.recovery_salt.clear();
    disabled.recovery_code_hashes.clear();
    disabled.disabled_at_ms = command.now_ms;
    return disabled;
}

void MfaEnrolments::apply(const events::MfaEnrolment& record) {
    std::lock_guard lock(mutex_);
    enrolments_.insert_or_assign(record.user_id, record);
}

std::optional<events::MfaEnrolment> MfaEnrolments::find(const UserId& user) const {
    std::lock_guard lock(mutex_);
    auto it = enrolments_.find(user);
    if (it == enrolments_.end()) return std::nullopt;
    return it->second;
}

MfaStatus MfaEnrolments::status(const UserId& user) const {
    std::lock_guard lock(mutex_);
    auto it = enrolments_.find(user);
    if (it == enrolments_.end() || it->second.secret.empty()) return MfaStatus::none;
    return it->second.confirmed ? MfaStatus::enabled : MfaStatus::pending;
}

std::optional<MfaEnrolments::Claim> MfaEnrolments::claim(const UserId& user) const {
    std::lock_guard lock(mutex_);
    if (!claimed_.insert(user).second) return std::nullopt;
    return Claim(this, user);
}

MfaEnrolments::Claim::~Claim() {
    if (!owner_) return;
    std::lock_guard lock(owner_->mutex_);
    owner_->claimed_.erase(user_);
}

}  // namespace debrief::commands
