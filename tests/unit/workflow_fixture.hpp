// A whole coaching workflow on the in-memory log, for tests of the command loop and of what drives it.
#pragma once

#include <doctest/doctest.h>

#include "commands/action_item_commands.hpp"
#include "commands/follow_up_commands.hpp"
#include "commands/metrics/metrics_file.hpp"
#include "commands/metrics_commands.hpp"
#include "commands/note_commands.hpp"
#include "commands/people_commands.hpp"
#include "commands/session_commands.hpp"
#include "commands/summary_commands.hpp"
#include "commands/template_commands.hpp"
#include "tests/unit/in_memory_commands.hpp"

namespace debrief::commands {

struct Workflow : InMemoryCommands {
    Actor admin;
    SessionId session;
    SummaryId summary;
    ClientId client;
    ActionItemId item;
    NoteId note;
    SummaryId approved_summary;  // Jon's, approved
    TemplateId template_id;
    FollowUpId follow_up;        // drafted from Jon's summary
    UserId coach;                // an invited coach
    MetricsImportId metrics_import;  // staged: Maria's CSAT on one day

    // Sign-up, a session whose parse registers Maria and Jon and drafts their summaries, an action item and a note for
    // Maria (whose summary stays a draft), Jon's summary approved with a follow-up drafted from it, and a template.
    Workflow() {
        auto signed_up = commands::sign_up(handler, {"Acme", "Ada", "ada@example.com", "correct horse battery"}, {});
        REQUIRE(signed_up.ok());
        admin = {UserId{signed_up->id("user")}, OrganizationId{signed_up->id("organization")}, "admin"};
        auto created = commands::create_session(handler,
            admin, {std::nullopt, "2026-11-20", "individual", "plain", "Ada: How did it go?\nMaria: I closed two deals. I will call the supplier by Friday.\nJon: I kept my calls short.\n", {}, ""},
            {});
        REQUIRE(created.ok());
        session = SessionId{created->id("session")};
        for (const auto& event : log.events())
            if (const auto* drafted = std::get_if<events::SummaryDrafted>(&event.payload)) {
                if (summary.empty()) {
                    summary = drafted->summary_id;
                    client = drafted->client_id;
                } else {
                    approved_summary = drafted->summary_id;
                }
            }
        REQUIRE_FALSE(summary.empty());
        REQUIRE_FALSE(approved_summary.empty());
        REQUIRE(commands::approve_summary(handler, admin, approved_summary, {}).ok());
        auto follow = commands::draft_follow_up(handler, admin, {approved_summary, "", "jon@example.com", std::nullopt, std::nullopt}, {});
        REQUIRE(follow.ok());
        follow_up = FollowUpId{follow->id("follow_up")};
        auto kept = commands::create_template(handler, admin, {"email", "Recap", "Recap of {{session_date}}", "Hi {{client_first_name}}", false, {}}, {});
        REQUIRE(kept.ok());
        template_id = TemplateId{kept->id("template")};
        auto invited = commands::invite_user(handler, admin, {"Sam Rivera", "sam.coach@example.com", "coach", "long enough password", {}, {}}, {});
        REQUIRE(invited.ok());
        coach = UserId{invited->id("user")};
        auto staged = commands::stage_metrics_import(handler, admin, metrics_file(), "kpis.csv", {});
        REQUIRE(staged.ok());
        metrics_import = MetricsImportId{staged->id("metrics_import")};
        auto made = commands::create_action_item(handler, admin, {client, "Send the QA form", "", ""}, {});
        REQUIRE(made.ok());
        item = ActionItemId{made->id("action_item")};
        auto noted = commands::add_note(handler, admin, client, "Moving teams in January", {});
        REQUIRE(noted.ok());
        note = NoteId{noted->id("note")};
    }

    // A one-row KPI file naming Maria, checked as the HTTP route checks it.
    metrics::MetricsFile metrics_file() const {
        auto checked = metrics::read_metrics_file("client_id,date,csat\n" + client.value + ",2026-11-20,4.5\n", commands::metrics_agents(handler, admin));
        REQUIRE(checked.ok());
        REQUIRE(checked->errors.empty());
        return checked->file;
    }

    CommandContext expecting(std::uint64_t version) const {
        CommandContext context;
        context.cause.actor_id = admin.user_id;
        context.expected_version = version;
        return context;
    }
    CommandContext keyed(std::string key) const {
        CommandContext context;
        context.cause.actor_id = admin.user_id;
        context.cause.idempotency_key = std::move(key);
        context.cause.request_hash = "same-request";
        return context;
    }
};

}  // namespace debrief::commands
