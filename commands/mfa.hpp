// A second factor for logins: TOTP (RFC 6238, commands/mfa/totp.hpp) with single-use recovery codes. Per user:
// none, pending (enrolled, a first code not yet shown) or enabled (confirmed). Folded from the private records of
// the credentials topic (events::MfaEnrolment); the decisions here are pure (time and random material arrive in the
// command), storing is mfa_commands.*.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "commands/actor.hpp"
#include "common/result.hpp"
#include "events/codec.hpp"

namespace debrief::commands {

enum class MfaStatus { none, pending, enabled };
MfaStatus mfa_status(const std::optional<events::MfaEnrolment>& enrolment);
std::string_view to_string(MfaStatus status);


// Enrolment: a new pending key, replacing a pending one; refused once a second factor is enabled.
struct EnrolMfa {
    UserId user_id;
    OrganizationId organization_id;
    std::string key;  // totp::key_bytes random bytes
    std::int64_t now_ms = 0;
};
Result<events::MfaEnrolment> decide(const std::optional<events::MfaEnrolment>& current, const EnrolMfa& command);

// Confirmation: the first code of the pending key enables it, with fresh recovery codes (stored as hashes only).
struct ConfirmMfa {
    std::string code;
    std::int64_t now_ms = 0;
    std::string recovery_salt;                // recovery_codes::salt_bytes random bytes
    std::vector<std::string> recovery_codes;  // as shown to the user (recovery_codes::from_random)
};
Result<events::MfaEnrolment> decide(const std::optional<events::MfaEnrolment>& current, const ConfirmMfa& command);

// A second factor presented with a login (or to disable MFA): a TOTP code of a step not used yet, or an unused
// recovery code, which is then spent. The refusal says why, for the answer's detail; the code is mfa_required.
struct PresentSecondFactor {
    std::string otp;  // empty: none was sent
    std::int64_t now_ms = 0;
};
enum class SecondFactorRefusal { missing, invalid, reused };
struct SecondFactorAccepted {
    events::MfaEnrolment enrolment;  // the step or the recovery code recorded as used
    bool recovery_code = false;      // a recovery code was spent
};
std::string_view to_string(SecondFactorRefusal refusal);
std::variant<SecondFactorAccepted, SecondFactorRefusal> decide(const events::MfaEnrolment& enabled, const PresentSecondFactor& command);

// Turning it off: by the user with a second factor (an enabled one; a pending one needs none), or an admin's reset
// of another user of the organization who lost their device (no code: the admin vouches).
struct DisableMfa {
    Actor actor;
    UserId user_id;
    OrganizationId user_organization;  // of the user whose second factor goes
    std::string otp;                   // the user's own disabling: a TOTP or recovery code
    std::int64_t now_ms = 0;
};
Result<events::MfaEnrolment> decide(const std::optional<events::MfaEnrolment>& current, const DisableMfa& command);

// Every user's second factor, by user; its own lock, so a login never waits for the write model.
class MfaEnrolments {
public:
    void apply(const events::MfaEnrolment& record);
    std::optional<events::MfaEnrolment> find(const UserId& user) const;
    MfaStatus status(const UserId& user) const;

    // One change of a user's second factor at a time (a code must not be accepted twice by two logins at once).
    // Held from the decision until the record is stored, across the wait for Kafka, so it is a claim, not a mutex:
    // a fiber that waits must not block another one on its thread. Empty when a change is already under way.
    class Claim {
    public:
        Claim(Claim&& other) noexcept : owner_(other.owner_), user_(std::move(other.user_)) { other.owner_ = nullptr; }
        Claim(const Claim&) = delete;
        Claim& operator=(const Claim&) = delete;
        Claim& operator=(Claim&&) = delete;
        ~Claim();

    private:
        friend class MfaEnrolments;
        Claim(const MfaEnrolments* owner, UserId user) : owner_(owner), user_(std::move(user)) {}
        const MfaEnrolments* owner_;
        UserId user_;
    };
    std::optional<Claim> claim(const UserId& user) const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<UserId, events::MfaEnrolment> enrolments_;
    mutable std::unordered_set<UserId> claimed_;
};

}  // namespace debrief::commands
