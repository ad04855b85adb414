// A WebSocket as the code behind it sees it, without Beast: the server (api/http/http_server.cpp) carries the frames,
// pings, limits and queues; a WebSocketSession (api/live/live_session.hpp) speaks the protocol.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "api/http/http_message.hpp"

namespace debrief::api {

// The socket's side; every call is safe from any thread.
class WebSocketPeer {
public:
    virtual ~WebSocketPeer() = default;
    // Queues a text message. A peer whose queue outgrows its bound (a client that does not read) is closed 1013.
    virtual void send(std::shared_ptr<const std::string> text) = 0;
    // Sends the close frame after what is queued; the first call counts.
    virtual void close(int code, std::string reason) = 0;
    // Runs a request through the HTTP API as the server would (its worker or slow pool), and calls done with the answer
    // on the socket's thread; not at all when the socket closed meanwhile.
    virtual void call(HttpRequest request, std::function<void(HttpResponse)> done) = 0;
    // The session's on_deadline is called once this much time has passed (replacing the previous deadline).
    virtual void wake_after(std::chrono::milliseconds delay) = 0;
};

// The protocol; called on the socket's thread, one call at a time.
class WebSocketSession {
public:
    virtual ~WebSocketSession() = default;
    virtual void on_open() {}
    virtual void on_message(std::string_view text) = 0;
    virtual void on_deadline() {}
    virtual void on_closed() = 0;  // the last call
};

struct WebSocketSettings {
    std::string path = "/v1/ws";
    std::size_t max_message_bytes = 64 * 1024;        // a bigger client message closes the socket (1009)
    std::size_t max_queued_bytes = 1024 * 1024;       // what may wait to be sent to one client; beyond it 1013
    std::chrono::milliseconds idle_timeout{60'000};   // a ping after half of it without traffic; nothing for all of it: dropped
    bool deflate = true;  // permessage-deflate offered (api/http/websocket_deflate.hpp); the client chooses (DEBRIEF_WS_DEFLATE)
    std::string going_away = "the server is shutting down; reconnect";  // the reason of the close (1001) at a drain
};

// Given the upgrade request (its target, headers and remote address): the session that serves the socket, or the
// HTTP answer that refuses it (a missing or spent ticket, an Origin not allowed).
using WebSocketOpen = std::function<std::variant<HttpResponse, std::shared_ptr<WebSocketSession>>(const HttpRequest&, std::shared_ptr<WebSocketPeer>)>;

}  // namespace debrief::api
