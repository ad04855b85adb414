#include "tests/integration/websocket_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>

namespace debrief::it {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

struct WebSocketClient::Impl {
    asio::io_context io;
    websocket::stream<beast::tcp_stream> ws{io};
    beast::flat_buffer buffer;
    std::optional<int> close_code;

    // Runs one asynchronous operation to its end or the deadline (then the socket is closed and the error is timed_out).
    template <typename Start>
    beast::error_code run(Start start, std::chrono::milliseconds timeout) {
        std::optional<beast::error_code> result;
        start([&](beast::error_code ec, auto&&...) { result = ec; });
        io.restart();
        io.run_for(timeout);
        if (result) return *result;
        beast::get_lowest_layer(ws).socket().close();
        io.restart();
        io.run();
        return asio::error::timed_out;
    }
};

WebSocketClient::WebSocketClient(unsigned short port, const std::string& target, const Headers& headers) : impl_(std::make_unique<Impl>()) {
    auto& impl = *impl_;
    beast::get_lowest_layer(impl.ws).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    impl.ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
        for (const auto& [name, value] : headers) request.set(name, value);
    }));
    websocket::response_type response;
    auto ec = impl.run([&](auto done) { impl.ws.async_handshake(response, "127.0.0.1:" + std::to_string(port), target, done); }, std::chrono::seconds(10));
    if (ec) throw std::runtime_error("upgrade refused: HTTP " + std::to_string(response.result_int()) + " " + ec.message() + " " + response.body());
}

WebSocketClient::~WebSocketClient() {
    if (impl_->ws.is_open() && !impl_->close_code) impl_->run([&](auto done) { impl_->ws.async_close(websocket::close_code::normal, done); }, std::chrono::seconds(2));
}

void WebSocketClient::send(const json::object& message) { send_text(json::serialize(message)); }

void WebSocketClient::send_text(const std::string& text) {
    auto ec = impl_->run([&](auto done) { impl_->ws.async_write(asio::buffer(text), done); }, std::chrono::seconds(10));
    if (ec) throw std::runtime_error("websocket write failed: " + ec.message());
}

std::optional<json::object> WebSocketClient::next(std::chrono::milliseconds timeout) {
    auto& impl = *impl_;
    if (impl.close_code) return std::nullopt;
    impl.buffer.clear();
    auto ec = impl.run([&](auto done) { impl.ws.async_read(impl.buffer, done); }, timeout);
    if (ec == websocket::error::closed) impl.close_code = impl.ws.reason().code;
    if (ec) return std::nullopt;
    auto text = beast::buffers_to_string(impl.buffer.data());
    auto value = json::parse(text);
    if (!value.is_object()) throw std::runtime_error("not a JSON object: " + text);
    return value.as_object();
}

std::optional<json::object> WebSocketClient::wait_for(const std::function<bool(const json::object&)>& matches, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto message = next(std::max(left, std::chrono::milliseconds(1)));
        if (!message) return std::nullopt;
        if (matches(*message)) return message;
    }
    return std::nullopt;
}

std::optional<int> WebSocketClient::closed() const { return impl_->close_code; }

int refused_upgrade_status(unsigned short port, const std::string& target, const Headers& headers) {
    try {
        WebSocketClient client(port, target, headers);
        return 0;
    } catch (const std::runtime_error& e) {
        std::string what = e.what();
        auto at = what.find("HTTP ");
        return at == std::string::npos ? -1 : std::stoi(what.substr(at + 5));
    }
}

bool has_type(const json::object& message, std::string_view type) {
    const auto* value = message.if_contains("type");
    return value && value->is_string() && value->as_string() == type;
}

}  // namespace debrief::it
