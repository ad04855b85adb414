// One client's WebSocket protocol (docs/websocket.md): authentication (a ticket, or the token as a message, renewed
// before it expires), subscriptions checked on every subscribe, resume from a position, refinement over the socket,
// and the per-connection message rate. Pure protocol: the socket is a WebSocketPeer, the log a LiveHub.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/json.hpp>

#include "api/http/websocket.hpp"
#include "api/live/live_channels.hpp"
#include "api/live/live_hub.hpp"
#include "commands/actor.hpp"
#include "common/result.hpp"

namespace debrief::api::live {

struct LiveAuth {
    commands::Actor actor;
    std::int64_t expires_at_s = 0;  // the access token's "exp"
};

struct LiveServices {
    LiveHub& hub;
    // Verifies an access token as every HTTP request's is (signature, expiry, login session, active user, current role).
    std::function<Result<LiveAuth>(const std::string& token)> authenticate;
    // Why the actor may not follow the channel (a 404 or 403 Error), or nothing.
    std::function<std::optional<Error>(const commands::Actor&, const Channel&)> authorize;
    std::function<std::int64_t()> now_ms;
};

struct LiveLimits {
    double messages_per_second = 10;  // client messages, refilled continuously; 0: no limit
    double burst = 10;
    int strikes_before_close = 20;    // refused messages within strike_window_ms before the socket is closed 1008
    std::int64_t strike_window_ms = 10'000;
    std::size_t max_subscriptions = 100;
    int max_calls_in_flight = 4;      // refinements running at once
    std::int64_t auth_timeout_ms = 10'000;  // without a ticket, the token must come within this
};

class LiveSession final : public WebSocketSession, public Subscriber, public std::enable_shared_from_this<LiveSession> {
public:
    // token: the access token a ticket stood for; nullopt when the client is to send it as its first message.
    LiveSession(LiveServices services, LiveLimits limits, std::shared_ptr<WebSocketPeer> peer, std::optional<std::string> token);

    void on_open() override;
    void on_message(std::string_view text) override;
    void on_deadline() override;
    void on_closed() override;
    void deliver(const Text& message) override;

private:
    void send(const boost::json::object& message);
    void error(std::string_view code, std::string_view detail, const boost::json::value* id = nullptr, std::string_view channel = {});
    bool admit();  // the rate limit
    bool authenticate(const std::string& token);
    void arm_deadline();
    void subscribe(const boost::json::object& message);
    void unsubscribe(const boost::json::object& message);
    void refine(const boost::json::object& message);

    LiveServices services_;
    LiveLimits limits_;
    std::shared_ptr<WebSocketPeer> peer_;
    std::optional<std::string> token_;
    std::optional<LiveAuth> auth_;
    std::int64_t opened_ms_ = 0;
    std::map<std::string, std::string> subscriptions_;  // channel name -> hub key
    double tokens_ = 0;
    std::int64_t refilled_ms_ = 0;
    int strikes_ = 0;
    std::int64_t strikes_since_ms_ = 0;
    int calls_in_flight_ = 0;
    bool closed_ = false;
};

}  // namespace debrief::api::live
