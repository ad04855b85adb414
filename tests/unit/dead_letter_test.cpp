// Dead letters: ids that survive a round trip, errors that never quote what they refused, and which failures are the
// event's (dead-lettered) and which the database's (retried).
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "projections/dead_letter.hpp"
#include "projections/postgres/database_failure.hpp"

using namespace debrief;
using namespace debrief::projections;

TEST_CASE("a dead letter's id is projector:partition:offset and parses back; anything else is not an id") {
    events::Record record{"org-1", "bytes", {{"ce_type", "debrief.note.added"}, {"ce_id", "evt-1"}}, {3, 42}};
    auto letter = dead_letter_of(record, "postgres", "debrief.events", "boom", 1'800'000'000'000);
    CHECK(letter.id() == "postgres:3:42");
    CHECK(letter.organization_id == "org-1");
    CHECK(letter.event_type == "debrief.note.added");
    CHECK(letter.event_id == "evt-1");
    auto key = parse_dead_letter_id(letter.id());
    REQUIRE(key);
    CHECK(key->projector == "postgres");
    CHECK(key->partition == 3);
    CHECK(key->offset == 42);
    for (auto bad : {"", "postgres", "postgres:1", ":1:2", "postgres:x:2", "postgres:1:2x", "postgres:-1:2", "postgres:1:", "postgres::2"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_dead_letter_id(bad));
    }
}

TEST_CASE("an error is described by its first line, with every quoted value replaced, in printable UTF-8") {
    CHECK(describe_failure("ERROR:  invalid input syntax for type date: \"my secret\"\nDETAIL: more") ==
          "ERROR:  invalid input syntax for type date: \"…\"");
    CHECK(describe_failure("duplicate key value violates unique constraint: Key (email)=(ada@example.com) exists") ==
          "duplicate key value violates unique constraint: Key (…)=(…) exists");
    CHECK(describe_failure("value 'private note' too long") == "value '…' too long");
    CHECK(describe_failure("unterminated \"quote with a secret") == "unterminated \"…");
    CHECK(describe_failure(std::string(1000, 'x')).size() <= 400);
    auto scrubbed = describe_failure("bad\x01\x7f byte \xff");
    CHECK(scrubbed.find('\x01') == std::string::npos);
    CHECK(scrubbed.find('\xff') == std::string::npos);
    events::Record hostile{"org\n\x01", "", {{"ce_type", "type\xC0\xAF"}}, {0, 0}};
    auto letter = dead_letter_of(hostile, "rocksdb", "t", "e", 0);
    CHECK(letter.organization_id == "org??");
    CHECK(letter.event_type == "type??");
}

namespace {
FailureCause cause_of(const std::function<void()>& thrower) {
    try {
        thrower();
    } catch (...) {
        return classify_current_exception();
    }
    FAIL("nothing was thrown");
    return FailureCause::database;
}
}  // namespace

TEST_CASE("connection losses, serialization failures and deadlocks are retried; data and integrity errors are the event's") {
    CHECK(cause_of([] { throw pqxx::broken_connection("gone"); }) == FailureCause::transient);
    CHECK(cause_of([] { throw pqxx::serialization_failure("could not serialize access"); }) == FailureCause::transient);
    CHECK(cause_of([] { throw pqxx::deadlock_detected("deadlock detected"); }) == FailureCause::transient);
    CHECK(cause_of([] { throw pqxx::sql_error("admin shutdown", "", "57P01"); }) == FailureCause::transient);
    CHECK(cause_of([] { throw pqxx::sql_error("cannot connect now", "", "57P03"); }) == FailureCause::transient);
    CHECK(cause_of([] { throw pqxx::sql_error("too many", "", "53300"); }) == FailureCause::transient);
    CHECK(cause_of([] { throw pqxx::data_exception("unsupported Unicode escape", "", "22P05"); }) == FailureCause::event);
    CHECK(cause_of([] { throw pqxx::sql_error("check violation", "", "23514"); }) == FailureCause::event);
    CHECK(cause_of([] { throw std::out_of_range("an applier's own check"); }) == FailureCause::event);
    // A missing table or privilege is nobody's event: dead-lettering every event would empty the read model.
    CHECK(cause_of([] { throw pqxx::sql_error("relation does not exist", "", "42P01"); }) == FailureCause::database);
    CHECK(cause_of([] { throw pqxx::sql_error("permission denied", "", "42501"); }) == FailureCause::database);
    CHECK(cause_of([] { throw pqxx::sql_error("in failed transaction", "", "25P02"); }) == FailureCause::database);
}
