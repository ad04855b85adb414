// Poison events on the real services: records a read model cannot apply are dead-lettered (topic, table, admin
// route) and every projector goes on, for the same organization and partition; a retry applies one after a fix.
#include <doctest/doctest.h>

#include "events/codec.hpp"
#include "events/kafka_event_log.hpp"
#include "tests/integration/command_stream.hpp"
#include "tests/integration/consistency_checker.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string text(const json::value& value) { return std::string(value.as_string()); }

// A refinement whose text PostgreSQL's jsonb cannot hold (\u0000): what an earlier build let through.
events::Event refinement_with_nul(const std::string& organization) {
    events::SummaryContent after;
    after.wins = {std::string("PRIVATE-WIN\0TEXT", 16)};
    return {{"poison-event-1", OrganizationId{organization}, "summary-poison", 2, 1'800'000'000'000, {}},
            events::SummaryRefined{SummaryId{"summary-poison"}, "add win", "done", {}, after, "builtin"}};
}

// A writer of the deployment's events topic with its own transactional id: appends what Debrief itself would refuse.
json::array dead_letters(const HttpClient& client, const std::string& token) {
    auto listed = client.get("/v1/admin/dead-letters", token);
    REQUIRE_MESSAGE(listed.status == 200, listed.body);
    return listed.json().as_array();
}

std::size_t count_of(const json::array& letters, const std::string& projector) {
    return static_cast<std::size_t>(std::count_if(letters.begin(), letters.end(), [&](const json::value& l) { return text(l.at("projector")) == projector; }));
}

}  // namespace

TEST_CASE("a poison event is dead-lettered by every projector, which go on; an admin lists it and retries it after a fix") {
    Deployment deployment("poison");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto acme = sign_up(client, "Acme Poison");
    auto other = sign_up(client, "Other Org");

    // Two poison records keyed like Acme's events, so they sit in Acme's partition: bytes that are no envelope, and
    // a valid envelope that PostgreSQL refuses.
    produce_raw(deployment.events_topic, acme.organization_id, "this is not a FlatBuffers envelope");
    auto poisoner = other_writer(deployment, "poisoner");
    auto poison = std::vector<events::Event>{refinement_with_nul(acme.organization_id)};
    auto appended = poisoner->append(poison);
    REQUIRE(appended.ok());

    // Acme's next write, behind the poison in the same partition, is read back at once by both read models.
    auto registered = client.post_json("/v1/clients", json::object{{"name", "Maria Lopez"}}, acme.access_token);
    REQUIRE_MESSAGE(registered.status == 201, registered.body);
    auto position = text(registered.json().at("position"));
    auto clients = client.get("/v1/clients?position=" + position + "&wait_ms=20000", acme.access_token);
    REQUIRE_MESSAGE(clients.status == 200, clients.body);
    CHECK(clients.json().as_array().size() == 1);
    auto client_id = text(registered.json().at("id"));

    // Both projectors set the envelope-less record aside; PostgreSQL also the one it could not store.
    json::array letters;
    REQUIRE(eventually(std::chrono::seconds(20), [&] {
        letters = dead_letters(client, acme.access_token);
        return count_of(letters, "postgres") == 2 && count_of(letters, "rocksdb") == 1;
    }));
    for (const auto& letter : letters) {
        const auto& l = letter.as_object();
        for (auto field : {"id", "projector", "topic", "partition", "offset", "event_type", "error", "at"}) CHECK(l.contains(field));
        CHECK(text(l.at("topic")) == deployment.events_topic);
        CHECK(text(l.at("error")).find("PRIVATE") == std::string::npos);
    }
    auto refused_event = std::find_if(letters.begin(), letters.end(), [](const json::value& l) {
        return text(l.at("event_type")) == "debrief.summary.refined";
    });
    REQUIRE(refused_event != letters.end());
    CHECK(refused_event->at("offset").as_int64() == appended->front().offset);
    CHECK(dead_letters(client, other.access_token).empty());  // another organization's admins see nothing of it
    CHECK(query_number(deployment, "select count(*) from projection_dead_letters where organization_id = $1", {acme.organization_id}) == 2);

    // The dead-letter topic holds each with where it came from (Kafka Connect's convention).
    auto dlq = read_topic(deployment.events_topic + ".dlq");
    REQUIRE(dlq.size() >= 3);  // at least once: a crash between publishing and committing publishes again
    for (const auto& record : dlq) {
        CHECK(record.key == acme.organization_id);
        CHECK(record.headers.at("debrief_dlq_topic") == deployment.events_topic);
        CHECK(record.headers.count("debrief_dlq_partition") == 1);
        CHECK(record.headers.count("debrief_dlq_offset") == 1);
        CHECK(record.headers.count("debrief_dlq_error") == 1);
        auto projector = record.headers.at("debrief_dlq_projector");
        CHECK((projector == "postgres" || projector == "rocksdb"));
    }

    // Retrying what still cannot be applied fails and keeps it; only admins may; unknown ids are 404.
    auto again = client.post_json("/v1/admin/dead-letters/" + text(refused_event->at("id")) + "/retry", json::object{}, acme.access_token);
    CHECK(again.status == 409);
    CHECK(text(again.json().at("code")) == "dead_letter_failed");
    CHECK(client.post_json("/v1/admin/dead-letters/postgres:0:999999/retry", json::object{}, acme.access_token).status == 404);
    CHECK(client.post_json("/v1/admin/dead-letters/" + text(refused_event->at("id")) + "/retry", json::object{}, other.access_token).status == 404);

    // A fault of the read model's own (a bad constraint) dead-letters a good note; after the fix, a retry applies it.
    execute(deployment, "alter table notes add constraint it_notes_short check (length(text) < 10)");
    auto note = client.post_json("/v1/notes", json::object{{"client_id", client_id}, {"text", "A note longer than ten characters"}}, acme.access_token);
    REQUIRE_MESSAGE(note.status == 201, note.body);
    auto prep = client.get("/v1/clients/" + client_id + "/prep?position=" + text(note.json().at("position")) + "&wait_ms=20000", acme.access_token);
    REQUIRE_MESSAGE(prep.status == 200, prep.body);
    CHECK(prep.json().at("unaddressed_notes").as_array().empty());
    letters = dead_letters(client, acme.access_token);
    auto refused_note = std::find_if(letters.begin(), letters.end(), [](const json::value& l) { return text(l.at("event_type")) == "debrief.note.added"; });
    REQUIRE(refused_note != letters.end());
    execute(deployment, "alter table notes drop constraint it_notes_short");
    auto retried = client.post_json("/v1/admin/dead-letters/" + text(refused_note->at("id")) + "/retry", json::object{}, acme.access_token);
    REQUIRE_MESSAGE(retried.status == 200, retried.body);
    CHECK(text(retried.json().at("status")) == "retried");
    prep = client.get("/v1/clients/" + client_id + "/prep", acme.access_token);
    REQUIRE(prep.status == 200);
    REQUIRE(prep.json().at("unaddressed_notes").as_array().size() == 1);
    CHECK(client.post_json("/v1/admin/dead-letters/" + text(refused_note->at("id")) + "/retry", json::object{}, acme.access_token).status == 409);

    // A fault of the database itself (a table gone) is nobody's event: the batch is retried, never dead-lettered,
    // and /readyz says which read model is failing until the table is back.
    const auto letters_before = dead_letters(client, acme.access_token).size();
    execute(deployment, "alter table notes rename to it_notes_away");
    auto held = client.post_json("/v1/notes", json::object{{"client_id", client_id}, {"text", "Held while the table is away"}}, acme.access_token);
    REQUIRE_MESSAGE(held.status == 201, held.body);
    boost::json::object readiness;
    REQUIRE(eventually(std::chrono::seconds(30), [&] {
        auto ready = client.get("/readyz");
        if (ready.status != 503) return false;
        readiness = ready.json().as_object();
        return true;
    }));
    CHECK(text(readiness.at("status")) == "not_ready");
    const auto& models = readiness.at("read_models").as_array();
    auto postgres = std::find_if(models.begin(), models.end(), [](const json::value& m) { return text(m.at("name")) == "postgres"; });
    REQUIRE(postgres != models.end());
    CHECK(text(postgres->at("state")) == "failing");
    CHECK(postgres->at("lag_events").as_int64() >= 1);
    execute(deployment, "alter table it_notes_away rename to notes");
    prep = client.get("/v1/clients/" + client_id + "/prep?position=" + text(held.json().at("position")) + "&wait_ms=20000", acme.access_token);
    REQUIRE_MESSAGE(prep.status == 200, prep.body);
    CHECK(prep.json().at("unaddressed_notes").as_array().size() == 2);
    CHECK(eventually(std::chrono::seconds(20), [&] { return client.get("/readyz").status == 200; }));
    CHECK(dead_letters(client, acme.access_token).size() == letters_before);

    // The other organization was never held up, the instance stays ready, and no log line quotes the poison.
    auto other_client = client.post_json("/v1/clients", json::object{{"name", "Sam Lee"}}, other.access_token);
    REQUIRE(other_client.status == 201);
    CHECK(client.get("/v1/clients?position=" + text(other_client.json().at("position")) + "&wait_ms=20000", other.access_token).status == 200);
    CHECK(client.get("/readyz").status == 200);
    auto log = debrief.log_tail(200'000);
    CHECK(log.find("projector_dead_letter") != std::string::npos);
    CHECK(log.find("PRIVATE-WIN") == std::string::npos);
    CHECK(log.find("longer than ten") == std::string::npos);
}

TEST_CASE("poison events every few events of a steady stream, across organizations, are set aside; nothing else is lost or doubled") {
    Deployment deployment("poisonstream");
    // Batches of 20: most poison records sit in the middle of a batch, which is then applied one event at a time.
    DebriefProcess debrief(deployment, {{"DEBRIEF_PROJECTOR_BATCH_SIZE", "20"}});
    auto client = debrief.client();
    std::vector<Account> organizations;
    for (int i = 0; i < 4; ++i) organizations.push_back(sign_up(client, "Stream Poison " + std::to_string(i)));
    auto poisoner = other_writer(deployment, "poisoner");

    Ledger ledger;
    CommandStream stream(debrief.port(), organizations, ledger);
    constexpr std::size_t every = 8;
    constexpr int poisons = 12;
    for (int i = 0; i < poisons; ++i) {
        REQUIRE(eventually(std::chrono::seconds(30), [&] { return stream.acknowledged() >= (i + 1) * every; }));
        const auto& organization = organizations[static_cast<std::size_t>(i) % organizations.size()];
        if (i % 2 == 0) {
            // Bytes that are no envelope: every read model sets them aside.
            const auto value = "poison record " + std::to_string(i) + ": not a FlatBuffers envelope";
            produce_raw(deployment.events_topic, organization.organization_id, value);
            ledger.acknowledge(Kind::undecodable, value);
        } else {
            // A valid note whose text is not UTF-8: PostgreSQL refuses it (22021), RocksDB holds no notes.
            const auto note_id = "poison-note-" + std::to_string(i) + "-" + deployment.name;
            events::Event note{{"poison-event-" + std::to_string(i), OrganizationId{organization.organization_id}, note_id, 1, 1'800'000'000'000, {}},
                               events::NoteAdded{NoteId{note_id}, ClientId{"poison-client"}, UserId{organization.user_id}, "not UTF-8: \xff\xfe"}};
            auto appended = poisoner->append(std::vector<events::Event>{note});
            REQUIRE(appended.ok());
            ledger.acknowledge(Kind::note, note_id);
        }
    }
    REQUIRE(eventually(std::chrono::seconds(30), [&] { return stream.acknowledged() >= (poisons + 1) * every; }));
    stream.stop();
    const auto refusals = stream.refusals();
    CHECK_MESSAGE(stream.refused() == 0, (refusals.empty() ? std::string{} : refusals.front()));

    auto report = check_consistency(deployment, client, organizations, ledger);
    auto row = [&](const std::string& kind) {
        auto it = std::find_if(report.kinds.begin(), report.kinds.end(), [&](const KindCounts& k) { return k.kind == kind; });
        REQUIRE(it != report.kinds.end());
        return *it;
    };
    // Exactly the poison was set aside: each undecodable record by both projectors, each bad note by PostgreSQL.
    CHECK(row("undecodable records").postgres_dead == poisons / 2);
    CHECK(row("undecodable records").rocksdb_dead == poisons / 2);
    CHECK(row("notes").postgres_dead == poisons / 2);
    for (const auto& kind : {"clients", "action items", "sessions"}) CHECK(row(kind).postgres_dead == 0);
    CHECK(row("sessions").rocksdb_dead == 0);
    // Dead letters are counted, not a reason to take the instance out of service.
    CHECK(eventually(std::chrono::seconds(20), [&] { return client.get("/readyz").status == 200; }));
}
