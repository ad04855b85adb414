// Users and clients as pure decisions: who may invite whom, who may register clients for which coach, and what a
// valid user or client is. Given states, when a command, then events or an error.
#include <doctest/doctest.h>

#include "tests/support/given_when_then.hpp"
#include "commands/authorization.hpp"
#include "commands/client.hpp"
#include "commands/user.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {

const OrganizationId org{"org-1"};
const OrganizationId other_org{"org-2"};

UserState user_with(std::string role, UserId lead = {}, OrganizationId organization = org) {
    UserState state;
    state.exists = true;
    state.version = 1;
    state.organization_id = std::move(organization);
    state.name = "Someone";
    state.email = "someone@example.com";
    state.role = std::move(role);
    state.lead_id = std::move(lead);
    return state;
}

Actor actor(std::string id, std::string role, OrganizationId organization = org) { return {UserId{std::move(id)}, std::move(organization), std::move(role)}; }

InviteUser invite(const Actor& by, std::string role) {
    return {UserId{"new-user"}, by, "Sam Coach", "Sam@Example.com ", std::move(role), "a long enough password", {}, {}};
}

const UserState nobody{};
const ClientState no_client{};

RegisterClient register_client(const Actor& by, std::string coach) {
    return {ClientId{"client-1"}, by, "  Maria Lopez ", "maria@example.com", {"night shift", "Night Shift", "new hire"}, "Team Blue", UserId{std::move(coach)}};
}

std::string code_of(const Result<std::vector<events::Payload>>& result) { return result ? std::string("accepted") : result.error().code; }

}  // namespace

TEST_CASE("an admin invites users of every role; the e-mail is normalized") {
    auto admin = actor("admin-1", "admin");
    for (auto role : {"admin", "coach_lead", "coach"}) {
        CAPTURE(role);
        auto events = decide(nobody, invite(admin, role), InviteFacts{false, nobody, no_client, nobody});
        REQUIRE(events.ok());
        const auto& registered = std::get<events::UserRegistered>(events->at(0));
        CHECK(registered.role == role);
        CHECK(registered.email == "sam@example.com");
        CHECK(registered.name == "Sam Coach");
        CHECK(registered.lead_id.empty());
    }
}

TEST_CASE("a coach lead invites coaches, who are then theirs, and may not invite admins or leads") {
    auto lead = actor("lead-1", "coach_lead");
    auto events = decide(nobody, invite(lead, "coach"), InviteFacts{false, nobody, no_client, nobody});  // names no lead: the lead is the actor
    REQUIRE(events.ok());
    CHECK(std::get<events::UserRegistered>(events->at(0)).lead_id.value == "lead-1");
    CHECK(decide(nobody, invite(lead, "admin"), InviteFacts{false, nobody, no_client, nobody}).error().kind == ErrorKind::forbidden);
    CHECK(decide(nobody, invite(lead, "coach_lead"), InviteFacts{false, nobody, no_client, nobody}).error().kind == ErrorKind::forbidden);
    auto for_someone_else = invite(lead, "coach");
    for_someone_else.lead_id = UserId{"lead-2"};
    CHECK(decide(nobody, for_someone_else, InviteFacts{false, user_with("coach_lead"), no_client, nobody}).error().kind == ErrorKind::forbidden);
}

TEST_CASE("coaches and clients may not invite anyone") {
    for (auto role : {"coach", "client"}) {
        CAPTURE(role);
        auto refused = decide(nobody, invite(actor("u-1", role), "coach"), InviteFacts{false, nobody, no_client, nobody});
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().kind == ErrorKind::forbidden);
        CHECK(refused.error().code == "forbidden");
    }
}

TEST_CASE("an admin may name a coach's lead; it must be a coach lead of the same organization") {
    auto admin = actor("admin-1", "admin");
    auto command = invite(admin, "coach");
    command.lead_id = UserId{"lead-1"};
    CHECK(code_of(decide(nobody, command, InviteFacts{false, user_with("coach_lead"), no_client, nobody})) == "accepted");
    CHECK(code_of(decide(nobody, command, InviteFacts{false, user_with("coach"), no_client, nobody})) == "not_a_coach_lead");
    CHECK(code_of(decide(nobody, command, InviteFacts{false, user_with("coach_lead", {}, other_org), no_client, nobody})) == "lead_not_found");
    CHECK(code_of(decide(nobody, command, InviteFacts{false, nobody, no_client, nobody})) == "lead_not_found");
    auto admin_with_lead = invite(admin, "admin");
    admin_with_lead.lead_id = UserId{"lead-1"};
    CHECK(code_of(decide(nobody, admin_with_lead, InviteFacts{false, user_with("coach_lead"), no_client, nobody})) == "invalid_field");
}

TEST_CASE("a client login belongs to a client record the inviter may manage") {
    auto admin = actor("admin-1", "admin");
    auto command = invite(admin, "client");
    CHECK(code_of(decide(nobody, command, InviteFacts{false, nobody, no_client, nobody})) == "missing_field");
    command.client_id = ClientId{"client-1"};
    ClientState client;
    client.exists = true;
    client.organization_id = org;
    client.coach_id = UserId{"coach-1"};
    auto events = decide(nobody, command, InviteFacts{false, nobody, client, user_with("coach")});
    REQUIRE(events.ok());
    CHECK(std::get<events::UserRegistered>(events->at(0)).client_id.value == "client-1");
    client.organization_id = other_org;
    CHECK(code_of(decide(nobody, command, InviteFacts{false, nobody, client, user_with("coach")})) == "client_not_found");
    // A coach lead may give a login only to clients of the coaches they lead.
    client.organization_id = org;
    auto by_lead = invite(actor("lead-1", "coach_lead"), "client");
    by_lead.client_id = ClientId{"client-1"};
    CHECK(code_of(decide(nobody, by_lead, InviteFacts{false, nobody, client, user_with("coach", UserId{"lead-1"})})) == "accepted");
    CHECK(code_of(decide(nobody, by_lead, InviteFacts{false, nobody, client, user_with("coach", UserId{"lead-2"})})) == "forbidden");
}

TEST_CASE("an invite is refused for a bad role, name, e-mail, password or a taken e-mail") {
    auto admin = actor("admin-1", "admin");
    const InviteFacts fine{false, nobody, no_client, nobody};
    CHECK(code_of(decide(nobody, invite(admin, "superuser"), fine)) == "invalid_role");
    auto command = invite(admin, "coach");
    command.name = " ";
    CHECK(code_of(decide(nobody, command, fine)) == "missing_field");
    command = invite(admin, "coach");
    command.email = "not an e-mail";
    CHECK(code_of(decide(nobody, command, fine)) == "invalid_email");
    command = invite(admin, "coach");
    command.password = "short";
    CHECK(code_of(decide(nobody, command, fine)) == "weak_password");
    CHECK(code_of(decide(nobody, invite(admin, "coach"), InviteFacts{true, nobody, no_client, nobody})) == "email_taken");
    CHECK(decide(nobody, invite(admin, "coach"), InviteFacts{true, nobody, no_client, nobody}).error().kind == ErrorKind::conflict);
}

TEST_CASE("a coach registers their own clients; tags are trimmed and deduplicated ignoring case") {
    auto coach = actor("coach-1", "coach");
    auto events = decide(no_client, register_client(coach, "coach-1"), user_with("coach"), false);
    REQUIRE(events.ok());
    const auto& registered = std::get<events::ClientRegistered>(events->at(0));
    CHECK(registered.name == "Maria Lopez");
    CHECK(registered.coach_id.value == "coach-1");
    CHECK(registered.tags == std::vector<std::string>{"night shift", "new hire"});
    CHECK(registered.team == "Team Blue");
    CHECK(registered.source == "manual");
}

TEST_CASE("who may register a client for which coach") {
    SUBCASE("a coach only for themselves") {
        CHECK(code_of(decide(no_client, register_client(actor("coach-1", "coach"), "coach-2"), user_with("coach"), false)) == "forbidden");
    }
    SUBCASE("a coach lead for themselves and the coaches they lead") {
        auto lead = actor("lead-1", "coach_lead");
        CHECK(code_of(decide(no_client, register_client(lead, "lead-1"), user_with("coach_lead"), false)) == "accepted");
        CHECK(code_of(decide(no_client, register_client(lead, "coach-1"), user_with("coach", UserId{"lead-1"}), false)) == "accepted");
        CHECK(code_of(decide(no_client, register_client(lead, "coach-2"), user_with("coach", UserId{"lead-9"}), false)) == "forbidden");
    }
    SUBCASE("an admin for any coach of the organization, not of another") {
        auto admin = actor("admin-1", "admin");
        CHECK(code_of(decide(no_client, register_client(admin, "coach-1"), user_with("coach"), false)) == "accepted");
        CHECK(code_of(decide(no_client, register_client(admin, "coach-1"), user_with("coach", {}, other_org), false)) == "coach_not_found");
        CHECK(code_of(decide(no_client, register_client(admin, "ghost"), nobody, false)) == "coach_not_found");
        CHECK(code_of(decide(no_client, register_client(admin, "client-user"), user_with("client"), false)) == "not_a_coach");
    }
    SUBCASE("never a client") {
        CHECK(code_of(decide(no_client, register_client(actor("c-1", "client"), "coach-1"), user_with("coach"), false)) == "forbidden");
    }
}

TEST_CASE("a client is refused for a bad name, e-mail, tags or team, or a name the coach already uses") {
    auto coach = actor("coach-1", "coach");
    auto coach_state = user_with("coach");
    auto command = register_client(coach, "coach-1");
    command.email = "nope";
    CHECK(code_of(decide(no_client, command, coach_state, false)) == "invalid_email");
    command = register_client(coach, "coach-1");
    command.email = "";
    CHECK(code_of(decide(no_client, command, coach_state, false)) == "accepted");  // e-mail is optional
    command.tags = std::vector<std::string>(21, "t");
    CHECK(code_of(decide(no_client, command, coach_state, false)) == "too_many_tags");
    command.tags = {std::string(51, 'x')};
    CHECK(code_of(decide(no_client, command, coach_state, false)) == "invalid_tag");
    command.tags = {" "};
    CHECK(code_of(decide(no_client, command, coach_state, false)) == "invalid_tag");
    command = register_client(coach, "coach-1");
    command.team = std::string(201, 't');
    CHECK(code_of(decide(no_client, command, coach_state, false)) == "field_too_long");
    auto taken = decide(no_client, register_client(coach, "coach-1"), coach_state, true);
    CHECK(code_of(taken) == "client_name_taken");
    CHECK(taken.error().kind == ErrorKind::conflict);
}

TEST_CASE("client names are compared by a key that ignores case and spacing") {
    CHECK(client_name_key("  Maria   LOPEZ ") == "maria lopez");
    CHECK(client_name_key("maria lopez") == client_name_key("Maria Lopez"));
    CHECK(client_name_key("Maria") != client_name_key("Mario"));
}

TEST_CASE("evolve folds user and client registrations") {
    auto user = debrief::testing::folded<User>({events::UserRegistered{UserId{"u"}, "Sam", "sam@example.com", "coach", UserId{"lead-1"}, ClientId{}}});
    CHECK(user.exists);
    CHECK(user.version == 1);
    CHECK(user.lead_id.value == "lead-1");
    CHECK(user.organization_id == org);
    auto client = debrief::testing::folded<Client>({events::ClientRegistered{ClientId{"c"}, "Maria", "", {"a"}, "T", UserId{"coach-1"}, "manual"}});
    CHECK(client.exists);
    CHECK(client.coach_id.value == "coach-1");
    CHECK(client.tags == std::vector<std::string>{"a"});
}

TEST_CASE("only an admin of the client's organization erases a client, once; the client then keeps no name, e-mail or tags") {
    const ClientId id{"client-1"};
    const events::ClientRegistered registered{id, "Maria Lopez", "maria@example.com", {"night shift"}, "Team Blue", UserId{"coach-1"}, "manual"};
    const std::vector<std::string> subjects{"client:client-1", "user:login-1", "session:s-1"};
    auto erase = [&](Actor by) { return [=](const ClientState& state) { return decide(state, EraseClient{id, by, subjects}); }; };
    auto scenario = debrief::testing::given<Client>({registered});
    scenario.when(erase(actor("coach-1", "coach"))).then_error("forbidden");
    scenario.when(erase(actor("lead-1", "coach_lead"))).then_error("forbidden");
    scenario.when(erase(actor("client-user", "client"))).then_error("forbidden");
    scenario.when(erase(actor("admin-2", "admin", other_org))).then_error("client_not_found");
    scenario.when(erase(actor("admin-1", "admin"))).then({events::ClientErased{id, subjects}});
    CHECK(scenario.state().erased);
    CHECK(scenario.state().name.empty());
    CHECK(scenario.state().email.empty());
    CHECK(scenario.state().tags.empty());
    CHECK(scenario.state().team.empty());
    scenario.when(erase(actor("admin-1", "admin"))).then_error("client_erased");
    debrief::testing::given<Client>().when(erase(actor("admin-1", "admin"))).then_error("client_not_found");
}
