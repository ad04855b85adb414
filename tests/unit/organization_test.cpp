// Sign-up decisions: given no organization, when signing up, then an organization and its admin are created.
#include <doctest/doctest.h>

#include "tests/support/given_when_then.hpp"
#include "commands/organization.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
SignUp valid_sign_up() {
    return {OrganizationId{"org-1"}, UserId{"user-1"}, "Acme Coaching", "Ada Lovelace", " Ada@Example.COM ", "correct horse battery"};
}
}  // namespace

TEST_CASE("sign-up creates the organization and its admin user with a normalized e-mail") {
    auto events = decide(OrganizationState{}, valid_sign_up(), false);
    REQUIRE(events.ok());
    REQUIRE(events->size() == 2);
    auto created = std::get<events::OrganizationCreated>(events->at(0));
    CHECK(created.organization_id.value == "org-1");
    CHECK(created.name == "Acme Coaching");
    auto registered = std::get<events::UserRegistered>(events->at(1));
    CHECK(registered.user_id.value == "user-1");
    CHECK(registered.email == "ada@example.com");
    CHECK(registered.role == "admin");
}

TEST_CASE("sign-up is refused for each invalid field with a stable code") {
    struct Case {
        const char* what;
        void (*mutate)(SignUp&);
        const char* code;
    };
    Case cases[] = {
        {"empty organization", [](SignUp& c) { c.organization_name = "  "; }, "missing_field"},
        {"empty name", [](SignUp& c) { c.name = ""; }, "missing_field"},
        {"overlong name", [](SignUp& c) { c.name = std::string(201, 'x'); }, "field_too_long"},
        {"control characters", [](SignUp& c) { c.name = "Ada\x01"; }, "invalid_characters"},
        {"e-mail without @", [](SignUp& c) { c.email = "ada.example.com"; }, "invalid_email"},
        {"e-mail without domain dot", [](SignUp& c) { c.email = "ada@example"; }, "invalid_email"},
        {"short password", [](SignUp& c) { c.password = "short"; }, "weak_password"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        auto command = valid_sign_up();
        c.mutate(command);
        auto events = decide(OrganizationState{}, command, false);
        REQUIRE_FALSE(events.ok());
        CHECK(events.error().code == c.code);
        CHECK(events.error().kind == ErrorKind::invalid);
    }
}

TEST_CASE("sign-up with an e-mail address already in use is a conflict") {
    auto events = decide(OrganizationState{}, valid_sign_up(), true);
    REQUIRE_FALSE(events.ok());
    CHECK(events.error().code == "email_taken");
    CHECK(events.error().kind == ErrorKind::conflict);
}

TEST_CASE("sign-up into an existing organization id is a conflict") {
    OrganizationState existing{true, 1, "Acme"};
    auto events = decide(existing, valid_sign_up(), false);
    REQUIRE_FALSE(events.ok());
    CHECK(events.error().code == "organization_exists");
}

TEST_CASE("evolve folds organization and user events and counts versions") {
    auto events = decide(OrganizationState{}, valid_sign_up(), false);
    REQUIRE(events.ok());
    auto organization = debrief::testing::folded<Organization>({events->at(0)});
    CHECK(organization.exists);
    CHECK(organization.version == 1);
    CHECK(organization.name == "Acme Coaching");
    auto user = debrief::testing::folded<User>({events->at(1)}, OrganizationId{"org-1"});
    CHECK(user.exists);
    CHECK(user.version == 1);
    CHECK(user.role == "admin");
    CHECK(user.organization_id.value == "org-1");
}
