// The command loop with a writing assistant: asked first and outside the organization's lock, never for a request
// that cannot be accepted or for a replay; its failure falls back to the built-in refiner; drafts are reviewed.
#include <doctest/doctest.h>

#include "commands/people_commands.hpp"
#include "commands/refinement/llm_protocol.hpp"
#include "commands/session_commands.hpp"
#include "commands/summary_commands.hpp"
#include "commands/template_commands.hpp"
#include "tests/unit/in_memory_commands.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {

class FakeAssistant : public refinement::Assistant {
public:
    std::vector<refinement::AssistantRequest> requests;
    std::function<Result<refinement::AssistantProposal>(const refinement::AssistantRequest&)> answer;
    Result<refinement::AssistantProposal> propose(const refinement::AssistantRequest& request) override {
        requests.push_back(request);
        return answer(request);
    }
};

refinement::AssistantProposal pirate(const refinement::AssistantRequest& request) {
    auto after = request.current;
    after.wins.push_back("Arr, said hello like a pirate");
    after.action_items.push_back({"Swab the deck", request.coach_id.value, "2026-11-27"});
    return {after, "Arr!", "llm:fake"};
}

Error down() { return {ErrorKind::unavailable, "llm_timeout", "no answer"}; }

struct Fixture : InMemoryCommands {
    FakeAssistant assistant;
    struct Drafted {
        SummaryId summary;
        std::string excerpt;
    };
    std::vector<Drafted> drafted;
    Actor admin;
    SummaryId summary;

    Fixture() {
        assistant.answer = [](const refinement::AssistantRequest& r) { return Result<refinement::AssistantProposal>(pirate(r)); };
        handler.set_assistant(&assistant, [](const OrganizationId&, const SessionId&) { return std::optional<std::string>("Coach: Hello there.\n"); });
        handler.set_draft_listener([this](const OrganizationId&, const SummaryId& id, const events::Cause&, const std::string& excerpt) {
            drafted.push_back({id, excerpt});
        });
        auto signed_up = commands::sign_up(handler, {"Acme", "Ada", "ada@example.com", "correct horse battery"}, {});
        REQUIRE(signed_up.ok());
        admin = {UserId{signed_up->id("user")}, OrganizationId{signed_up->id("organization")}, "admin"};
        CreateSessionInput input{std::nullopt, "2026-11-20", "individual", "plain", "Coach: Hello there.\nMaria: Hi coach, I closed two deals.\n", {}, ""};
        REQUIRE(commands::create_session(handler, admin, input, {}).ok());
        REQUIRE(drafted.size() == 1);
        summary = drafted[0].summary;
    }

    const events::SummaryRefined& last_refined() {
        static events::SummaryRefined last;
        last = std::get<events::SummaryRefined>(log.events().back().payload);
        return last;
    }
};

}  // namespace

TEST_CASE("with an assistant, a refinement is its proposal, recorded with the assistant as refiner") {
    Fixture f;
    CHECK(f.drafted[0].excerpt.find("I closed two deals") != std::string::npos);  // the parse hands over the transcript
    auto refined = commands::refine_summary(f.handler, f.admin, f.summary, "make it sound like a pirate", {});
    REQUIRE_MESSAGE(refined.ok(), refined.error().message);
    REQUIRE(f.assistant.requests.size() == 1);
    const auto& asked = f.assistant.requests[0];
    CHECK(asked.task == refinement::AssistantTask::refine);
    CHECK(asked.message == "make it sound like a pirate");
    CHECK(asked.current == f.model.state(f.summary).drafted);
    CHECK(asked.transcript_excerpt == "Coach: Hello there.\n");
    CHECK(asked.coach_name == "Ada");
    CHECK(asked.client_name == "Maria");
    CHECK(asked.session_date == "2026-11-20");
    CHECK(f.last_refined().refiner == "llm:fake");
    CHECK(f.last_refined().reply == "Arr!");
    CHECK(f.model.state(f.summary).content.wins.back() == "Arr, said hello like a pirate");
}

TEST_CASE("the assistant is not asked for a request that cannot be accepted, nor for a replay") {
    Fixture f;
    Actor stranger{UserId{"u-9"}, OrganizationId{"org-9"}, "admin"};
    CHECK(commands::refine_summary(f.handler, stranger, f.summary, "make it sound like a pirate", {}).error().kind == ErrorKind::not_found);
    CHECK(commands::refine_summary(f.handler, f.admin, f.summary, "   ", {}).error().code == "invalid_field");
    CHECK(f.assistant.requests.empty());

    CommandContext keyed;
    keyed.cause.actor_id = f.admin.user_id;
    keyed.cause.idempotency_key = "refine-1";
    REQUIRE(commands::refine_summary(f.handler, f.admin, f.summary, "make it sound like a pirate", keyed).ok());
    auto events = f.log.events().size();
    auto replay = commands::refine_summary(f.handler, f.admin, f.summary, "make it sound like a pirate", keyed);
    REQUIRE(replay.ok());
    CHECK(replay->replayed);
    CHECK(f.assistant.requests.size() == 1);
    CHECK(f.log.events().size() == events);
}

TEST_CASE("when the assistant fails, the built-in refiner answers and says so") {
    Fixture f;
    f.assistant.answer = [](const refinement::AssistantRequest&) { return Result<refinement::AssistantProposal>(down()); };
    auto refined = commands::refine_summary(f.handler, f.admin, f.summary, "add win: closed two deals", {});
    REQUIRE(refined.ok());
    CHECK(f.last_refined().refiner == "builtin-1");
    CHECK(f.last_refined().reply.starts_with("The assistant is unavailable right now"));
    auto unsupported = commands::refine_summary(f.handler, f.admin, f.summary, "make it sound like a pirate", {});
    CHECK(unsupported.error().code == "refinement_unsupported");
    CHECK(f.assistant.requests.size() == 2);
}

TEST_CASE("the assistant is asked outside the lock: a command may run meanwhile, and then its proposal is stale") {
    Fixture f;
    bool nested = false;
    f.assistant.answer = [&](const refinement::AssistantRequest& request) -> Result<refinement::AssistantProposal> {
        if (nested) return down();
        nested = true;
        // Another request for the same organization, while this one waits for the assistant: it must not block.
        REQUIRE(commands::refine_summary(f.handler, f.admin, f.summary, "add win: closed two deals", {}).ok());
        return pirate(request);
    };
    auto refined = commands::refine_summary(f.handler, f.admin, f.summary, "make it sound like a pirate", {});
    REQUIRE_FALSE(refined.ok());
    CHECK(refined.error().code == "summary_changed");
    CHECK(f.model.state(f.summary).content.wins.back() == "Closed two deals");
}

TEST_CASE("a draft review appends the assistant's changes as a system refinement, or nothing") {
    Fixture f;
    CommandContext system;
    system.cause.correlation_id = "upload-1";
    auto reviewed = commands::review_draft(f.handler, f.admin.organization_id, f.summary, f.drafted[0].excerpt, system);
    REQUIRE_MESSAGE(reviewed.ok(), reviewed.error().message);
    REQUIRE(f.assistant.requests.size() == 1);
    CHECK(f.assistant.requests[0].task == refinement::AssistantTask::review);
    CHECK(f.assistant.requests[0].transcript_excerpt.find("I closed two deals") != std::string::npos);
    CHECK(f.last_refined().message == "(automatic) review of the analyser's draft");
    CHECK(f.log.events().back().metadata.cause.actor_id.value.empty());
    CHECK(f.log.events().back().metadata.cause.correlation_id == "upload-1");

    const auto events = f.log.events().size();
    f.assistant.answer = [](const refinement::AssistantRequest& request) {
        return Result<refinement::AssistantProposal>(refinement::AssistantProposal{request.current, "Looks right.", "llm:fake"});
    };
    CHECK(commands::review_draft(f.handler, f.admin.organization_id, f.summary, "", system).error().code == "refinement_no_change");
    f.assistant.answer = [](const refinement::AssistantRequest&) { return Result<refinement::AssistantProposal>(down()); };
    CHECK(commands::review_draft(f.handler, f.admin.organization_id, f.summary, "", system).error().code == "llm_timeout");
    CHECK(commands::review_draft(f.handler, OrganizationId{"org-9"}, f.summary, "", system).error().code == "summary_not_found");
    CHECK(f.log.events().size() == events);
}

TEST_CASE("the coach's own prompt template and voice profile reach the assistant as standing instructions") {
    Fixture f;
    REQUIRE(commands::refine_summary(f.handler, f.admin, f.summary, "make it sound like a pirate", {}).ok());
    CHECK(f.assistant.requests.back().coach_instructions.empty());  // the built-in prompt and no voice profile add nothing
    REQUIRE(commands::create_template(f.handler, f.admin, {"prompt", "House style", "", "Address {{client_first_name}} by first name. Request: {{message}}", false, {}}, {})
                .ok());
    REQUIRE(commands::set_voice_profile(f.handler, f.admin, {f.admin.user_id, f.admin, "warm", "Cheers", {"synergy", "circle back"}}, {}).ok());
    REQUIRE(commands::refine_summary(f.handler, f.admin, f.summary, "shorter please", {}).ok());
    const auto& instructions = f.assistant.requests.back().coach_instructions;
    CHECK(instructions.starts_with("Address Maria by first name. Request: shorter please"));
    CHECK(instructions.find("Write in a warm tone. Avoid these phrases: \"synergy\", \"circle back\".") != std::string::npos);
    auto body = refinement::llm::request_body(f.assistant.requests.back(), "m");
    CHECK(body.find("standing instructions") != std::string::npos);
}
