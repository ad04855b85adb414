// Templates: placeholders checked per kind with their lines, rendering, and who may keep which template.
#include <doctest/doctest.h>

#include "tests/support/given_when_then.hpp"
#include "commands/template.hpp"
#include "commands/templates/template_text.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
const OrganizationId org{"org-1"};
Actor actor(std::string user, std::string role, OrganizationId organization = org) { return {UserId{std::move(user)}, std::move(organization), std::move(role)}; }
UserState coach_state(std::string lead = "") {
    UserState state;
    state.exists = true;
    state.organization_id = org;
    state.role = "coach";
    state.lead_id = UserId{std::move(lead)};
    return state;
}
CreateTemplate an_email(Actor who) {
    return {TemplateId{"t-1"}, std::move(who), "email", "Recap", "Your session on {{session_date}}", "Hi {{client_first_name}},\n{{action_items}}\n",
            false, UserId{}};
}
const events::TemplateCreated& created(const Result<std::vector<events::Payload>>& result) {
    REQUIRE(result.ok());
    REQUIRE(result->size() == 1);
    return std::get<events::TemplateCreated>(result->front());
}
}  // namespace

TEST_CASE("placeholders are checked against the kind's variables and every problem names its line") {
    CHECK(templates::check("Hi {{client_name}}, {{ session_date }}", "email").empty());
    auto problems = templates::check("Hello {{clinet_name}}\nok\n{{transcript}} and {{}}\nbroken {{wins\n", "email");
    REQUIRE(problems.size() == 4);
    CHECK(problems[0].line == 1);
    CHECK(problems[0].message.find("unknown variable 'clinet_name'") != std::string::npos);
    CHECK(problems[1].line == 3);  // transcript is a prompt variable, not an e-mail one
    CHECK(problems[1].message.find("'transcript'") != std::string::npos);
    CHECK(problems[2].line == 3);
    CHECK(problems[2].message.find("empty placeholder") != std::string::npos);
    CHECK(problems[3].line == 4);
    CHECK(problems[3].message.find("not closed") != std::string::npos);
    CHECK(templates::check("{{transcript}} {{message}}", "prompt").empty());
    CHECK(templates::describe(problems, "body").starts_with("body line 1: unknown variable"));
}

TEST_CASE("rendering replaces known placeholders and leaves plain text alone") {
    std::map<std::string, std::string> values{{"client_name", "Maria Lopez"}, {"session_date", "2026-11-20"}};
    CHECK(templates::render("Hi {{client_name}} ({{ session_date }}) - {single} }}", values) == "Hi Maria Lopez (2026-11-20) - {single} }}");
    CHECK(templates::render("{{wins}}", values).empty());
}

TEST_CASE("every system default passes its own kind's check") {
    REQUIRE(templates::system_defaults().size() == 3);
    for (const auto& builtin : templates::system_defaults()) {
        CAPTURE(builtin.id);
        CHECK(builtin.id.starts_with(templates::system_prefix));
        CHECK(templates::check(builtin.body, builtin.kind).empty());
        CHECK(templates::check(builtin.subject, builtin.kind).empty());
    }
    CHECK(templates::system_default("system:email") != nullptr);
    CHECK(templates::system_default("system:nothing") == nullptr);
    auto state = system_template_state("system:email", org);
    REQUIRE(state.has_value());
    CHECK(state->kind == "email");
    CHECK(state->owner_id.empty());
}

TEST_CASE("a coach keeps their own templates; the event carries kind, text and owner") {
    auto event = created(decide(TemplateState{}, an_email(actor("coach-1", "coach")), coach_state()));
    CHECK(event.owner_id == UserId{"coach-1"});
    CHECK(event.kind == "email");
    CHECK(event.subject == "Your session on {{session_date}}");
}

TEST_CASE("organization-wide templates are the admins'") {
    auto command = an_email(actor("admin-1", "admin"));
    command.organization_wide = true;
    CHECK(created(decide(TemplateState{}, command, UserState{})).owner_id.empty());
    command.actor = actor("coach-1", "coach");
    auto refused = decide(TemplateState{}, command, UserState{});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ErrorKind::forbidden);
}

TEST_CASE("a coach lead keeps templates for the coaches they lead, not for others; clients keep none") {
    auto command = an_email(actor("lead-1", "coach_lead"));
    command.owner_id = UserId{"coach-1"};
    CHECK(created(decide(TemplateState{}, command, coach_state("lead-1"))).owner_id == UserId{"coach-1"});
    auto other = decide(TemplateState{}, command, coach_state("lead-2"));
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().kind == ErrorKind::forbidden);
    auto client = decide(TemplateState{}, an_email(actor("client-user", "client")), coach_state());
    REQUIRE_FALSE(client.ok());
    CHECK(client.error().kind == ErrorKind::forbidden);
}

TEST_CASE("bad template content is refused with a stable code") {
    auto with = [](auto change) {
        auto command = an_email(actor("coach-1", "coach"));
        change(command);
        auto result = decide(TemplateState{}, command, coach_state());
        REQUIRE_FALSE(result.ok());
        return result.error();
    };
    CHECK(with([](CreateTemplate& c) { c.kind = "sms"; }).code == "invalid_template_kind");
    CHECK(with([](CreateTemplate& c) { c.name = " "; }).code == "missing_field");
    CHECK(with([](CreateTemplate& c) { c.body = ""; }).code == "missing_field");
    CHECK(with([](CreateTemplate& c) { c.subject = ""; }).code == "missing_field");
    CHECK(with([](CreateTemplate& c) { c.subject = "two\nlines"; }).code == "invalid_field");
    CHECK(with([](CreateTemplate& c) { c.body = std::string(max_template_body_length + 1, 'x'); }).code == "field_too_long");
    CHECK(with([](CreateTemplate& c) { c.kind = "summary"; }).code == "invalid_field");  // only e-mails have a subject
    auto unknown = with([](CreateTemplate& c) { c.body = "Hi {{client_nam}}"; });
    CHECK(unknown.code == "template_invalid");
    CHECK(unknown.message.find("body line 1") != std::string::npos);
}

TEST_CASE("revising changes the text, keeps the kind and owner, and is refused for foreign or unchanged templates") {
    auto state = debrief::testing::folded<Template>({created(decide(TemplateState{}, an_email(actor("coach-1", "coach")), coach_state()))});
    CHECK(state.version == 1);
    ReviseTemplate revise{TemplateId{"t-1"}, actor("coach-1", "coach"), std::nullopt, std::nullopt, std::string("Dear {{client_name}}")};
    auto revised = decide(state, revise, coach_state());
    REQUIRE(revised.ok());
    state = debrief::testing::folded<Template>(state, {revised->front()});
    CHECK(state.body == "Dear {{client_name}}");
    CHECK(state.subject == "Your session on {{session_date}}");
    CHECK(state.version == 2);
    auto unchanged = decide(state, revise, coach_state());
    REQUIRE_FALSE(unchanged.ok());
    CHECK(unchanged.error().code == "template_unchanged");
    auto foreign = decide(state, ReviseTemplate{TemplateId{"t-1"}, actor("x", "admin", OrganizationId{"org-2"}), std::string("New"), {}, {}}, coach_state());
    REQUIRE_FALSE(foreign.ok());
    CHECK(foreign.error().code == "template_not_found");
    auto other_coach = decide(state, ReviseTemplate{TemplateId{"t-1"}, actor("coach-2", "coach"), std::string("New"), {}, {}}, coach_state());
    REQUIRE_FALSE(other_coach.ok());
    CHECK(other_coach.error().kind == ErrorKind::forbidden);
    auto nothing = decide(state, ReviseTemplate{TemplateId{"t-1"}, actor("coach-1", "coach"), {}, {}, {}}, coach_state());
    REQUIRE_FALSE(nothing.ok());
    CHECK(nothing.error().code == "missing_field");
}
