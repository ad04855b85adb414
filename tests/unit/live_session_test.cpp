// The WebSocket protocol without a socket: authentication by ticket or first message and its expiry, subscriptions
// checked each time, resume, refinement through the HTTP route, and the per-connection message rate.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <deque>
#include <set>

#include "api/live/live_access.hpp"
#include "api/live/live_channels.hpp"
#include "api/live/live_session.hpp"

using namespace debrief;
using namespace debrief::api;
using namespace debrief::api::live;
namespace json = boost::json;

namespace {
const std::string session_id = "6f1c2a3b-0000-4000-8000-000000000001";

struct FakePeer : WebSocketPeer {
    std::vector<json::object> sent;
    std::optional<int> closed_with;
    std::vector<std::pair<HttpRequest, std::function<void(HttpResponse)>>> calls;
    std::vector<std::chrono::milliseconds> wakes;
    void send(std::shared_ptr<const std::string> text) override { sent.push_back(json::parse(*text).as_object()); }
    void close(int code, std::string) override {
        if (!closed_with) closed_with = code;
    }
    void call(HttpRequest request, std::function<void(HttpResponse)> done) override { calls.emplace_back(std::move(request), std::move(done)); }
    void wake_after(std::chrono::milliseconds delay) override { wakes.push_back(delay); }
    std::string last_type() const { return sent.empty() ? "" : std::string(sent.back().at("type").as_string()); }
    std::string last_code() const { return std::string(sent.back().at("code").as_string()); }
};

struct World {
    LiveHub hub;
    std::int64_t now = 1'000'000;
    std::map<std::string, LiveAuth> tokens{{"coach-token", {{UserId{"coach"}, OrganizationId{"org"}, "coach"}, 1'000 + 900}},
                                           {"coach-token-2", {{UserId{"coach"}, OrganizationId{"org"}, "coach"}, 1'000 + 1800}},
                                           {"other-token", {{UserId{"other"}, OrganizationId{"org"}, "coach"}, 1'000 + 900}}};
    std::set<std::string> revoked;
    std::shared_ptr<FakePeer> peer = std::make_shared<FakePeer>();
    LiveLimits limits;

    std::shared_ptr<LiveSession> open(std::optional<std::string> token) {
        LiveServices services{hub,
                              [this](const std::string& token) -> Result<LiveAuth> {
                                  auto it = tokens.find(token);
                                  if (it == tokens.end() || revoked.contains(token)) return Error{ErrorKind::unauthorized, "invalid_token", "no"};
                                  return it->second;
                              },
                              [](const commands::Actor&, const Channel& channel) -> std::optional<Error> {
                                  if (channel.kind == ChannelKind::organization) return Error{ErrorKind::forbidden, "forbidden", "admins only"};
                                  return std::nullopt;
                              },
                              [this] { return now; }};
        auto session = std::make_shared<LiveSession>(services, limits, peer, std::move(token));
        session->on_open();
        return session;
    }
    void say(LiveSession& session, const json::object& message) { session.on_message(json::serialize(message)); }
};
}  // namespace

TEST_CASE("a ticket's token authenticates at once; the socket closes 4401 when the token expires unless a fresh one came") {
    World w;
    auto session = w.open("coach-token");
    CHECK(w.peer->last_type() == "authenticated");
    REQUIRE_FALSE(w.peer->wakes.empty());
    CHECK(w.peer->wakes.back() == std::chrono::milliseconds(900'000));
    w.now += 900'000;
    w.say(*session, {{"type", "auth"}, {"token", "coach-token-2"}});
    CHECK(w.peer->last_type() == "authenticated");
    session->on_deadline();
    CHECK_FALSE(w.peer->closed_with.has_value());
    w.now += 900'000;
    session->on_deadline();
    CHECK(w.peer->closed_with == 4401);
}

TEST_CASE("without a ticket the token must be the first message, within the deadline, and of the same user later") {
    World w;
    auto session = w.open(std::nullopt);
    w.say(*session, {{"type", "subscribe"}, {"channel", "session:" + session_id}});
    CHECK(w.peer->last_code() == "auth_required");
    w.say(*session, {{"type", "auth"}, {"token", "coach-token"}});
    CHECK(w.peer->last_type() == "authenticated");
    w.say(*session, {{"type", "auth"}, {"token", "other-token"}});
    CHECK(w.peer->last_code() == "auth_user_mismatch");

    World late;
    auto idle = late.open(std::nullopt);
    late.now += late.limits.auth_timeout_ms;
    idle->on_deadline();
    CHECK(late.peer->closed_with == 4401);

    World wrong;
    auto refused = wrong.open(std::nullopt);
    wrong.say(*refused, {{"type", "auth"}, {"token", "forged"}});
    CHECK(wrong.peer->closed_with == 4401);
}

TEST_CASE("subscriptions: a bad channel or position is an error; authorization and the token are checked every time") {
    World w;
    auto session = w.open("coach-token");
    w.say(*session, {{"type", "subscribe"}, {"channel", "session:not-a-uuid"}});
    CHECK(w.peer->last_code() == "invalid_channel");
    w.say(*session, {{"type", "subscribe"}, {"channel", "session:" + session_id}, {"since_position", "later"}});
    CHECK(w.peer->last_code() == "invalid_position");
    w.say(*session, {{"type", "subscribe"}, {"channel", "organization"}});
    CHECK(w.peer->last_code() == "forbidden");
    w.say(*session, {{"type", "subscribe"}, {"id", 7}, {"channel", "session:" + session_id}});
    CHECK(w.peer->last_type() == "subscribed");
    CHECK(w.peer->sent.back().at("id").as_int64() == 7);
    CHECK(w.peer->sent.back().at("recovered").as_bool() == false);
    w.hub.publish(channel_key(OrganizationId{"org"}, *parse_channel("session:" + session_id)), {0, 3},
                  std::make_shared<const std::string>(R"({"type":"event","position":"0:3"})"), false);
    CHECK(w.peer->last_type() == "event");
    w.say(*session, {{"type", "unsubscribe"}, {"channel", "session:" + session_id}});
    CHECK(w.peer->last_type() == "unsubscribed");
    w.revoked.insert("coach-token");
    w.say(*session, {{"type", "subscribe"}, {"channel", "dashboard:coach"}});
    CHECK(w.peer->closed_with == 4401);
}

TEST_CASE("refine goes through the HTTP route as the socket's user; its answer comes back as a result with the route's code") {
    World w;
    auto session = w.open("coach-token");
    w.say(*session, {{"type", "refine"}, {"id", "r1"}, {"summary_id", session_id}, {"message", "shorter"}, {"expected_version", 3}});
    REQUIRE(w.peer->calls.size() == 1);
    const auto& request = w.peer->calls[0].first;
    CHECK(request.method == "POST");
    CHECK(request.target == "/v1/summaries/" + session_id + "/refine");
    CHECK(request.header("Authorization") == "Bearer coach-token");
    CHECK(request.header("If-Match") == "\"3\"");
    CHECK(json::parse(request.body).at("message").as_string() == "shorter");
    HttpResponse conflict;
    conflict.status = 409;
    conflict.body = R"({"type":"about:blank","status":409,"code":"version_conflict","detail":"the summary is at version 4"})";
    w.peer->calls[0].second(conflict);
    CHECK(w.peer->last_type() == "result");
    CHECK(w.peer->sent.back().at("id").as_string() == "r1");
    CHECK(w.peer->sent.back().at("status").as_int64() == 409);
    CHECK(w.peer->sent.back().at("ok").as_bool() == false);
    CHECK(w.peer->last_code() == "version_conflict");
    CHECK(w.peer->sent.back().at("body").at("detail").as_string() == "the summary is at version 4");
}

TEST_CASE("more than the message rate is refused one by one, and persistent abuse closes the socket 1008") {
    World w;
    auto session = w.open("coach-token");
    for (int i = 0; i < 10; ++i) w.say(*session, {{"type", "ping"}});
    CHECK(w.peer->last_type() == "pong");
    w.say(*session, {{"type", "ping"}});
    CHECK(w.peer->last_code() == "rate_limited");
    w.now += 1000;  // a second later the bucket is full again
    w.say(*session, {{"type", "ping"}});
    CHECK(w.peer->last_type() == "pong");
    for (int i = 0; i < 40 && !w.peer->closed_with; ++i) w.say(*session, {{"type", "ping"}});
    CHECK(w.peer->closed_with == 1008);
}

TEST_CASE("channel names: each kind parses back to itself; ids must be UUIDs") {
    for (std::string name : {"session:" + session_id, "summary:" + session_id, "action_items:" + session_id, std::string("dashboard:coach"),
                             std::string("organization")}) {
        auto channel = parse_channel(name);
        REQUIRE(channel.has_value());
        CHECK(channel->name() == name);
    }
    for (std::string name : {std::string("session:"), std::string("session:x"), std::string("dashboard:lead"), std::string("organization:x"), std::string(), "summary:" + session_id + "x"})
        CHECK_FALSE(parse_channel(name).has_value());
    CHECK(channel_key(OrganizationId{"a"}, *parse_channel("dashboard:coach"), UserId{"u"}) != channel_key(OrganizationId{"a"}, *parse_channel("dashboard:coach"), UserId{"v"}));
    CHECK(channel_key(OrganizationId{"a"}, *parse_channel("organization")) != channel_key(OrganizationId{"b"}, *parse_channel("organization")));
}

TEST_CASE("an event reaches its session, summary, client's action items and coach's dashboard, and its organization's feed") {
    OwnerLookup owners{[](const SummaryId&) { return Owners{"sess", "client", "coach"}; },
                       [](const SessionId&) { return Owners{"sess", "", "coach"}; },
                       [](const ActionItemId&) { return Owners{"", "client", "coach"}; }};
    auto names = [&](events::Payload payload) {
        events::Event event{{}, std::move(payload)};
        event.metadata.organization_id = OrganizationId{"org"};
        std::vector<std::string> out;
        for (const auto& routed : routes_of(event, owners)) out.push_back(routed.channel_name + (routed.staff_only ? " (staff)" : ""));
        return out;
    };
    events::SummaryDrafted drafted;
    drafted.summary_id = SummaryId{"sum"};
    drafted.session_id = SessionId{"sess"};
    drafted.coach_id = UserId{"coach"};
    CHECK(names(drafted) == std::vector<std::string>{"summary:sum (staff)", "session:sess (staff)", "dashboard:coach", "organization"});
    events::SummaryApproved approved;
    approved.summary_id = SummaryId{"sum"};
    CHECK(names(approved) == std::vector<std::string>{"summary:sum", "session:sess (staff)", "dashboard:coach", "organization"});
    events::ActionItemCompleted completed;
    completed.action_item_id = ActionItemId{"item"};
    CHECK(names(completed) == std::vector<std::string>{"action_items:client", "dashboard:coach", "organization"});
    events::NoteAdded note;
    CHECK(names(note) == std::vector<std::string>{"organization"});

    events::TranscriptUploaded uploaded;
    uploaded.session_id = SessionId{"sess"};
    uploaded.text = "Coach: a secret only the transcript route shows";
    events::Event event{{}, uploaded};
    CHECK(event_data(event).find("secret") == std::string::npos);
    auto message = json::parse(event_message(event, {2, 41}, "session:sess", event_data(event))).as_object();
    CHECK(message.at("position").as_string() == "2:41");
    CHECK(message.at("event_type").as_string() == "debrief.session.transcript_uploaded");
    CHECK(message.at("data").at("session_id").as_string() == "sess");
}
