// The command loop's rules for every command of the coaching workflow: a stale expected version is a 409 that
// appends nothing, and a repeated Idempotency-Key returns the first result without appending again.
#include <doctest/doctest.h>

#include <functional>

#include "commands/command_handler.hpp"
#include "events/memory_event_log.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {

struct Workflow {
    WriteModel model;
    events::MemoryEventLog log;
    int next_id = 0;
    CommandHandler handler{model, log, [] { return std::int64_t{1'800'000'000'000}; }, [this] { return "id-" + std::to_string(++next_id); },
                           [](std::string_view password) { return "hashed:" + std::string(password); }};
    Actor admin;
    SessionId session;
    SummaryId summary;
    ClientId client;
    ActionItemId item;
    NoteId note;

    // Sign-up, a session whose parse registers Maria and drafts her summary, an action item and a note.
    Workflow() {
        auto signed_up = handler.sign_up({"Acme", "Ada", "ada@example.com", "correct horse battery"}, {});
        REQUIRE(signed_up.ok());
        admin = {UserId{signed_up->id("user")}, OrganizationId{signed_up->id("organization")}, "admin"};
        auto created = handler.create_session(
            admin, {std::nullopt, "2026-11-20", "individual", "plain", "Ada: How did it go?\nMaria: I closed two deals. I will call the supplier by Friday.\n", {}, ""},
            {});
        REQUIRE(created.ok());
        session = SessionId{created->id("session")};
        for (const auto& event : log.events())
            if (const auto* drafted = std::get_if<events::SummaryDrafted>(&event.payload)) {
                summary = drafted->summary_id;
                client = drafted->client_id;
            }
        REQUIRE_FALSE(summary.empty());
        auto made = handler.create_action_item(admin, {client, "Send the QA form", "", ""}, {});
        REQUIRE(made.ok());
        item = ActionItemId{made->id("action_item")};
        auto noted = handler.add_note(admin, client, "Moving teams in January", {});
        REQUIRE(noted.ok());
        note = NoteId{noted->id("note")};
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

using Command = std::function<Result<Accepted>(Workflow&, const CommandContext&)>;

struct Case {
    const char* name;
    Command run;
};

std::vector<Case> cases() {
    return {
        {"register a client", [](Workflow& w, const CommandContext& c) { return w.handler.register_client(w.admin, {"Jon Park", "", {}, "", {}}, c); }},
        {"invite a user", [](Workflow& w, const CommandContext& c) {
             return w.handler.invite_user(w.admin, {"Sam", "sam@example.com", "coach", "long enough password", {}, {}}, c);
         }},
        {"refine a summary", [](Workflow& w, const CommandContext& c) { return w.handler.refine_summary(w.admin, w.summary, "add win: Kept calm", c); }},
        {"approve a summary", [](Workflow& w, const CommandContext& c) { return w.handler.approve_summary(w.admin, w.summary, c); }},
        {"create an action item", [](Workflow& w, const CommandContext& c) { return w.handler.create_action_item(w.admin, {w.client, "Call", "", ""}, c); }},
        {"complete an action item",
         [](Workflow& w, const CommandContext& c) { return w.handler.change_action_item(w.admin, w.item, ActionItemChangeKind::complete, "", c); }},
        {"reschedule an action item", [](Workflow& w, const CommandContext& c) {
             return w.handler.change_action_item(w.admin, w.item, ActionItemChangeKind::reschedule, "2026-12-01", c);
         }},
        {"add a note", [](Workflow& w, const CommandContext& c) { return w.handler.add_note(w.admin, w.client, "Prefers mornings", c); }},
        {"address a note", [](Workflow& w, const CommandContext& c) { return w.handler.address_note(w.admin, w.note, w.session, c); }},
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
