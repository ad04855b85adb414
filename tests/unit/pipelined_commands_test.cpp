// Pipelined commands on an in-memory log whose commits can be held back: a command decides on top of those not yet
// committed, a failed commit fails what was decided on it (and nothing of another organization), reads see only what
// is durable, and a full queue is refused at once.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "commands/note_commands.hpp"
#include "commands/people_commands.hpp"
#include "tests/unit/in_memory_commands.hpp"
#include "tests/support/eventually.hpp"

using namespace debrief;
using debrief::testing::eventually;
using namespace debrief::commands;

namespace {

struct Fixture : InMemoryCommands {
    explicit Fixture(std::size_t max_queued = 10'000) : InMemoryCommands(max_queued) {}

    Actor sign_up(const std::string& organization, const std::string& email) {
        auto accepted = commands::sign_up(handler, {organization, "Ada", email, "correct horse battery"}, {});
        REQUIRE(accepted.ok());
        return {UserId{accepted->id("user")}, OrganizationId{accepted->id("organization")}, "admin"};
    }
};

RegisterClientInput client_named(std::string name) {
    RegisterClientInput input;
    input.name = std::move(name);
    return input;
}

// A command on its own thread: its result once the log has answered it.
struct InFlight {
    std::optional<Result<Accepted>> result;
    std::thread thread;
    template <typename Command>
    explicit InFlight(Command command) : thread([this, command] { result.emplace(command()); }) {}
    Result<Accepted> get() {
        thread.join();
        return *result;
    }
};

}  // namespace

TEST_CASE("a command decides on top of one of its organization that is not committed yet, and both commit in order") {
    Fixture f;
    auto admin = f.sign_up("Acme", "ada@example.com");
    const auto before = f.log.events().size();
    f.log.hold_commits();
    InFlight client([&] { return register_client(f.handler, admin, client_named("Maria"), {}); });
    REQUIRE(eventually([&] { return f.log.queued() == 1; }));
    auto pending = f.model.client_named(admin.user_id, "Maria");
    REQUIRE(pending.has_value());
    CHECK(f.model.state(*pending).exists);                 // deciders see it
    CHECK_FALSE(f.model.committed_state(*pending).exists);  // readers do not, yet

    // The note needs the client to exist: it is decided while the client's registration still waits for the log.
    InFlight note([&] { return add_note(f.handler, admin, *pending, "asked about the move", {}); });
    REQUIRE(eventually([&] { return f.log.queued() == 2; }));
    f.log.release_commits();
    auto registered = client.get();
    auto noted = note.get();
    REQUIRE(registered.ok());
    REQUIRE(noted.ok());
    CHECK(registered->position < noted->position);
    CHECK(f.model.committed_state(*pending).exists);
    auto appended = f.log.events();
    REQUIRE(appended.size() == before + 2);
    CHECK(appended[before].metadata.aggregate_id == pending->value);
    CHECK(appended[before + 1].metadata.aggregate_id == noted->id("note"));
}

TEST_CASE("when a commit fails, the commands decided on top of it fail too and nothing of them stays folded") {
    Fixture f;
    auto admin = f.sign_up("Acme", "ada@example.com");
    auto other = f.sign_up("Globex", "grace@example.com");
    const auto before = f.log.events().size();
    const auto events_folded = f.model.event_count();
    f.log.hold_commits();
    InFlight client([&] { return register_client(f.handler, admin, client_named("Maria"), {}); });
    REQUIRE(eventually([&] { return f.log.queued() == 1; }));
    auto pending = f.model.client_named(admin.user_id, "Maria");
    REQUIRE(pending.has_value());
    InFlight note([&] { return add_note(f.handler, admin, *pending, "asked about the move", {}); });
    REQUIRE(eventually([&] { return f.log.queued() == 2; }));
    InFlight elsewhere([&] { return register_client(f.handler, other, client_named("Maria"), {}); });
    REQUIRE(eventually([&] { return f.log.queued() == 3; }));

    f.log.fail_next_append();
    f.log.release_commits();
    auto registered = client.get();
    auto noted = note.get();
    auto unaffected = elsewhere.get();
    REQUIRE_FALSE(registered.ok());
    CHECK(registered.error().kind == ErrorKind::unavailable);
    REQUIRE_FALSE(noted.ok());
    CHECK(noted.error().kind == ErrorKind::unavailable);
    CHECK(noted.error().message.find("earlier command") != std::string::npos);
    REQUIRE(unaffected.ok());  // another organization's command did not depend on the failed one

    CHECK_FALSE(f.model.state(*pending).exists);
    CHECK_FALSE(f.model.client_named(admin.user_id, "Maria").has_value());
    CHECK(f.model.event_count() == events_folded + 1);
    REQUIRE(f.log.events().size() == before + 1);
    CHECK(f.log.events().back().metadata.organization_id == other.organization_id);

    // Versions stay contiguous: the same registration again starts the aggregate at 1.
    auto again = register_client(f.handler, admin, client_named("Maria"), {});
    REQUIRE(again.ok());
    CHECK(f.log.events().back().metadata.aggregate_version == 1);
}

TEST_CASE("a retry with the Idempotency-Key of a command still being committed is refused, then replayed once it is") {
    Fixture f;
    auto admin = f.sign_up("Acme", "ada@example.com");
    CommandContext keyed;
    keyed.cause.actor_id = admin.user_id;
    keyed.cause.idempotency_key = "k-1";
    f.log.hold_commits();
    InFlight first([&] { return register_client(f.handler, admin, client_named("Maria"), keyed); });
    REQUIRE(eventually([&] { return f.log.queued() == 1; }));
    auto busy = register_client(f.handler, admin, client_named("Maria"), keyed);
    REQUIRE_FALSE(busy.ok());
    CHECK(busy.error().code == "idempotency_key_in_progress");
    CHECK(busy.error().retry_after_seconds > 0);
    f.log.release_commits();
    auto accepted = first.get();
    REQUIRE(accepted.ok());
    auto replayed = register_client(f.handler, admin, client_named("Maria"), keyed);
    REQUIRE(replayed.ok());
    CHECK(replayed->replayed);
    CHECK(replayed->position == accepted->position);
}

TEST_CASE("a full queue refuses a command at once with overloaded, and folds nothing of it") {
    Fixture f(1);
    auto admin = f.sign_up("Acme", "ada@example.com");
    f.log.hold_commits();
    InFlight first([&] { return register_client(f.handler, admin, client_named("Maria"), {}); });
    REQUIRE(eventually([&] { return f.log.queued() == 1; }));
    auto refused = register_client(f.handler, admin, client_named("Lena"), {});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "overloaded");
    CHECK(refused.error().retry_after_seconds > 0);
    CHECK_FALSE(f.model.client_named(admin.user_id, "Lena").has_value());
    f.log.release_commits();
    CHECK(first.get().ok());
}

TEST_CASE("a second registration of an address whose first is still being committed is refused as taken") {
    Fixture f;
    auto admin = f.sign_up("Acme", "ada@example.com");
    f.log.hold_commits();
    InFlight first([&] { return commands::sign_up(f.handler, {"Globex", "Grace", "grace@example.com", "correct horse battery"}, {}); });
    REQUIRE(eventually([&] { return f.log.queued() == 1; }));
    CHECK_FALSE(f.model.credential_by_email("grace@example.com").has_value());  // no login before it is durable
    auto second = commands::sign_up(f.handler, {"Initech", "Grace", "Grace@Example.com", "another horse battery"}, {});
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == "email_taken");
    f.log.release_commits();
    REQUIRE(first.get().ok());
    CHECK(f.model.credential_by_email("grace@example.com").has_value());
    (void)admin;
}
