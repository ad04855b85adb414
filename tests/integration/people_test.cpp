// Users and clients over HTTP on the real services: invites with roles, clients per coach, and the role and
// organization rules tried from every side. A refused request appends nothing.
#include <doctest/doctest.h>

#include <set>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

struct Login {
    std::string id;
    std::string token;
};

Login invite_and_log_in(const HttpClient& client, const std::string& inviter_token, json::object body) {
    static int counter = 0;
    auto email = "user" + std::to_string(++counter) + "-" + std::string(body.at("role").as_string()) + "@people.example.com";
    body["email"] = email;
    body["password"] = "a long enough password";
    if (!body.contains("name")) body["name"] = "Someone " + std::to_string(counter);
    auto invited = client.post_json("/v1/users", body, inviter_token);
    REQUIRE_MESSAGE(invited.status == 201, invited.body);
    auto login = client.post_json("/v1/auth/login", json::object{{"email", email}, {"password", "a long enough password"}});
    REQUIRE(login.status == 200);
    return {std::string(invited.json().at("id").as_string()), std::string(login.json().at("access_token").as_string())};
}

std::string code(const HttpResult& result) { return std::string(result.json().at("code").as_string()); }

std::set<std::string> listed_names(const HttpClient& client, const std::string& token, const std::string& position) {
    auto listed = client.get("/v1/clients?position=" + position + "&wait_ms=20000", token);
    REQUIRE_MESSAGE(listed.status == 200, listed.body);
    std::set<std::string> names;
    auto body = listed.json();  // kept: a range-for over a temporary's member would dangle
    for (const auto& c : body.as_array()) names.insert(std::string(c.as_object().at("name").as_string()));
    return names;
}

}  // namespace

TEST_CASE("admins and coach leads invite users; coaches register clients; every role sees only what it may") {
    Deployment deployment("people");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto admin = sign_up(client, "Harbour Coaching");
    auto lead = invite_and_log_in(client, admin.access_token, {{"role", "coach_lead"}, {"name", "Lena Lead"}});
    auto coach = invite_and_log_in(client, lead.token, {{"role", "coach"}, {"name", "Carl Coach"}});  // Lena leads Carl
    auto loner = invite_and_log_in(client, admin.access_token, {{"role", "coach"}, {"name", "Olga Other"}});

    auto maria = client.post_json("/v1/clients", json::object{{"name", "Maria Lopez"}, {"email", "maria@example.com"},
                                                              {"tags", json::array{"night shift", "new hire"}}, {"team", "Blue"}},
                                  coach.token);
    REQUIRE_MESSAGE(maria.status == 201, maria.body);
    auto maria_id = std::string(maria.json().at("id").as_string());
    auto position = std::string(maria.json().at("position").as_string());
    auto read = client.get("/v1/clients/" + maria_id + "?position=" + position + "&wait_ms=20000", coach.token);
    REQUIRE_MESSAGE(read.status == 200, read.body);
    CHECK(read.json().at("name").as_string() == "Maria Lopez");
    CHECK(read.json().at("coach_id").as_string() == coach.id);
    CHECK(read.json().at("tags").as_array() == json::array{"night shift", "new hire"});
    CHECK(read.json().at("team").as_string() == "Blue");
    CHECK(read.json().at("source").as_string() == "manual");

    // The lead registers a client for the coach they lead; the other coach cannot, nor can they see Carl's clients.
    auto jon = client.post_json("/v1/clients", json::object{{"name", "Jon Park"}, {"coach_id", coach.id}}, lead.token);
    REQUIRE_MESSAGE(jon.status == 201, jon.body);
    position = std::string(jon.json().at("position").as_string());
    const auto before_refusals = total_records(deployment.events_topic);
    auto foreign_coach = client.post_json("/v1/clients", json::object{{"name", "Eve"}, {"coach_id", coach.id}}, loner.token);
    CHECK(foreign_coach.status == 403);
    CHECK(client.get("/v1/clients/" + maria_id + "?position=" + position + "&wait_ms=20000", loner.token).status == 404);
    CHECK(listed_names(client, lead.token, position) == std::set<std::string>{"Jon Park", "Maria Lopez"});
    CHECK(listed_names(client, coach.token, position) == std::set<std::string>{"Jon Park", "Maria Lopez"});
    CHECK(listed_names(client, loner.token, position).empty());
    CHECK(listed_names(client, admin.access_token, position) == std::set<std::string>{"Jon Park", "Maria Lopez"});

    // Names are unique per coach, ignoring case and spacing: speaker matching depends on it.
    auto twin = client.post_json("/v1/clients", json::object{{"name", "maria  LOPEZ"}}, coach.token);
    CHECK(twin.status == 409);
    CHECK(code(twin) == "client_name_taken");

    // Who may invite whom.
    auto by_coach = client.post_json("/v1/users", json::object{{"name", "X"}, {"email", "x@people.example.com"}, {"role", "coach"},
                                                               {"password", "a long enough password"}},
                                     coach.token);
    CHECK(by_coach.status == 403);
    auto admin_by_lead = client.post_json("/v1/users", json::object{{"name", "Y"}, {"email", "y@people.example.com"}, {"role", "admin"},
                                                                    {"password", "a long enough password"}},
                                          lead.token);
    CHECK(admin_by_lead.status == 403);
    auto bad_role = client.post_json("/v1/users", json::object{{"name", "Z"}, {"email", "z@people.example.com"}, {"role", "owner"},
                                                               {"password", "a long enough password"}},
                                     admin.access_token);
    CHECK(bad_role.status == 422);
    CHECK(code(bad_role) == "invalid_role");
    CHECK(total_records(deployment.events_topic) == before_refusals);

    // A client login sees only its own record and manages nothing.
    auto maria_login = invite_and_log_in(client, admin.access_token, {{"role", "client"}, {"name", "Maria Lopez"}, {"client_id", maria_id}});
    auto last = client.post_json("/v1/clients", json::object{{"name", "Zed"}}, coach.token);
    REQUIRE(last.status == 201);
    position = std::string(last.json().at("position").as_string());
    CHECK(listed_names(client, maria_login.token, position) == std::set<std::string>{"Maria Lopez"});
    CHECK(client.get("/v1/clients/" + std::string(jon.json().at("id").as_string()), maria_login.token).status == 404);
    CHECK(client.post_json("/v1/clients", json::object{{"name", "Mine"}}, maria_login.token).status == 403);

    // Another organization sees nothing of this one, and cannot name its coaches.
    auto stranger = sign_up(client, "Elsewhere Ltd");
    CHECK(client.get("/v1/clients/" + maria_id + "?position=" + position + "&wait_ms=20000", stranger.access_token).status == 404);
    CHECK(listed_names(client, stranger.access_token, position).empty());
    auto cross = client.post_json("/v1/clients", json::object{{"name", "Spy"}, {"coach_id", coach.id}}, stranger.access_token);
    CHECK(cross.status == 404);
    CHECK(code(cross) == "coach_not_found");
    auto cross_lead = client.post_json("/v1/users", json::object{{"name", "Q"}, {"email", "q@people.example.com"}, {"role", "coach"},
                                                                 {"password", "a long enough password"}, {"lead_id", lead.id}},
                                       stranger.access_token);
    CHECK(cross_lead.status == 404);
}

TEST_CASE("a session's speakers are matched to the coach's clients by name or mapping; unknown speakers become clients") {
    Deployment deployment("matching");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto coach = sign_up(client, "Matchmakers");  // the admin "Ada Admin" coaches too
    auto maria = client.post_json("/v1/clients", json::object{{"name", "Maria Lopez"}}, coach.access_token);
    auto jon = client.post_json("/v1/clients", json::object{{"name", "Jon Park"}}, coach.access_token);
    REQUIRE(maria.status == 201);
    REQUIRE(jon.status == 201);
    auto maria_id = std::string(maria.json().at("id").as_string());
    auto jon_id = std::string(jon.json().at("id").as_string());

    auto body = session_body("plain",
                             "Ada: Welcome, everyone.\n"
                             "maria  lopez: Thanks, I closed my backlog.\n"
                             "J. Park: I struggled with the new tool.\n"
                             "Nia Newcomer: First time here, glad to join.\n",
                             "2026-11-20", "group_workshop");
    body["clients"] = json::object{{"J. Park", jon_id}};
    auto created = client.post_json("/v1/sessions", body, coach.access_token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto session = client.get("/v1/sessions/" + std::string(created.json().at("id").as_string()) + "?position=" +
                                  std::string(created.json().at("position").as_string()) + "&wait_ms=20000",
                              coach.access_token);
    REQUIRE_MESSAGE(session.status == 200, session.body);
    auto people = session.json().at("participants").as_array();
    REQUIRE(people.size() == 4);
    CHECK(people[0].as_object().at("role").as_string() == "coach");
    CHECK(people[0].as_object().at("client_id").is_null());
    CHECK(people[1].as_object().at("client_id").as_string() == maria_id);
    CHECK(people[2].as_object().at("client_id").as_string() == jon_id);
    auto nia_id = std::string(people[3].as_object().at("client_id").as_string());
    CHECK(nia_id != maria_id);
    CHECK(nia_id != jon_id);
    auto nia = client.get("/v1/clients/" + nia_id, coach.access_token);
    REQUIRE_MESSAGE(nia.status == 200, nia.body);
    CHECK(nia.json().at("name").as_string() == "Nia Newcomer");
    CHECK(nia.json().at("source").as_string() == "transcript");
    CHECK(nia.json().at("coach_id").as_string() == coach.user_id);

    // A mapping must name speakers of the transcript and clients of this coach; refused ones append nothing.
    const auto appended = read_topic(deployment.events_topic).size();
    auto ghost = session_body("plain", "Ada: Hi.\nMaria Lopez: Hello.\n");
    ghost["clients"] = json::object{{"Nobody", maria_id}};
    auto refused = client.post_json("/v1/sessions", ghost, coach.access_token);
    CHECK(refused.status == 422);
    CHECK(refused.json().at("code").as_string() == "unknown_speaker");
    auto stranger = sign_up(client, "Elsewhere");
    auto foreign = session_body("plain", "Bo: Hi.\nMaria Lopez: Hello.\n");
    foreign["clients"] = json::object{{"Maria Lopez", maria_id}};
    auto cross = client.post_json("/v1/sessions", foreign, stranger.access_token);
    CHECK(cross.status == 404);
    CHECK(cross.json().at("code").as_string() == "client_not_found");
    CHECK(read_topic(deployment.events_topic).size() == appended + 2);  // only the stranger's sign-up
}

TEST_CASE("user management over HTTP: voice profile, notification preferences, role changes and deactivation") {
    Deployment deployment("user_management");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    auto admin = sign_up(client, "Managed Org");
    auto coach = invite_and_log_in(client, admin.access_token, json::object{{"role", "coach"}, {"name", "Sam Rivera"}});
    auto other_coach = invite_and_log_in(client, admin.access_token, json::object{{"role", "coach"}});
    auto put_json = [&](const std::string& target, const json::object& body, const std::string& token) {
        return client.request("PUT", target, json::serialize(body), {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
    };

    auto voice = put_json("/v1/users/me/voice-profile", json::object{{"tone", "warm"}, {"sign_off", "Cheers,\nSam"}, {"phrases_to_avoid", json::array{"synergy"}}},
                          coach.token);
    REQUIRE_MESSAGE(voice.status == 200, voice.body);
    CHECK(put_json("/v1/users/me/voice-profile", json::object{{"tone", "sarcastic"}}, coach.token).status == 422);
    CHECK(put_json("/v1/users/" + coach.id + "/voice-profile", json::object{{"tone", "direct"}}, other_coach.token).status == 403);
    auto prefs = put_json("/v1/users/me/notification-preferences",
                          json::object{{"email_digest", "weekly"}, {"notify_on", json::array{"follow_up_failed"}}, {"quiet_hours_start", "20:00"},
                                       {"quiet_hours_end", "07:00"}, {"time_zone", "Europe/Berlin"}},
                          coach.token);
    REQUIRE_MESSAGE(prefs.status == 200, prefs.body);
    auto me = client.get("/v1/users/me?position=" + std::string(prefs.json().at("position").as_string()) + "&wait_ms=20000", coach.token);
    REQUIRE_MESSAGE(me.status == 200, me.body);
    auto profile = me.json().as_object();
    CHECK(profile.at("voice_profile").at("sign_off").as_string() == "Cheers,\nSam");
    CHECK(profile.at("notification_preferences").at("email_digest").as_string() == "weekly");
    CHECK(profile.at("notification_preferences").at("time_zone").as_string() == "Europe/Berlin");
    CHECK(client.get("/v1/users/" + coach.id, other_coach.token).status == 404);  // coaches see only themselves
    auto everyone = client.get("/v1/users?position=" + std::string(prefs.json().at("position").as_string()) + "&wait_ms=20000", admin.access_token);
    REQUIRE(everyone.status == 200);
    CHECK(everyone.json().as_array().size() == 3);

    // Only admins manage users; a deactivated user's token and login stop working at once, and come back.
    CHECK(client.post_json("/v1/users/" + other_coach.id + "/deactivate", json::object{}, coach.token).status == 403);
    CHECK(client.post_json("/v1/users/" + admin.user_id + "/deactivate", json::object{}, admin.access_token).status == 409);
    auto off = client.post_json("/v1/users/" + coach.id + "/deactivate", json::object{{"reason", "on leave"}}, admin.access_token);
    REQUIRE_MESSAGE(off.status == 200, off.body);
    CHECK_FALSE(off.json().at("active").as_bool());
    auto refused = client.get("/v1/clients", coach.token);
    CHECK(refused.status == 401);
    CHECK(code(refused) == "user_deactivated");
    auto email = std::string(profile.at("email").as_string());
    CHECK(code(client.post_json("/v1/auth/login", json::object{{"email", email}, {"password", "a long enough password"}})) == "user_deactivated");
    REQUIRE(client.post_json("/v1/users/" + coach.id + "/reactivate", json::object{}, admin.access_token).status == 200);
    CHECK(client.get("/v1/clients", coach.token).status == 200);

    // A promotion takes effect on the next request: the new coach lead may now invite coaches.
    CHECK(client.post_json("/v1/users", json::object{{"name", "New"}, {"email", "new-coach@people.example.com"}, {"role", "coach"},
                                                     {"password", "a long enough password"}},
                           coach.token)
              .status == 403);
    auto promoted = client.post_json("/v1/users/" + coach.id + "/role", json::object{{"role", "coach_lead"}}, admin.access_token);
    REQUIRE_MESSAGE(promoted.status == 200, promoted.body);
    CHECK(client.post_json("/v1/users", json::object{{"name", "New"}, {"email", "new-coach@people.example.com"}, {"role", "coach"},
                                                     {"password", "a long enough password"}},
                           coach.token)
              .status == 201);
    CHECK(code(client.post_json("/v1/users/" + coach.id + "/role", json::object{{"role", "client"}}, admin.access_token)) == "role_change_unsupported");
    auto stranger = sign_up(client, "Elsewhere");
    CHECK(client.post_json("/v1/users/" + coach.id + "/deactivate", json::object{}, stranger.access_token).status == 404);
}
