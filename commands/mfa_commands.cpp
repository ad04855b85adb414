#include "commands/mfa_commands.hpp"

#include "commands/organization.hpp"

namespace debrief::commands {
namespace {

Error busy() {
    return Error{ErrorKind::conflict, "mfa_change_in_progress", "another change of this user's second factor is being stored; retry", {}, 1};
}

}  // namespace

Result<events::MfaEnrolment> enrol_mfa(CommandHandler& handler, const Actor& actor, const std::string& key) {
    const auto& mfa = handler.model().mfa();
    auto claim = mfa.claim(actor.user_id);
    if (!claim) return busy();
    auto enrolment = decide(mfa.find(actor.user_id), EnrolMfa{actor.user_id, actor.organization_id, key, handler.now_ms()});
    if (!enrolment) return enrolment.error();
    if (auto stored = handler.store_private(*enrolment); !stored) return stored.error();
    return enrolment;
}

Result<std::vector<std::string>> confirm_mfa(CommandHandler& handler, const Actor& actor, const std::string& code, const std::string& recovery_salt,
                                             const std::vector<std::string>& recovery_codes) {
    const auto& mfa = handler.model().mfa();
    auto claim = mfa.claim(actor.user_id);
    if (!claim) return busy();
    auto enabled = decide(mfa.find(actor.user_id), ConfirmMfa{code, handler.now_ms(), recovery_salt, recovery_codes});
    if (!enabled) return enabled.error();
    if (auto stored = handler.store_private(*enabled); !stored) return stored.error();
    return recovery_codes;
}

Result<SecondFactorOutcome> present_second_factor(CommandHandler& handler, const UserId& user, const std::string& otp) {
    const auto& mfa = handler.model().mfa();
    auto claim = mfa.claim(user);
    if (!claim) return busy();
    auto current = mfa.find(user);
    if (mfa_status(current) != MfaStatus::enabled) return SecondFactorOutcome{};
    auto presented = decide(*current, PresentSecondFactor{otp, handler.now_ms()});
    if (auto* refusal = std::get_if<SecondFactorRefusal>(&presented)) return SecondFactorOutcome{*refusal};
    auto& accepted = std::get<SecondFactorAccepted>(presented);
    // Stored before the login is answered: a restart must not accept the same code or recovery code again.
    if (auto stored = handler.store_private(accepted.enrolment); !stored) return stored.error();
    return SecondFactorOutcome{std::nullopt, accepted.recovery_code, accepted.enrolment.recovery_code_hashes.size()};
}

Result<bool> disable_mfa(CommandHandler& handler, const Actor& actor, const UserId& user, const std::string& otp) {
    const auto& model = handler.model();
    auto target = model.committed_state(user);
    if (!target.exists) return not_found("user_not_found", "no such user");
    auto claim = model.mfa().claim(user);
    if (!claim) return busy();
    auto disabled = decide(model.mfa().find(user), DisableMfa{actor, user, target.organization_id, otp, handler.now_ms()});
    if (!disabled) return disabled.error();
    if (auto stored = handler.store_private(*disabled); !stored) return stored.error();
    return true;
}

Result<Accepted> set_mfa_policy(CommandHandler& handler, const Actor& actor, const std::vector<std::string>& required_for,
                                const CommandContext& context) {
    const auto& model = handler.model();
    SetMfaPolicy command{actor, required_for, model.mfa().status(actor.user_id) == MfaStatus::enabled};
    return handler.execute(actor.organization_id, context, [&]() -> CommandHandler::Decision { return decide(model.state(actor.organization_id), command); });
}

bool must_enrol_mfa(const WriteModel& model, const Actor& actor) {
    return model.mfa_required(actor.organization_id, actor.role) && model.mfa().status(actor.user_id) != MfaStatus::enabled;
}

}  // namespace debrief::commands
