// Erasing a client reaches every copy: the topic (its sealed fields no longer open, for Debrief as for anyone), the
// PostgreSQL read model, the RocksDB documents, the write model and its snapshot, the outbox's files; and a read
// model rebuilt from the first event afterwards brings nothing back. Another client of the same group session stays.
#include <doctest/doctest.h>

#include <rocksdb/db.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "events/codec.hpp"
#include "events/keyring.hpp"
#include "events/personal_data.hpp"
#include "projections/search/word_count_merge.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string text(const json::value& value) { return std::string(value.as_string()); }

// Words only the erased client ever said or was called, and the other client's.
const std::vector<std::string> erased_words{"Oriane", "Vasquez", "zephyrine", "oriane.v@", "oriane.login@", "marmalade", "nightjar"};
const std::vector<std::string> kept_words{"Bruno Keller"};  // his client record

const std::string group_transcript =
    "Coach Dana: Welcome both. What happened this week?\n"
    "Oriane Vasquez: I finally fixed the zephyrine backlog and felt proud.\n"
    "Bruno Keller: The quokkas campaign is still stuck, I keep missing deadlines.\n"
    "Coach Dana: Oriane, could you write the zephyrine checklist by Friday?\n"
    "Oriane Vasquez: Yes, I will write the zephyrine checklist by Friday.\n"
    "Bruno Keller: I will plan the quokkas launch with my manager.\n";

std::vector<std::string> found_in(const std::string& haystack, const std::vector<std::string>& words) {
    std::vector<std::string> found;
    for (const auto& word : words)
        if (haystack.find(word) != std::string::npos) found.push_back(word);
    return found;
}

// Every row of every table of the database, as text.
std::string database_text(const std::string& url) {
    pqxx::connection connection{url};
    pqxx::nontransaction tx{connection};
    std::string all;
    for (const auto& table : tx.exec("select table_name from information_schema.tables where table_schema = 'public'")) {
        const auto name = table[0].as<std::string>();
        for (const auto& row : tx.exec("select t::text from " + tx.quote_name(name) + " t")) all += name + ": " + row[0].c_str() + "\n";
    }
    return all;
}

// Every key and value of a RocksDB directory (read-only: Debrief is stopped first).
std::string rocksdb_text(const std::filesystem::path& directory) {
    rocksdb::DB* raw = nullptr;
    rocksdb::Options options;
    options.merge_operator = projections::word_count_merge_operator();  // the suggestions' counts
    auto status = rocksdb::DB::OpenForReadOnly(options, directory.string(), &raw);
    REQUIRE_MESSAGE(status.ok(), directory.string() << ": " << status.ToString());
    std::unique_ptr<rocksdb::DB> db(raw);
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions{}));
    std::string all;
    for (it->SeekToFirst(); it->Valid(); it->Next()) all += it->key().ToString() + " " + it->value().ToString() + "\n";
    return all;
}

// The events topic as Debrief itself can read it now: every sealed field opened with the keys that are left.
std::string decrypted_topic_text(const Deployment& deployment) {
    const auto keys = deployment_keys(deployment);
    std::string all;
    for (const auto& record : read_topic(deployment.events_topic)) {
        all += record.value + "\n";  // the bytes as an integrator has them
        auto event = events::decode(record.value, keys.get());
        REQUIRE_MESSAGE(event.ok(), event.error().code);
        auto collect = [&](const std::string&, std::string& value) { all += value + "\n"; };
        std::visit([&](auto& e) { events::personal_data::plan(e, collect); }, event->payload);
    }
    return all;
}

std::string files_text(const std::filesystem::path& directory) {
    std::string all;
    if (!std::filesystem::exists(directory)) return all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(directory)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        all += std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()) + "\n";
    }
    return all;
}

std::string with_database(const std::string& url, const std::string& database) {
    auto slash = url.rfind('/');
    return url.substr(0, slash + 1) + database;
}

}  // namespace

TEST_CASE("erasing a client leaves nothing of them in any store, the topic or the outbox, even after a rebuild; the other client stays") {
    Deployment deployment("erasure");
    auto debrief = std::make_unique<DebriefProcess>(deployment);
    auto client = debrief->client();
    auto admin = sign_up(client, "Erasure Coaching");
    const auto& token = admin.access_token;

    auto oriane = client.post_json("/v1/clients", json::object{{"name", "Oriane Vasquez"}, {"email", "oriane.v@example.com"}, {"tags", json::array{"nightjar"}}}, token);
    REQUIRE_MESSAGE(oriane.status == 201, oriane.body);
    const auto oriane_id = text(oriane.json().at("id"));
    auto bruno = client.post_json("/v1/clients", json::object{{"name", "Bruno Keller"}}, token);
    REQUIRE_MESSAGE(bruno.status == 201, bruno.body);
    const auto bruno_id = text(bruno.json().at("id"));

    // Oriane has a login of her own (role client): it goes with her.
    auto login_invite = client.post_json("/v1/users", json::object{{"name", "Oriane Vasquez"}, {"email", "oriane.login@example.com"}, {"role", "client"},
                                                                   {"password", "client password 123"}, {"client_id", oriane_id}},
                                         token);
    REQUIRE_MESSAGE(login_invite.status == 201, login_invite.body);
    auto client_login = [&] {
        return client.post_json("/v1/auth/login", json::object{{"email", "oriane.login@example.com"}, {"password", "client password 123"}}).status;
    };
    REQUIRE(client_login() == 200);

    auto session = client.post_json("/v1/sessions", session_body("plain", group_transcript, "2026-11-20", "group_workshop"), token);
    REQUIRE_MESSAGE(session.status == 201, session.body);
    const auto session_id = text(session.json().at("id"));
    auto summaries = client.get("/v1/sessions/" + session_id + "/summaries?position=" + text(session.json().at("position")) + "&wait_ms=20000", token);
    REQUIRE_MESSAGE(summaries.status == 200, summaries.body);
    std::string oriane_summary;
    const auto summary_list = summaries.json();
    for (const auto& summary : summary_list.as_array())
        if (text(summary.at("client_id")) == oriane_id) oriane_summary = text(summary.at("id"));
    REQUIRE_FALSE(oriane_summary.empty());
    auto note = client.post_json("/v1/notes", json::object{{"client_id", oriane_id}, {"text", "Asked about the marmalade project"}}, token);
    REQUIRE_MESSAGE(note.status == 201, note.body);
    REQUIRE(client.post_json("/v1/summaries/" + oriane_summary + "/approve", json::object{}, token).status == 200);
    auto drafted = client.post_json("/v1/follow-ups", json::object{{"summary_id", oriane_summary}}, token);
    REQUIRE_MESSAGE(drafted.status == 201, drafted.body);
    const auto follow_up_id = text(drafted.json().at("id"));
    REQUIRE(client.post_json("/v1/follow-ups/" + follow_up_id + "/send", json::object{}, token).status == 200);
    const auto outbox = deployment.directory / "data" / "outbox";
    REQUIRE(eventually(std::chrono::seconds(20), [&] { return std::filesystem::exists(outbox / (follow_up_id + ".eml")); }));
    REQUIRE(eventually(std::chrono::seconds(20), [&] {
        auto read = client.get("/v1/follow-ups/" + follow_up_id, token);
        return read.status == 200 && text(read.json().at("status")) == "sent";
    }));

    // Before: the words are there, so the searches below can fail.
    CHECK(found_in(database_text(deployment.postgres_url), erased_words).size() >= 4);
    CHECK_FALSE(found_in(decrypted_topic_text(deployment), erased_words).empty());
    CHECK_FALSE(found_in(files_text(outbox), {"Oriane"}).empty());
    // The compacted view (the newest record of each key), which is what the log cleaner leaves on the broker's disks
    // within max.compaction.lag.ms (events/kafka_event_log.cpp).
    auto credentials_text = [&] {
        std::map<std::pair<int, std::string>, std::string> newest;
        for (const auto& record : read_topic(deployment.credentials_topic)) newest[{record.partition, record.key}] = record.value;
        std::string all;
        for (const auto& [key, value] : newest) all += value + "\n";
        return all;
    };
    CHECK(found_in(credentials_text(), {"oriane.login@"}).size() == 1);

    // Only an admin erases; the answer carries the position of the erasure.
    auto coach_invite = client.post_json("/v1/users", json::object{{"name", "Cody Coach"}, {"email", "cody@erasure.example"}, {"role", "coach"},
                                                                   {"password", "coach password 123"}},
                                         token);
    REQUIRE(coach_invite.status == 201);
    auto coach_login = client.post_json("/v1/auth/login", json::object{{"email", "cody@erasure.example"}, {"password", "coach password 123"}});
    CHECK(client.post_json("/v1/clients/" + oriane_id + "/erase", json::object{}, text(coach_login.json().at("access_token"))).status == 403);
    auto erased = client.post_json("/v1/clients/" + oriane_id + "/erase", json::object{}, token);
    REQUIRE_MESSAGE(erased.status == 200, erased.body);
    const auto position = text(erased.json().at("position"));
    CHECK(client.get("/v1/clients/" + oriane_id + "?position=" + position + "&wait_ms=20000", token).status == 404);
    CHECK(client.post_json("/v1/clients/" + oriane_id + "/erase", json::object{}, token).status == 409);
    CHECK(client.post_json("/v1/notes", json::object{{"client_id", oriane_id}, {"text", "again"}}, token).status >= 400);
    CHECK(client.get("/v1/clients/" + bruno_id + "?position=" + position, token).status == 200);
    auto transcript = client.get("/v1/sessions/" + session_id + "/transcript?position=" + position + "&wait_ms=20000", token);
    REQUIRE(transcript.status == 200);
    CHECK(found_in(transcript.body, erased_words).empty());
    CHECK(found_in(transcript.body, {"quokkas"}).size() == 1);  // Bruno's turns stay
    auto searched = client.get("/v1/search?q=zephyrine%20Oriane%20marmalade&position=" + position + "&wait_ms=20000", token);
    REQUIRE_MESSAGE(searched.status == 200, searched.body);
    CHECK(searched.json().at("total").as_int64() == 0);
    auto kept = client.get("/v1/search?q=quokkas&position=" + position + "&wait_ms=20000", token);
    REQUIRE_MESSAGE(kept.status == 200, kept.body);
    CHECK(kept.json().at("total").as_int64() >= 2);  // Bruno's two turns, and what his summary says of them

    // After: nowhere, not in the database, the topic (as Debrief can open it now), the outbox, the local stores.
    const auto database_after = database_text(deployment.postgres_url);
    CHECK(found_in(database_after, erased_words) == std::vector<std::string>{});
    CHECK(found_in(database_after, kept_words) == kept_words);
    CHECK(found_in(decrypted_topic_text(deployment), erased_words) == std::vector<std::string>{});
    CHECK(found_in(files_text(outbox), erased_words) == std::vector<std::string>{});
    CHECK(found_in(credentials_text(), erased_words) == std::vector<std::string>{});  // the newest record of her login is a tombstone
    CHECK(client_login() == 401);
    REQUIRE(debrief->stop() == 0);
    CHECK(found_in(rocksdb_text(deployment.directory / "data" / "search"), erased_words) == std::vector<std::string>{});
    CHECK(found_in(rocksdb_text(deployment.directory / "data" / "search"), {"quokkas"}).size() == 1);
    if (std::filesystem::exists(deployment.directory / "data" / "write-model"))
        CHECK(found_in(rocksdb_text(deployment.directory / "data" / "write-model"), erased_words) == std::vector<std::string>{});

    // A rebuild from the first event, into a fresh database and data directory, brings nothing back.
    const std::string fresh = deployment.database + "_rebuilt";
    {
        pqxx::connection connection{deployment.maintenance_url};
        pqxx::nontransaction tx{connection};
        tx.exec("create database " + tx.quote_name(fresh));
    }
    const auto fresh_url = with_database(deployment.postgres_url, fresh);
    DebriefProcess rebuilt(deployment, {{"DEBRIEF_POSTGRES_URL", fresh_url},
                                        {"DEBRIEF_DATA_DIR", (deployment.directory / "data-rebuilt").string()},
                                        {"DEBRIEF_POSTGRES_PROJECTOR_GROUP", "it." + deployment.name + ".rebuilt"}});
    auto again = rebuilt.client();
    auto login = again.post_json("/v1/auth/login", json::object{{"email", admin.email}, {"password", admin.password}});
    REQUIRE(login.status == 200);
    const auto fresh_token = text(login.json().at("access_token"));
    CHECK(again.get("/v1/clients/" + bruno_id + "?position=" + position + "&wait_ms=30000", fresh_token).status == 200);
    CHECK(again.get("/v1/clients/" + oriane_id, fresh_token).status == 404);
    auto rebuilt_transcript = again.get("/v1/sessions/" + session_id + "/transcript?position=" + position + "&wait_ms=30000", fresh_token);
    REQUIRE(rebuilt_transcript.status == 200);
    CHECK(found_in(rebuilt_transcript.body, erased_words).empty());
    const auto rebuilt_database = database_text(fresh_url);
    CHECK(found_in(rebuilt_database, erased_words) == std::vector<std::string>{});
    CHECK(found_in(rebuilt_database, kept_words) == kept_words);
    REQUIRE(rebuilt.stop() == 0);
    CHECK(found_in(rocksdb_text(deployment.directory / "data-rebuilt" / "search"), erased_words) == std::vector<std::string>{});
    {
        pqxx::connection connection{deployment.maintenance_url};
        pqxx::nontransaction tx{connection};
        tx.exec("drop database if exists " + tx.quote_name(fresh) + " with (force)");
    }
}
