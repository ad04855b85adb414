// The command loop's rules for every command of the coaching workflow: a stale expected version is a 409 that
// appends nothing, and a repeated Idempotency-Key returns the first result without appending again.
#include <doctest/doctest.h>

#include <functional>

#include "commands/action_item_commands.hpp"
#include "commands/follow_up_commands.hpp"
#include "commands/metrics_commands.hpp"
#include "commands/note_commands.hpp"
#include "commands/people_commands.hpp"
#include "commands/summary_commands.hpp"
#include "commands/template_commands.hpp"
#include "tests/unit/workflow_fixture.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {

using Command = std::function<Result<Accepted>(Workflow&, const CommandContext&)>;

struct Case {
    const char* name;
    Command run;
};

std::vector<Case> cases() {
    return {
        {"register a client", [](Workflow& w, const CommandContext& c) { return commands::register_client(w.handler, w.admin, {"Jon Park", "", {}, "", {}}, c); }},
        {"invite a user", [](Workflow& w, const CommandContext& c) {
             return commands::invite_user(w.handler, w.admin, {"Sam", "sam@example.com", "coach", "long enough password", {}, {}}, c);
         }},
        {"refine a summary", [](Workflow& w, const CommandContext& c) { return commands::refine_summary(w.handler, w.admin, w.summary, "add win: Kept calm", c); }},
        {"approve a summary", [](Workflow& w, const CommandContext& c) { return commands::approve_summary(w.handler, w.admin, w.summary, c); }},
        {"create an action item", [](Workflow& w, const CommandContext& c) { return commands::create_action_item(w.handler, w.admin, {w.client, "Call", "", ""}, c); }},
        {"complete an action item",
         [](Workflow& w, const CommandContext& c) { return commands::change_action_item(w.handler, w.admin, w.item, ActionItemChangeKind::complete, "", c); }},
        {"reschedule an action item", [](Workflow& w, const CommandContext& c) {
             return commands::change_action_item(w.handler, w.admin, w.item, ActionItemChangeKind::reschedule, "2026-12-01", c);
         }},
        {"add a note", [](Workflow& w, const CommandContext& c) { return commands::add_note(w.handler, w.admin, w.client, "Prefers mornings", c); }},
        {"address a note", [](Workflow& w, const CommandContext& c) { return commands::address_note(w.handler, w.admin, w.note, w.session, c); }},
        {"create a template", [](Workflow& w, const CommandContext& c) {
             return commands::create_template(w.handler, w.admin, {"email", "Recap", "Recap of {{session_date}}", "Hi {{client_first_name}}", false, {}}, c);
         }},
        {"revise a template", [](Workflow& w, const CommandContext& c) {
             return commands::revise_template(w.handler, w.admin, w.template_id, {std::string("Weekly recap"), std::nullopt, std::nullopt}, c);
         }},
        {"draft a follow-up", [](Workflow& w, const CommandContext& c) {
             return commands::draft_follow_up(w.handler, w.admin, {w.approved_summary, "", "jon@example.com", std::nullopt, std::nullopt}, c);
         }},
        {"send a follow-up", [](Workflow& w, const CommandContext& c) { return commands::send_follow_up(w.handler, w.admin, w.follow_up, 0, c); }},
        {"stage a metrics import", [](Workflow& w, const CommandContext& c) { return commands::stage_metrics_import(w.handler, w.admin, w.metrics_file(), "k.csv", c); }},
        {"commit a metrics import", [](Workflow& w, const CommandContext& c) { return commands::commit_metrics_import(w.handler, w.admin, w.metrics_import, c); }},
        {"discard a metrics import", [](Workflow& w, const CommandContext& c) { return commands::discard_metrics_import(w.handler, w.admin, w.metrics_import, c); }},
        {"change a role", [](Workflow& w, const CommandContext& c) { return commands::change_role(w.handler, w.admin, w.coach, "coach_lead", {}, c); }},
        {"deactivate a user", [](Workflow& w, const CommandContext& c) { return commands::set_user_active(w.handler, w.admin, w.coach, false, "on leave", c); }},
        {"set a voice profile", [](Workflow& w, const CommandContext& c) {
             return commands::set_voice_profile(w.handler, w.admin, {w.coach, w.admin, "warm", "Cheers", {}}, c);
         }},
        {"set notification preferences", [](Workflow& w, const CommandContext& c) {
             return commands::set_notification_preferences(w.handler, w.admin, {w.coach, w.admin, "daily", {}, "", "", ""}, c);
         }},
    };
}

}  // namespace

TEST_CASE("every workflow command refuses a stale expected version with 409 and appends nothing") {
    for (const auto& c : cases()) {
        CAPTURE(c.name);
        Workflow w;
        const auto appended = w.log.events().size();
        auto refused = c.run(w, w.expecting(42));
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == "version_conflict");
        CHECK(refused.error().kind == ErrorKind::conflict);
        CHECK(w.log.events().size() == appended);
    }
}

TEST_CASE("every workflow command run twice with one Idempotency-Key appends once and answers the first result") {
    for (const auto& c : cases()) {
        CAPTURE(c.name);
        Workflow w;
        auto first = c.run(w, w.keyed("retry-me"));
        REQUIRE(first.ok());
        const auto appended = w.log.events().size();
        auto again = c.run(w, w.keyed("retry-me"));
        REQUIRE(again.ok());
        CHECK(again->replayed);
        CHECK(again->position == first->position);
        CHECK(again->ids == first->ids);
        CHECK(w.log.events().size() == appended);
    }
}
