// Second factors as pure rules: TOTP against RFC 6238's test vectors, the Key URI, recovery codes, the decisions
// (enrol, confirm, a code at a login, replays, recovery codes spent once, disable and reset), the organization's
// policy, and the login throttle's share. Codes are computed from the key at the test's time, never written down.
#include <doctest/doctest.h>

#include <set>
#include <variant>

#include "api/auth/login_throttle.hpp"
#include "commands/mfa.hpp"
#include "commands/mfa/recovery_codes.hpp"
#include "commands/mfa/totp.hpp"
#include "commands/organization.hpp"
#include "tests/support/given_when_then.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
const UserId ada{"user-ada"};
const UserId cole{"user-cole"};
const OrganizationId org{"org-1"};
constexpr std::int64_t now_ms = 1'800'000'000'000;
constexpr std::int64_t now = now_ms / 1000;
constexpr std::int64_t step = now / totp::step_seconds;
const std::string key = "an authenticator key";  // 20 bytes

std::string code(std::int64_t seconds) { return totp::code_at(key, seconds); }

std::string random_of(std::size_t size, int seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 37 + seed * 101 + 11) % 256);
    return bytes;
}
const std::string salt = random_of(recovery_codes::salt_bytes, 1);
const std::vector<std::string> shown_codes = recovery_codes::from_random(random_of(recovery_codes::count * recovery_codes::bytes_per_code, 2));

events::MfaEnrolment pending() {
    auto enrolled = decide(std::nullopt, EnrolMfa{ada, org, key, now_ms});
    REQUIRE(enrolled.ok());
    return enrolled.value();
}
events::MfaEnrolment enabled() {
    auto confirmed = decide(pending(), ConfirmMfa{code(now), now_ms, salt, shown_codes});
    REQUIRE(confirmed.ok());
    return confirmed.value();
}

SecondFactorRefusal refusal_of(const std::variant<SecondFactorAccepted, SecondFactorRefusal>& outcome) {
    REQUIRE(std::holds_alternative<SecondFactorRefusal>(outcome));
    return std::get<SecondFactorRefusal>(outcome);
}
SecondFactorAccepted accepted_of(const std::variant<SecondFactorAccepted, SecondFactorRefusal>& outcome) {
    REQUIRE_MESSAGE(std::holds_alternative<SecondFactorAccepted>(outcome), "refused: " << to_string(std::get<SecondFactorRefusal>(outcome)));
    return std::get<SecondFactorAccepted>(outcome);
}
}  // namespace

TEST_CASE("TOTP codes are RFC 6238's test vectors for HMAC-SHA-1, and six digits are their last six") {
    const std::string rfc_key = "12345678901234567890";  // RFC 6238 appendix B, the SHA-1 key
    struct Vector {
        std::int64_t time;
        const char* code;
    };
    const Vector vectors[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
                              {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
    for (const auto& v : vectors) {
        CAPTURE(v.time);
        CHECK(totp::code_at(rfc_key, v.time, 8) == v.code);
        CHECK(totp::code_at(rfc_key, v.time) == std::string(v.code).substr(2));
    }
    CHECK(totp::step_of(59) == 1);
    CHECK(totp::step_of(1111111109) == 37037036);
}

TEST_CASE("a code matches its own step and the one before and after it; nothing further, another key's or a malformed one") {
    CHECK(totp::matching_step(key, code(now), now) == step);
    CHECK(totp::matching_step(key, code(now - 30), now) == step - 1);
    CHECK(totp::matching_step(key, code(now + 30), now) == step + 1);
    CHECK(totp::matching_step(key, code(now + 29), now + 1) == step);  // the step, not the second
    CHECK_FALSE(totp::matching_step(key, code(now - 60), now));
    CHECK_FALSE(totp::matching_step(key, code(now + 60), now));
    CHECK_FALSE(totp::matching_step("other authenticator!", code(now), now));
    for (const char* bad : {"", "12345", "1234567", "12a456", " 12345", "١٢٣٤٥٦"}) {
        CAPTURE(bad);
        CHECK_FALSE(totp::matching_step(key, bad, now));
    }
}

TEST_CASE("keys are base32 for authenticator apps, and the otpauth URI names issuer, account and parameters, percent-encoded") {
    CHECK(totp::base32_encode("12345678901234567890") == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    CHECK(totp::base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == std::optional<std::string>("12345678901234567890"));
    CHECK(totp::base32_decode(totp::base32_encode(key)) == std::optional<std::string>(key));
    CHECK_FALSE(totp::base32_decode("not base32 at all!"));
    CHECK(totp::otpauth_uri("Debrief", "ada+mfa@example.com", "12345678901234567890") ==
          "otpauth://totp/Debrief:ada%2Bmfa%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Debrief&algorithm=SHA1&digits=6&period=30");
}

TEST_CASE("recovery codes: ten of sixteen base32 characters in groups of four, read in any case with or without dashes, hashed with a salt") {
    REQUIRE(shown_codes.size() == 10);
    CHECK(std::set<std::string>(shown_codes.begin(), shown_codes.end()).size() == 10);
    for (const auto& shown : shown_codes) {
        CAPTURE(shown);
        REQUIRE(shown.size() == 19);
        CHECK((shown[4] == '-' && shown[9] == '-' && shown[14] == '-'));
        auto normal = recovery_codes::normalized(shown);
        REQUIRE(normal);
        CHECK(normal->size() == 16);
        std::string typed;  // upper case, a space in the middle, no dashes
        for (std::size_t i = 0; i < normal->size(); ++i) {
            if (i == 8) typed += ' ';
            typed += static_cast<char>(std::toupper(static_cast<unsigned char>((*normal)[i])));
        }
        CHECK(recovery_codes::normalized(typed) == normal);
        CHECK(recovery_codes::hash(salt, *normal).size() == 64);
        CHECK(recovery_codes::hash(salt, *normal) != recovery_codes::hash(random_of(16, 3), *normal));
    }
    CHECK_FALSE(recovery_codes::normalized("123456"));
    CHECK_FALSE(recovery_codes::normalized("abcd-efgh-ijkl-mno1"));  // 1 is not base32
    CHECK_FALSE(recovery_codes::normalized("abcd-efgh-ijkl-mnopq"));
}

TEST_CASE("enrolling makes a pending key; enrolling again replaces it; an enabled second factor must be disabled first") {
    auto first = pending();
    CHECK(mfa_status(first) == MfaStatus::pending);
    CHECK(first.secret == key);
    CHECK(first.enrolled_at_ms == now_ms);
    auto again = decide(first, EnrolMfa{ada, org, "other authenticator!", now_ms + 1000});
    REQUIRE(again.ok());
    CHECK(again->secret == "other authenticator!");
    CHECK(mfa_status(*again) == MfaStatus::pending);
    auto refused = decide(enabled(), EnrolMfa{ada, org, key, now_ms});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "mfa_already_enabled");
    CHECK(refused.error().kind == ErrorKind::conflict);
    CHECK(mfa_status(std::nullopt) == MfaStatus::none);
}

TEST_CASE("the pending key's current code enables it, with the recovery codes kept as salted hashes only; a wrong code changes nothing") {
    auto wrong = decide(pending(), ConfirmMfa{code(now - 90), now_ms, salt, shown_codes});
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "invalid_mfa_code");
    CHECK(wrong.error().field == "code");
    auto none = decide(std::nullopt, ConfirmMfa{code(now), now_ms, salt, shown_codes});
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == "mfa_not_enrolled");

    auto on = enabled();
    CHECK(mfa_status(on) == MfaStatus::enabled);
    CHECK(on.confirmed_at_ms == now_ms);
    CHECK(on.last_used_step == 0);  // confirming logs nobody in: its code may still log in once
    CHECK(on.recovery_salt == salt);
    REQUIRE(on.recovery_code_hashes.size() == 10);
    for (const auto& shown : shown_codes) {
        CHECK(std::find(on.recovery_code_hashes.begin(), on.recovery_code_hashes.end(), shown) == on.recovery_code_hashes.end());
        CHECK(std::find(on.recovery_code_hashes.begin(), on.recovery_code_hashes.end(),
                        recovery_codes::hash(salt, *recovery_codes::normalized(shown))) != on.recovery_code_hashes.end());
    }
    auto twice = decide(on, ConfirmMfa{code(now + 30), now_ms + 30'000, salt, shown_codes});
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == "mfa_already_enabled");
}

TEST_CASE("a login with a second factor: none sent, a wrong code or another key's are refused, each saying which") {
    const auto on = enabled();
    const auto later_ms = now_ms + 60'000;
    CHECK(refusal_of(decide(on, PresentSecondFactor{"", later_ms})) == SecondFactorRefusal::missing);
    CHECK(refusal_of(decide(on, PresentSecondFactor{"   ", later_ms})) == SecondFactorRefusal::missing);
    CHECK(refusal_of(decide(on, PresentSecondFactor{code(now - 300), later_ms})) == SecondFactorRefusal::invalid);
    CHECK(refusal_of(decide(on, PresentSecondFactor{totp::code_at("other authenticator!", later_ms / 1000), later_ms})) ==
          SecondFactorRefusal::invalid);
    CHECK(refusal_of(decide(on, PresentSecondFactor{"not a code", later_ms})) == SecondFactorRefusal::invalid);
    auto right = accepted_of(decide(on, PresentSecondFactor{" " + code(later_ms / 1000) + " ", later_ms}));
    CHECK_FALSE(right.recovery_code);
    CHECK(right.enrolment.last_used_step == step + 2);
    CHECK(right.enrolment.recovery_code_hashes == on.recovery_code_hashes);
}

TEST_CASE("a code is accepted once: the same code again, or a step older than the last one used, is a replay; the next step's is fine") {
    auto state = accepted_of(decide(enabled(), PresentSecondFactor{code(now), now_ms + 5000})).enrolment;  // the confirming code, once
    CHECK(state.last_used_step == step);
    CHECK(refusal_of(decide(state, PresentSecondFactor{code(now), now_ms + 5000})) == SecondFactorRefusal::reused);
    // Thirty seconds on, the next code logs in once; the code before it is still inside the window, but older.
    const auto next_ms = now_ms + 30'000;
    state = accepted_of(decide(state, PresentSecondFactor{code(next_ms / 1000), next_ms})).enrolment;
    CHECK(state.last_used_step == step + 1);
    CHECK(refusal_of(decide(state, PresentSecondFactor{code(next_ms / 1000), next_ms + 1000})) == SecondFactorRefusal::reused);
    CHECK(refusal_of(decide(state, PresentSecondFactor{code(now), next_ms})) == SecondFactorRefusal::reused);
    // A phone a step ahead: its code is accepted, and then this step's is older than it.
    state = accepted_of(decide(state, PresentSecondFactor{code(next_ms / 1000 + 60), next_ms + 30'000})).enrolment;
    CHECK(state.last_used_step == step + 3);
    CHECK(refusal_of(decide(state, PresentSecondFactor{code(next_ms / 1000 + 30), next_ms + 30'000})) == SecondFactorRefusal::reused);
}

TEST_CASE("a recovery code logs in once, typed in any case and with or without dashes; then it is spent, and the others still work") {
    auto state = enabled();
    auto used = accepted_of(decide(state, PresentSecondFactor{shown_codes[3], now_ms}));
    CHECK(used.recovery_code);
    CHECK(used.enrolment.recovery_code_hashes.size() == 9);
    CHECK(used.enrolment.last_used_step == state.last_used_step);
    state = used.enrolment;
    CHECK(refusal_of(decide(state, PresentSecondFactor{shown_codes[3], now_ms})) == SecondFactorRefusal::invalid);
    std::string typed = shown_codes[7];
    typed.erase(std::remove(typed.begin(), typed.end(), '-'), typed.end());
    for (auto& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    state = accepted_of(decide(state, PresentSecondFactor{typed, now_ms})).enrolment;
    CHECK(state.recovery_code_hashes.size() == 8);
    CHECK(refusal_of(decide(state, PresentSecondFactor{shown_codes[7], now_ms})) == SecondFactorRefusal::invalid);
}

TEST_CASE("the user disables their second factor with a code, a pending one without; an admin resets another user's; nobody else") {
    const Actor self{ada, org, "coach"};
    const auto on = enabled();
    const auto later_ms = now_ms + 60'000;
    auto without = decide(on, DisableMfa{self, ada, org, "", later_ms});
    REQUIRE_FALSE(without.ok());
    CHECK(without.error().code == "missing_field");
    auto wrong = decide(on, DisableMfa{self, ada, org, code(now - 300), later_ms});
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "invalid_mfa_code");
    auto used = on;
    used.last_used_step = step;
    auto replayed = decide(used, DisableMfa{self, ada, org, code(now), now_ms + 1000});
    REQUIRE_FALSE(replayed.ok());
    CHECK(replayed.error().code == "invalid_mfa_code");
    auto off = decide(on, DisableMfa{self, ada, org, code(later_ms / 1000), later_ms});
    REQUIRE(off.ok());
    CHECK(mfa_status(*off) == MfaStatus::none);
    CHECK(off->secret.empty());
    CHECK(off->recovery_code_hashes.empty());
    CHECK(off->disabled_at_ms == later_ms);
    CHECK(decide(*off, DisableMfa{self, ada, org, "", later_ms}).error().code == "mfa_not_enrolled");
    CHECK(decide(pending(), DisableMfa{self, ada, org, "", later_ms}).ok());
    CHECK(decide(on, DisableMfa{self, ada, org, shown_codes[0], later_ms}).ok());  // a recovery code does too

    // Someone else's: an admin of the organization, without a code; a coach never; another organization's never sees it.
    auto reset = decide(on, DisableMfa{Actor{cole, org, "admin"}, ada, org, "", later_ms});
    REQUIRE(reset.ok());
    CHECK(mfa_status(*reset) == MfaStatus::none);
    CHECK(decide(on, DisableMfa{Actor{cole, org, "coach"}, ada, org, "", later_ms}).error().code == "forbidden");
    CHECK(decide(on, DisableMfa{Actor{cole, OrganizationId{"org-2"}, "admin"}, ada, org, "", later_ms}).error().code == "user_not_found");
}

TEST_CASE("the MFA policy: only admins set it, roles are checked and kept once in one order, and requiring it of one's own role needs one's own first") {
    const Actor admin{ada, org, "admin"};
    auto organization = testing::given<Organization>({events::OrganizationCreated{org, "Acme"}});
    organization.when([&](const OrganizationState& s) { return decide(s, SetMfaPolicy{admin, {"coach", "coach_lead", "coach"}, false}); })
        .then({events::MfaPolicySet{org, {"coach_lead", "coach"}}});
    CHECK(mfa_required(organization.state(), "coach"));
    CHECK(mfa_required(organization.state(), "coach_lead"));
    CHECK_FALSE(mfa_required(organization.state(), "admin"));
    CHECK_FALSE(mfa_required(organization.state(), "client"));

    organization.when([&](const OrganizationState& s) { return decide(s, SetMfaPolicy{Actor{cole, org, "coach_lead"}, {}, true}); }).then_error("forbidden");
    organization.when([&](const OrganizationState& s) { return decide(s, SetMfaPolicy{admin, {"coach", "owner"}, true}); }).then_error("invalid_role");
    organization.when([&](const OrganizationState& s) { return decide(s, SetMfaPolicy{admin, {"admin", "coach"}, false}); }).then_error("mfa_not_enabled");
    organization.when([&](const OrganizationState& s) { return decide(s, SetMfaPolicy{admin, {"client", "admin", "coach"}, true}); })
        .then({events::MfaPolicySet{org, {"admin", "coach", "client"}}});
    CHECK(mfa_required(organization.state(), "admin"));
    organization.when([&](const OrganizationState& s) { return decide(s, SetMfaPolicy{admin, {}, false}); }).then({events::MfaPolicySet{org, {}}});
    CHECK_FALSE(mfa_required(organization.state(), "coach"));
}

TEST_CASE("MFA records fold by user, the newest winning; one change of a user's second factor at a time") {
    MfaEnrolments enrolments;
    CHECK(enrolments.status(ada) == MfaStatus::none);
    enrolments.apply(pending());
    CHECK(enrolments.status(ada) == MfaStatus::pending);
    enrolments.apply(enabled());
    CHECK(enrolments.status(ada) == MfaStatus::enabled);
    CHECK(enrolments.find(ada)->recovery_code_hashes.size() == 10);
    CHECK(enrolments.status(cole) == MfaStatus::none);
    {
        auto claim = enrolments.claim(ada);
        REQUIRE(claim);
        CHECK_FALSE(enrolments.claim(ada));  // a second change for Ada waits for the first
        CHECK(enrolments.claim(cole));        // another user's does not
    }
    CHECK(enrolments.claim(ada));  // released with the claim
}

TEST_CASE("the login throttle: an attempt withdrawn (the right password, no second factor yet) neither counts nor forgives") {
    api::LoginThrottle throttle({5, 20, 1000, 60'000, 15 * 60'000, 1000});
    for (int i = 0; i < 4; ++i) CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms) == 0);  // four wrong codes
    for (int i = 0; i < 10; ++i) {
        CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms) == 0);
        throttle.withdraw("ada@example.com", "10.0.0.1");
    }
    CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms) == 0);  // the fifth wrong one
    CHECK(throttle.admit("ada@example.com", "10.0.0.1", now_ms) == 1);  // the four were not forgiven
}
