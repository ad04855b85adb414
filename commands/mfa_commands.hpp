// The commands of second factors (commands/mfa.hpp): enrol, confirm, present one at a login, disable or reset; and
// the organization's policy. A user's MFA state is a private record on the credentials topic, stored before it is
// folded and before any answer depends on it; the policy is an event of the organization (MfaPolicySet).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"
#include "commands/mfa.hpp"

namespace debrief::commands {

// A new pending key for the actor (key: totp::key_bytes random bytes), replacing a pending one.
Result<events::MfaEnrolment> enrol_mfa(CommandHandler& handler, const Actor& actor, const std::string& key);
// The first code of the pending key enables it; answers the recovery codes it was given, now stored as hashes.
Result<std::vector<std::string>> confirm_mfa(CommandHandler& handler, const Actor& actor, const std::string& code, const std::string& recovery_salt,
                                             const std::vector<std::string>& recovery_codes);

// What a login's second factor came to: accepted (and recorded as used), or refused and why. A user without an
// enabled second factor needs none: accepted, nothing stored.
struct SecondFactorOutcome {
    std::optional<SecondFactorRefusal> refusal;
    bool recovery_code = false;          // a recovery code was spent
    std::size_t recovery_codes_left = 0;
};
Result<SecondFactorOutcome> present_second_factor(CommandHandler& handler, const UserId& user, const std::string& otp);

// The actor disables their own second factor (with a code), or an admin resets another user's.
Result<bool> disable_mfa(CommandHandler& handler, const Actor& actor, const UserId& user, const std::string& otp);

// The organization's policy: which roles must log in with a second factor (admins only).
Result<Accepted> set_mfa_policy(CommandHandler& handler, const Actor& actor, const std::vector<std::string>& required_for,
                                const CommandContext& context);
// The actor's role requires a second factor that they have not enabled: until they do, only the MFA routes serve them.
bool must_enrol_mfa(const WriteModel& model, const Actor& actor);

}  // namespace debrief::commands
