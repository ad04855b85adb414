// The live front on the real services: a coach watches their session become analysed over /v1/ws, refines over the
// socket while a second socket sees the refinement, a reconnect resumes from a position, a stranger is refused, the
// upgrade's checks hold (Origin, tickets, no token in the URL), and a shutdown closes sockets 1001.
#include <doctest/doctest.h>

#include <boost/asio.hpp>
#include <boost/beast/zlib.hpp>
#include <future>
#include <optional>

#include "events/event.hpp"
#include "tests/integration/harness.hpp"
#include "tests/integration/websocket_client.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

const std::string transcript =
    "[00:00:00] Coach Dana: Thanks for joining, Priya. Let's look at your calls from this week.\n"
    "[00:00:06] Priya Shah: Sure. I think the billing calls went better, my handle time came down to six minutes.\n"
    "[00:00:20] Priya Shah: I struggle with angry customers. I freeze when they shout and then the call drags on.\n"
    "[00:00:31] Coach Dana: I'd suggest you acknowledge the frustration first, then move to the fix.\n"
    "[00:00:38] Coach Dana: Can you try the acknowledgement script on five calls by Friday?\n";

const std::string origin = "https://app.example.com";

std::string text(const json::value& value) { return std::string(value.as_string()); }

std::string ticket(const HttpClient& client, const std::string& token) {
    auto answer = client.post_json("/v1/ws/tickets", json::object{}, token);
    REQUIRE_MESSAGE(answer.status == 201, answer.body);
    CHECK(answer.json().at("expires_in").as_int64() == 30);
    return text(answer.json().at("ticket"));
}

events::Position position_of(const json::object& message) { return *events::parse_position(text(message.at("position"))); }

bool event_of_type(const json::object& message, std::string_view type) {
    return has_type(message, "event") && text(message.at("event_type")) == type;
}

}  // namespace

TEST_CASE("websocket: a session becomes analysed before the coach's eyes; refine over the socket; resume; a stranger sees nothing") {
    Deployment deployment("websocket");
    DebriefProcess debrief(deployment, {{"DEBRIEF_ALLOWED_ORIGINS", origin + ",https://admin.example.com"}});
    auto client = debrief.client();
    auto coach = sign_up(client, "Live Centre");
    WebSocketClient watcher(debrief.port(), "/v1/ws?ticket=" + ticket(client, coach.access_token), {{"Origin", origin}});
    auto hello = watcher.next();
    REQUIRE(hello);
    CHECK(has_type(*hello, "authenticated"));
    CHECK(text(hello->at("user_id")) == coach.user_id);
    watcher.send({{"type", "subscribe"}, {"id", "d1"}, {"channel", "dashboard:coach"}});
    auto subscribed = watcher.wait_for([](const json::object& m) { return has_type(m, "subscribed") || has_type(m, "error"); });
    REQUIRE(subscribed);
    INFO("subscribe: " << json::serialize(*subscribed));
    REQUIRE(has_type(*subscribed, "subscribed"));
    CHECK_FALSE(subscribed->at("recovered").as_bool());  // nothing to recover without a position
    CHECK(text(subscribed->at("id")) == "d1");

    auto registered = client.post_json("/v1/clients", json::object{{"name", "Priya Shah"}}, coach.access_token);
    REQUIRE(registered.status == 201);
    const auto registered_at = *events::parse_position(text(registered.json().at("position")));
    auto created = client.post_json("/v1/sessions", session_body("plain", transcript, "2026-11-18", "call_review"), coach.access_token);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    const auto session_id = text(created.json().at("id"));
    const auto channel = "session:" + session_id;

    // Live, on the coach's dashboard: the new session, its draft to review, its analysis.
    std::vector<std::string> live_types;
    auto analysed_live = watcher.wait_for([&](const json::object& m) {
        if (has_type(m, "event")) live_types.push_back(text(m.at("event_type")));
        return event_of_type(m, "debrief.session.analysed");
    });
    REQUIRE_MESSAGE(analysed_live, "the dashboard's events did not arrive: " << live_types.size());
    CHECK(text(analysed_live->at("channel")) == "dashboard:coach");
    CHECK(live_types == std::vector<std::string>{"debrief.session.created", "debrief.summary.drafted", "debrief.session.analysed"});

    // The session's channel from a position before it existed: everything it missed, in log order, then live.
    watcher.send({{"type", "subscribe"}, {"channel", channel}, {"since_position", events::to_string(registered_at)}});
    auto resumed_at = watcher.wait_for([](const json::object& m) { return has_type(m, "subscribed"); });
    REQUIRE(resumed_at);
    CHECK(resumed_at->at("recovered").as_bool());
    std::vector<json::object> seen;
    auto analysed = watcher.wait_for([&](const json::object& m) {
        if (has_type(m, "event")) seen.push_back(m);
        return event_of_type(m, "debrief.session.analysed");
    });
    REQUIRE_MESSAGE(analysed, "the session's events did not arrive; seen " << seen.size());
    std::vector<std::string> types;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        types.push_back(text(seen[i].at("event_type")));
        CHECK(text(seen[i].at("channel")) == channel);
        CHECK(position_of(seen[i]) > registered_at);
        if (i > 0) CHECK(position_of(seen[i - 1]) < position_of(seen[i]));
    }
    CHECK(types == std::vector<std::string>{"debrief.session.created", "debrief.session.transcript_uploaded", "debrief.session.transcript_parsed",
                                            "debrief.summary.drafted", "debrief.session.analysed"});
    CHECK(text(seen.at(1).at("data").at("text")).empty());          // the transcript's words stay on the transcript route
    CHECK(seen.at(2).at("data").at("segments").as_array().empty());
    const auto summary_id = text(analysed->at("data").at("summary_ids").as_array().at(0));

    // A second socket, authenticated by its first message, follows the summary.
    WebSocketClient reader(debrief.port(), "/v1/ws");
    reader.send({{"type", "auth"}, {"token", coach.access_token}});
    REQUIRE(reader.wait_for([](const json::object& m) { return has_type(m, "authenticated"); }));
    reader.send({{"type", "subscribe"}, {"channel", "summary:" + summary_id}});
    REQUIRE(reader.wait_for([](const json::object& m) { return has_type(m, "subscribed"); }));

    watcher.send({{"type", "refine"}, {"id", "r1"}, {"summary_id", summary_id}, {"message", "add action item: listen to two calls with Dana by next Tuesday"}});
    auto result = watcher.wait_for([](const json::object& m) { return has_type(m, "result"); });
    REQUIRE(result);
    INFO("result: " << json::serialize(*result));
    CHECK(text(result->at("id")) == "r1");
    CHECK(result->at("status").as_int64() == 200);
    CHECK(result->at("ok").as_bool());
    const auto version = result->at("body").at("summary").at("version").as_int64();
    auto refined = reader.wait_for([&](const json::object& m) { return event_of_type(m, "debrief.summary.refined"); });
    REQUIRE(refined);
    CHECK(text(refined->at("channel")) == "summary:" + summary_id);
    CHECK(refined->at("aggregate_version").as_int64() == version);

    // A stale expected version: the route's own refusal, as HTTP gives it.
    watcher.send({{"type", "refine"}, {"id", 2}, {"summary_id", summary_id}, {"message", "more encouraging"}, {"expected_version", version - 1}});
    auto stale = watcher.wait_for([](const json::object& m) { return has_type(m, "result"); });
    REQUIRE(stale);
    auto over_http = client.request("POST", "/v1/summaries/" + summary_id + "/refine", R"({"message":"more encouraging"})",
                                    {{"Authorization", "Bearer " + coach.access_token}, {"Content-Type", "application/json"},
                                     {"If-Match", "\"" + std::to_string(version - 1) + "\""}});
    CHECK(stale->at("status").as_int64() == over_http.status);
    CHECK(text(stale->at("code")) == text(over_http.json().at("code")));
    CHECK(stale->at("ok").as_bool() == false);

    // A reconnect from the first position it saw gets the rest, in the same order.
    WebSocketClient resumed(debrief.port(), "/v1/ws?ticket=" + ticket(client, coach.access_token));
    REQUIRE(resumed.next());  // authenticated
    resumed.send({{"type", "subscribe"}, {"channel", channel}, {"since_position", text(seen.front().at("position"))}});
    auto again = resumed.wait_for([](const json::object& m) { return has_type(m, "subscribed"); });
    REQUIRE(again);
    CHECK(again->at("recovered").as_bool());
    for (std::size_t i = 1; i < seen.size(); ++i) {
        auto message = resumed.next();
        REQUIRE(message);
        CHECK(text(message->at("position")) == text(seen[i].at("position")));
        CHECK(text(message->at("event_type")) == text(seen[i].at("event_type")));
    }

    // Another organization's user: the session does not exist for them, and no admin feed of ours.
    auto stranger = sign_up(client, "Elsewhere Ltd");
    WebSocketClient outsider(debrief.port(), "/v1/ws?ticket=" + ticket(client, stranger.access_token));
    REQUIRE(outsider.next());
    outsider.send({{"type", "subscribe"}, {"channel", channel}});
    auto refused = outsider.wait_for([](const json::object& m) { return has_type(m, "error") || has_type(m, "subscribed"); });
    REQUIRE(refused);
    CHECK(has_type(*refused, "error"));
    CHECK(text(refused->at("code")) == "session_not_found");

    // The upgrade's checks.
    const auto spent = ticket(client, coach.access_token);
    CHECK(refused_upgrade_status(debrief.port(), "/v1/ws?ticket=" + spent, {{"Origin", "https://evil.example"}}) == 403);
    { WebSocketClient once(debrief.port(), "/v1/ws?ticket=" + spent); }
    CHECK(refused_upgrade_status(debrief.port(), "/v1/ws?ticket=" + spent) == 401);
    CHECK(refused_upgrade_status(debrief.port(), "/v1/ws?ticket=wst_made_up") == 401);
    CHECK(refused_upgrade_status(debrief.port(), "/v1/ws?access_token=" + coach.access_token) == 400);
    CHECK(client.post_json("/v1/ws/tickets", json::object{}).status == 401);

    // The browser's edge on the same listener: security headers on every answer, CORS for the allowed origins only.
    auto health = client.get("/healthz");
    CHECK(health.header("x-content-type-options") == "nosniff");
    CHECK(health.header("x-frame-options") == "DENY");
    CHECK(health.header("referrer-policy") == "no-referrer");
    auto from_page = client.request("GET", "/v1/sessions", "", {{"Authorization", "Bearer " + coach.access_token}, {"Origin", origin}});
    CHECK(from_page.status == 200);
    CHECK(from_page.header("access-control-allow-origin") == origin);
    auto from_elsewhere = client.request("GET", "/v1/sessions", "", {{"Authorization", "Bearer " + coach.access_token}, {"Origin", "https://evil.example"}});
    CHECK(from_elsewhere.header("access-control-allow-origin").empty());
    auto preflight = client.request("OPTIONS", "/v1/sessions", "", {{"Origin", origin}, {"Access-Control-Request-Method", "POST"},
                                                                    {"Access-Control-Request-Headers", "authorization, content-type"}});
    CHECK(preflight.status == 204);
    CHECK(preflight.header("access-control-allow-origin") == origin);
    CHECK(preflight.header("access-control-allow-headers").find("Authorization") != std::string::npos);
    CHECK(client.request("OPTIONS", "/v1/sessions", "", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}}).status == 403);

    // The metrics: requests by route pattern, the open sockets, the read models' lag, the process; no tenant's ids.
    HttpResult scraped;
    // watcher, reader, resumed and outsider (the socket closed a moment ago may take a moment to be counted out)
    CHECK(eventually(std::chrono::seconds(10), [&] {
        scraped = client.get("/metrics");
        return scraped.body.find("debrief_websocket_connections 4\n") != std::string::npos;
    }));
    REQUIRE(scraped.status == 200);
    CHECK(scraped.header("content-type").starts_with("text/plain; version=0.0.4"));
    const auto& exposition = scraped.body;
    CHECK(exposition.find("debrief_http_requests_total{route=\"/v1/sessions\",method=\"POST\",status=\"201\"} 1\n") != std::string::npos);
    CHECK(exposition.find("debrief_http_request_duration_seconds_bucket{route=\"/v1/summaries/{id}/refine\",method=\"POST\",le=\"+Inf\"}") !=
          std::string::npos);
    CHECK(exposition.find("debrief_read_model_lag_events{read_model=\"postgres\"}") != std::string::npos);
    CHECK(exposition.find("debrief_kafka_transaction_seconds_count{outcome=\"committed\"}") != std::string::npos);
    CHECK(exposition.find("debrief_websocket_messages_sent_total") != std::string::npos);
    CHECK(exposition.find("process_resident_memory_bytes") != std::string::npos);
    for (const auto& id : {coach.organization_id, coach.user_id, session_id, summary_id}) CHECK(exposition.find(id) == std::string::npos);

    // Sockets that close give their descriptors back (a socket and its session once held each other for good).
    auto open_fds = [&] {
        auto body = client.get("/metrics").body;
        auto at = body.find("\nprocess_open_fds ");
        return at == std::string::npos ? -1.0 : std::stod(body.substr(at + 18));
    };
    const auto fds_before = open_fds();
    REQUIRE(fds_before > 0);
    for (int i = 0; i < 30; ++i) {
        WebSocketClient brief(debrief.port(), "/v1/ws");
        brief.send({{"type", "auth"}, {"token", coach.access_token}});
        REQUIRE(brief.wait_for([](const json::object& m) { return has_type(m, "authenticated"); }));
    }
    CHECK(eventually(std::chrono::seconds(10), [&] { return open_fds() <= fds_before + 2; }));

    // A shutdown closes the sockets with 1001 (go away, reconnect) and the process exits cleanly.
    auto stopped = std::async(std::launch::async, [&] { return debrief.stop(); });
    CHECK_FALSE(reader.wait_for([](const json::object&) { return false; }, std::chrono::seconds(20)));
    CHECK(reader.closed() == 1001);
    CHECK(stopped.get() == 0);
}

namespace {

// A WebSocket spoken by hand on a raw socket, so the test sees the frames themselves (Beast's client would inflate
// them unseen): the upgrade's answer, and each frame's RSV1 bit (set: the payload is compressed).
struct RawWebSocket {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket{io};
    std::string pending;  // read but not yet consumed

    std::string upgrade(unsigned short port, const std::string& target, const std::string& extensions) {
        socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
        std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
        if (!extensions.empty()) request += "Sec-WebSocket-Extensions: " + extensions + "\r\n";
        boost::asio::write(socket, boost::asio::buffer(request + "\r\n"));
        while (pending.find("\r\n\r\n") == std::string::npos) read_some();
        const auto end = pending.find("\r\n\r\n") + 4;
        auto head = pending.substr(0, end);
        pending.erase(0, end);
        return head;
    }
    void read_some() {
        char chunk[4096];
        const auto n = socket.read_some(boost::asio::buffer(chunk));
        pending.append(chunk, n);
    }
    void need(std::size_t bytes) {
        while (pending.size() < bytes) read_some();
    }
    struct Frame {
        bool compressed = false;
        int opcode = 0;
        std::string payload;
    };
    Frame next_frame() {
        need(2);
        Frame frame;
        const auto first = static_cast<unsigned char>(pending[0]);
        frame.compressed = (first & 0x40) != 0;
        frame.opcode = first & 0x0f;
        std::size_t length = static_cast<unsigned char>(pending[1]) & 0x7f;
        std::size_t header = 2;
        if (length == 126) {
            need(4);
            length = (static_cast<std::size_t>(static_cast<unsigned char>(pending[2])) << 8) | static_cast<unsigned char>(pending[3]);
            header = 4;
        } else if (length == 127) {
            need(10);
            length = 0;
            for (int i = 2; i < 10; ++i) length = (length << 8) | static_cast<unsigned char>(pending[i]);
            header = 10;
        }
        need(header + length);
        frame.payload = pending.substr(header, length);
        pending.erase(0, header + length);
        return frame;
    }
    // A client's text frame: masked, as RFC 6455 requires of clients.
    void send_text(const std::string& text) {
        const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
        std::string frame;
        frame += static_cast<char>(0x81);
        REQUIRE(text.size() < 126);
        frame += static_cast<char>(0x80 | text.size());
        frame.append(reinterpret_cast<const char*>(mask), 4);
        for (std::size_t i = 0; i < text.size(); ++i) frame += static_cast<char>(text[i] ^ mask[i % 4]);
        boost::asio::write(socket, boost::asio::buffer(frame));
    }
};

// The messages of one connection, inflated (RFC 7692). The sender keeps its window from message to message (no
// server_no_context_takeover was asked for), so one inflater lives as long as the connection; each payload lacks
// the final 00 00 ff ff of its flush.
class MessageInflater {
public:
    MessageInflater() { inflater_.reset(15); }

    std::string operator()(std::string payload) {
        payload.append("\x00\x00\xff\xff", 4);
        std::string out(64 * 1024, '\0');
        boost::beast::zlib::z_params params;
        params.next_in = payload.data();
        params.avail_in = payload.size();
        params.next_out = out.data();
        params.avail_out = out.size();
        boost::beast::error_code ec;
        inflater_.write(params, boost::beast::zlib::Flush::sync, ec);
        REQUIRE_MESSAGE(!ec, ec.message());
        out.resize(params.total_out);
        return out;
    }

private:
    boost::beast::zlib::inflate_stream inflater_;
};

}  // namespace

TEST_CASE("websocket: permessage-deflate is offered with small windows, long messages arrive compressed and whole; DEBRIEF_WS_DEFLATE=off offers none") {
    Deployment deployment("websocket_deflate");
    Account admin;
    {
        DebriefProcess debrief(deployment);
        auto client = debrief.client();
        admin = sign_up(client, "Deflate Centre");

        RawWebSocket socket;
        auto head = socket.upgrade(debrief.port(), "/v1/ws?ticket=" + ticket(client, admin.access_token), "permessage-deflate; client_max_window_bits");
        INFO(head);
        REQUIRE(head.starts_with("HTTP/1.1 101"));
        CHECK(head.find("permessage-deflate") != std::string::npos);
        CHECK(head.find("server_max_window_bits=10") != std::string::npos);
        CHECK(head.find("client_max_window_bits=10") != std::string::npos);

        MessageInflater inflate;
        auto hello = socket.next_frame();  // {"type":"authenticated",...}: shorter than 256 bytes, sent as it is
        CHECK_FALSE(hello.compressed);
        CHECK(json::parse(hello.payload).at("type").as_string() == "authenticated");
        socket.send_text(R"({"type":"subscribe","channel":"organization"})");
        auto subscribed = socket.next_frame();
        CHECK(json::parse(subscribed.compressed ? inflate(subscribed.payload) : subscribed.payload).at("type").as_string() == "subscribed");

        auto registered = client.post_json("/v1/clients", json::object{{"name", "Deflate Client With A Name Long Enough"}, {"tags", json::array{"compression", "websocket"}}},
                                           admin.access_token);
        REQUIRE_MESSAGE(registered.status == 201, registered.body);
        // The feed may still deliver the sign-up's own events (the organization, its admin) before the client's:
        // every event frame is checked, and the loop ends at the client's.
        std::optional<json::object> event;
        for (int frames = 0; frames < 20 && !event; ++frames) {  // each read is bounded by the server's 30 s pings
            auto frame = socket.next_frame();
            REQUIRE(frame.opcode != 0x8);  // not a close
            if (frame.opcode != 0x1) continue;  // a ping
            REQUIRE(frame.payload.size() > 0);
            const auto decoded = frame.compressed ? inflate(frame.payload) : frame.payload;
            auto message = json::parse(decoded).as_object();
            if (!has_type(message, "event")) continue;
            INFO(decoded);
            CHECK(frame.compressed == (decoded.size() >= 256));
            if (frame.compressed) CHECK(frame.payload.size() < decoded.size());
            if (text(message.at("event_type")) == "debrief.client.registered") {
                CHECK(frame.compressed);  // the client's event, with its name and tags, is long enough to compress
                event = message;
            }
        }
        REQUIRE(event);
    }

    DebriefProcess plain(deployment, {{"DEBRIEF_WS_DEFLATE", "off"}});
    RawWebSocket uncompressed;
    auto plain_head = uncompressed.upgrade(plain.port(), "/v1/ws?ticket=" + ticket(plain.client(), admin.access_token), "permessage-deflate");
    REQUIRE(plain_head.starts_with("HTTP/1.1 101"));
    CHECK(plain_head.find("permessage-deflate") == std::string::npos);
}
