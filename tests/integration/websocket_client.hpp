// A WebSocket client for the tests (Beast), every operation bounded by a deadline: connect with headers, send JSON,
// read the next message or wait for one that matches, and see how the server closed.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tests/integration/harness.hpp"

namespace debrief::it {

class WebSocketClient {
public:
    // Upgrades GET target on 127.0.0.1:port. Throws std::runtime_error naming the HTTP status when refused.
    WebSocketClient(unsigned short port, const std::string& target, const Headers& headers = {});
    ~WebSocketClient();
    WebSocketClient(const WebSocketClient&) = delete;
    WebSocketClient& operator=(const WebSocketClient&) = delete;

    void send(const boost::json::object& message);
    void send_text(const std::string& text);
    // The next message; nullopt when none came within the timeout or the socket closed (closed() then says how).
    std::optional<boost::json::object> next(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // Reads until a message matches; nullopt at the deadline or when the socket closed.
    std::optional<boost::json::object> wait_for(const std::function<bool(const boost::json::object&)>& matches,
                                                std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // The close code the server sent, once the socket closed.
    std::optional<int> closed() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The HTTP status an upgrade was refused with (0 when it was accepted).
int refused_upgrade_status(unsigned short port, const std::string& target, const Headers& headers = {});

bool has_type(const boost::json::object& message, std::string_view type);

}  // namespace debrief::it
