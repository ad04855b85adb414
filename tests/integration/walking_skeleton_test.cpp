// One coaching session end to end on the real services: HTTP, Kafka, PostgreSQL and RocksDB, as a client sees it.
#include <doctest/doctest.h>

#include <set>
#include <stdexcept>

#include "events/codec.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

const std::string plain_transcript =
    "[00:00:00] Coach Sam: Good morning Maria, how did the week go?\n"
    "[00:00:06] Maria Lopez: Better than last week. I closed two escalations without help.\n"
    "[00:00:14] Coach Sam: That is a real win. What got in the way?\n"
    "[00:00:19] Maria Lopez: Time management. I keep answering chat while on calls,\n"
    "and then my notes are late.\n"
    "[00:00:31] Coach Sam: Let us try blocking chat during calls. Can you do that by Friday?\n"
    "[00:00:40] Maria Lopez: Yes, I will.\n";

const std::string webvtt_transcript =
    "WEBVTT\n\n"
    "1\n00:00:01.000 --> 00:00:04.500\n<v Coach Sam>Welcome back, team.\n\n"
    "2\n00:00:05.000 --> 00:00:09.000\n<v Priya>I finished the &amp; CSAT review early.\n\n"
    "3\n00:00:09.500 --> 00:00:12.000\nJon: Same here.\n";

std::string session_target(const std::string& id, const std::string& position, const std::string& suffix = "") {
    return "/v1/sessions/" + id + suffix + "?position=" + position + "&wait_ms=20000";
}

const json::object& participant(const json::array& participants, const std::string& name) {
    for (const auto& p : participants)
        if (p.as_object().at("name").as_string() == name) return p.as_object();
    FAIL("no participant named " << name);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("sign up, log in, create a session and read it back from PostgreSQL and RocksDB with read-your-writes") {
    Deployment deployment("skeleton");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();

    CHECK(client.get("/healthz").status == 200);
    CHECK(eventually(std::chrono::seconds(30), [&] { return client.get("/readyz").status == 200; }));

    auto account = sign_up(client, "Northwind Coaching");
    auto login = client.post_json("/v1/auth/login", json::object{{"email", account.email}, {"password", account.password}});
    REQUIRE(login.status == 200);
    auto token = std::string(login.json().at("access_token").as_string());
    CHECK(!login.json().at("refresh_token").as_string().empty());
    auto refreshed = client.post_json("/v1/auth/refresh", json::object{{"refresh_token", account.refresh_token}});
    CHECK(refreshed.status == 200);

    auto created = client.post_json("/v1/sessions", session_body("plain", plain_transcript), token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto id = std::string(created.json().at("id").as_string());
    auto position = std::string(created.json().at("position").as_string());
    CHECK(created.header("location") == "/v1/sessions/" + id);

    // No polling here: the position makes the query wait until the projector has applied the command's events.
    auto session = client.get(session_target(id, position), token);
    REQUIRE_MESSAGE(session.status == 200, session.body);
    auto body = session.json().as_object();
    CHECK(body.at("id").as_string() == id);
    CHECK(body.at("status").as_string() == "analysed");
    CHECK(body.at("session_date").as_string() == "2026-11-20");
    CHECK(body.at("session_type").as_string() == "individual");
    auto participants = body.at("participants").as_array();
    REQUIRE(participants.size() == 2);
    CHECK(participants[0].as_object().at("name").as_string() == "Coach Sam");
    const auto& coach = participant(participants, "Coach Sam");
    const auto& maria = participant(participants, "Maria Lopez");
    // Coach: 8 + 10 + 13 words; Maria: 10 + 15 (two lines of one turn) + 3 words.
    CHECK(coach.at("word_count").as_int64() == 31);
    CHECK(maria.at("word_count").as_int64() == 28);
    // Each turn lasts until the next starts: coach 6 + 5 + 9 s; Maria 8 + 12 + her last line's estimate (3 words / 2.5 w/s).
    CHECK(coach.at("speaking_seconds").to_number<double>() == doctest::Approx(20.0));
    CHECK(maria.at("speaking_seconds").to_number<double>() == doctest::Approx(21.2));

    auto transcript = client.get(session_target(id, position, "/transcript"), token);
    REQUIRE_MESSAGE(transcript.status == 200, transcript.body);
    auto document = transcript.json().as_object();
    CHECK(document.at("format").as_string() == "plain");
    CHECK(document.at("text").as_string() == plain_transcript);
    auto segments = document.at("segments").as_array();
    REQUIRE(segments.size() == 6);
    CHECK(segments[3].as_object().at("speaker").as_string() == "Maria Lopez");
    CHECK(segments[3].as_object().at("text").as_string() ==
          "Time management. I keep answering chat while on calls, and then my notes are late.");
    CHECK(segments[3].as_object().at("start").to_number<double>() == doctest::Approx(19.0));
    CHECK(segments[3].as_object().at("end").to_number<double>() == doctest::Approx(31.0));

    {  // Analysis started by itself: Maria has a draft summary with what she said and committed to.
        auto summaries = client.get(session_target(id, position, "/summaries"), token);
        REQUIRE_MESSAGE(summaries.status == 200, summaries.body);
        auto list = summaries.json().as_array();
        REQUIRE(list.size() == 1);
        auto summary = list[0].as_object();
        INFO("summary: " << summaries.body);
        CHECK(summary.at("client_name").as_string() == "Maria Lopez");
        CHECK(summary.at("client_id").as_string() == participant(participants, "Maria Lopez").at("client_id").as_string());
        CHECK(summary.at("status").as_string() == "draft");
        CHECK(summary.at("version").as_int64() == 1);
        CHECK_FALSE(summary.at("wins").as_array().empty());
        CHECK_FALSE(summary.at("challenges").as_array().empty());
        REQUIRE_FALSE(summary.at("action_items").as_array().empty());
        // "Can you do that by Friday?" on Friday 2026-11-20: due the next Friday, owned by Maria.
        auto item = summary.at("action_items").as_array()[0].as_object();
        CHECK(item.at("due_date").as_string() == "2026-11-27");
        CHECK(item.at("owner_id").as_string() == summary.at("client_id").as_string());
    }

    {  // A WebVTT transcript with voice tags and Name: cues (one process serves every step of this test).
        auto vtt = client.post_json("/v1/sessions", session_body("webvtt", webvtt_transcript, "2026-11-21", "group_workshop"), token);
        REQUIRE_MESSAGE(vtt.status == 201, vtt.body);
        auto vtt_id = std::string(vtt.json().at("id").as_string());
        auto vtt_position = std::string(vtt.json().at("position").as_string());
        auto read = client.get(session_target(vtt_id, vtt_position), token);
        REQUIRE(read.status == 200);
        auto people = read.json().at("participants").as_array();
        REQUIRE(people.size() == 3);
        CHECK(participant(people, "Coach Sam").at("speaking_seconds").to_number<double>() == doctest::Approx(3.5));
        CHECK(participant(people, "Priya").at("word_count").as_int64() == 7);
        CHECK(participant(people, "Jon").at("word_count").as_int64() == 2);
        auto segments_read = client.get(session_target(vtt_id, vtt_position, "/transcript"), token);
        REQUIRE(segments_read.status == 200);
        CHECK(segments_read.json().at("segments").as_array()[1].as_object().at("text").as_string() == "I finished the & CSAT review early.");
    }

    {  // Another organization cannot see the session.
        auto other = sign_up(client, "Contoso");
        CHECK(client.get(session_target(id, position), other.access_token).status == 404);
        CHECK(client.get(session_target(id, position, "/transcript"), other.access_token).status == 404);
    }
}

TEST_CASE("the events are on the topic, keyed by organization, with CloudEvents headers and FlatBuffers payloads") {
    Deployment deployment("topic");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto account = sign_up(client, "Fabrikam");
    auto created = client.post_json("/v1/sessions", session_body("plain", plain_transcript), account.access_token);
    REQUIRE(created.status == 201);
    auto id = std::string(created.json().at("id").as_string());
    auto position = events::parse_position(created.json().at("position").as_string());
    REQUIRE(position.has_value());

    auto records = read_topic(deployment.events_topic);
    REQUIRE(records.size() == 8);
    std::vector<std::string> types;
    std::set<std::string> event_ids;
    const auto keys = deployment_keys(deployment);
    for (const auto& record : records) {
        // Personal data is sealed: no name, e-mail address or word of the transcript is on the topic in clear.
        for (const std::string& personal : {std::string("Maria Lopez"), account.email, std::string("escalation")})
            CHECK_MESSAGE(record.value.find(personal) == std::string::npos, personal << " in clear at offset " << record.offset);
        CHECK(record.key == account.organization_id);
        CHECK(record.partition == records.front().partition);
        CHECK(record.headers.at("ce_specversion") == "1.0");
        CHECK(record.headers.at("ce_source") == "/debrief/organizations/" + account.organization_id);
        CHECK(record.headers.at("content-type").starts_with("application/x-flatbuffers"));
        CHECK(record.headers.at("ce_time").size() == 24);  // 2026-11-23T10:00:00.000Z
        CHECK(record.headers.at("ce_time").ends_with("Z"));
        CHECK(record.value.find("$argon2id$") == std::string::npos);  // password hashes never reach the public topic
        auto event = events::decode(record.value, keys.get());
        REQUIRE_MESSAGE(event.ok(), "undecodable record at offset " << record.offset);
        CHECK(event->metadata.unopened_seals.empty());
        CHECK(record.headers.at("ce_type") == events::type_name(event->payload));
        CHECK(record.headers.at("ce_id") == event->metadata.event_id);
        CHECK(record.headers.at("ce_subject") == std::string(events::aggregate_type(event->payload)) + "/" + event->metadata.aggregate_id);
        CHECK(event->metadata.organization_id.value == account.organization_id);
        event_ids.insert(event->metadata.event_id);
        types.push_back(record.headers.at("ce_type"));
    }
    CHECK(event_ids.size() == records.size());
    // Maria is no client yet: the parse registers her, in the same transaction.
    CHECK(types == std::vector<std::string>{"debrief.organization.created", "debrief.user.registered", "debrief.session.created",
                                            "debrief.session.transcript_uploaded", "debrief.session.transcript_parsed",
                                            "debrief.client.registered", "debrief.summary.drafted", "debrief.session.analysed"});
    // The command's position is the last event it appended.
    CHECK(records.back().partition == position->partition);
    CHECK(records.back().offset == position->offset);

    auto session_created = events::decode(records[2].value, keys.get()).value();
    const auto& created_payload = std::get<events::SessionCreated>(session_created.payload);
    CHECK(created_payload.session_id.value == id);
    CHECK(created_payload.coach_id.value == account.user_id);
    CHECK(created_payload.session_date == "2026-11-20");
    CHECK(session_created.metadata.aggregate_version == 1);
    CHECK(session_created.metadata.cause.actor_id.value == account.user_id);
    auto uploaded = events::decode(records[3].value, keys.get()).value();
    CHECK(std::get<events::TranscriptUploaded>(uploaded.payload).text == plain_transcript);
    // An integrator (no keys) reads the same event with the text empty and the seal's subject named.
    auto as_integrator = events::decode(records[3].value, nullptr).value();
    CHECK(std::get<events::TranscriptUploaded>(as_integrator.payload).text.empty());
    CHECK(as_integrator.metadata.unopened_seals == std::vector<std::string>{"session:" + id});
    CHECK(std::get<events::TranscriptUploaded>(as_integrator.payload).format == std::get<events::TranscriptUploaded>(uploaded.payload).format);
    CHECK(uploaded.metadata.aggregate_version == 2);
    auto parsed = events::decode(records[4].value, keys.get()).value();
    const auto& parsed_payload = std::get<events::TranscriptParsed>(parsed.payload);
    CHECK(parsed.metadata.aggregate_version == 3);
    CHECK(parsed_payload.timed);
    REQUIRE(parsed_payload.participants.size() == 2);
    CHECK(parsed_payload.participants[1].name == "Maria Lopez");
    CHECK(parsed_payload.participants[1].turn_count == 3);
    CHECK(parsed_payload.participants[0].is_coach);
    auto registered = events::decode(records[5].value, keys.get()).value();
    CHECK(std::get<events::ClientRegistered>(registered.payload).client_id == parsed_payload.participants[1].client_id);
    CHECK(std::get<events::ClientRegistered>(registered.payload).source == "transcript");
    CHECK(parsed_payload.segments.size() == 6);

    // Login credentials live on their own topic, keyed by user, and so does the sign-up's login session (keyed by
    // session, so maybe on another partition).
    auto credentials = read_topic(deployment.credentials_topic);
    REQUIRE(credentials.size() == 2);
    std::optional<events::LoginSessionRecord> login;
    int credential_records = 0;
    for (const auto& record : credentials) {
        auto stored = events::decode_private(record.value, nullptr);
        REQUIRE(stored.ok());
        if (const auto* credential = std::get_if<events::Credential>(&stored.value())) {
            ++credential_records;
            CHECK(record.key == account.user_id);
            CHECK(credential->password_hash.rfind("$argon2id$", 0) == 0);
        } else if (const auto* session = std::get_if<events::LoginSessionRecord>(&stored.value())) {
            login = *session;
            CHECK(record.key == "login-session:" + session->session_id);
        }
    }
    CHECK(credential_records == 1);
    REQUIRE(login.has_value());
    CHECK(login->user_id.value == account.user_id);
    CHECK(login->generation == 1);
    // The public topic holds no trace of it.
    for (const auto& record : records) CHECK(record.value.find(login->session_id) == std::string::npos);
}

TEST_CASE("an Idempotency-Key returns the first answer, also after a restart, and a stale If-Match is a 409") {
    Deployment deployment("idempotency");
    auto first = std::make_unique<DebriefProcess>(deployment);
    auto account = sign_up(first->client(), "Tailspin");
    const Headers key{{"Idempotency-Key", "create-weekly-review-42"}};
    auto created = first->client().post_json("/v1/sessions", session_body("plain", plain_transcript), account.access_token, key);
    REQUIRE(created.status == 201);
    auto id = created.json().at("id").as_string();
    auto appended = total_records(deployment.events_topic);

    auto again = first->client().post_json("/v1/sessions", session_body("plain", plain_transcript), account.access_token, key);
    CHECK(again.status == 201);
    CHECK(again.json().at("id").as_string() == id);
    CHECK(again.header("idempotent-replayed") == "true");
    CHECK(total_records(deployment.events_topic) == appended);

    // A graceful stop exits 0; the next process rebuilds its state, idempotency keys included, from the log.
    CHECK(first->stop() == 0);
    first.reset();
    DebriefProcess second(deployment);
    auto after_restart = second.client().post_json("/v1/sessions", session_body("plain", plain_transcript), account.access_token, key);
    CHECK(after_restart.status == 201);
    CHECK(after_restart.json().at("id").as_string() == id);
    CHECK(total_records(deployment.events_topic) == appended);
    auto read = second.client().get(session_target(std::string(id), std::string(created.json().at("position").as_string())), account.access_token);
    CHECK(read.status == 200);

    // A new session is at version 0: expecting any other version is a conflict, and nothing is appended.
    auto stale = second.client().post_json("/v1/sessions", session_body("plain", plain_transcript), account.access_token, {{"If-Match", "\"3\""}});
    CHECK(stale.status == 409);
    CHECK(stale.json().at("code").as_string() == "version_conflict");
    CHECK(total_records(deployment.events_topic) == appended);
}
