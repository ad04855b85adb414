// The baseline of bench/ws: a minimal Beast WebSocket broadcast server, written for the benchmark. Every connection
// reads; a text message "broadcast <payload>" from any of them is sent to all, each through its own write queue.
// Usage: ws_baseline_server <port> [deflate]; prints "LISTENING <port>" once it accepts. With `deflate` it offers
// permessage-deflate exactly as Debrief does (api/http/websocket_deflate.hpp).
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <iostream>
#include <memory>
#include <set>

#include "api/http/websocket_deflate.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct Peer;
std::set<std::shared_ptr<Peer>> peers;
bool deflate = false;

struct Peer : std::enable_shared_from_this<Peer> {
    explicit Peer(tcp::socket socket) : ws(std::move(socket)) {}
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    std::deque<std::shared_ptr<const std::string>> queue;

    void start() {
        if (deflate) debrief::api::offer_deflate(ws);
        ws.async_accept([self = shared_from_this()](beast::error_code ec) {
            if (ec) return;
            peers.insert(self);
            self->read();
        });
    }
    void read() {
        ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                peers.erase(self);
                return;
            }
            auto text = beast::buffers_to_string(self->buffer.data());
            self->buffer.consume(self->buffer.size());
            if (text.rfind("broadcast ", 0) == 0) {
                auto payload = std::make_shared<const std::string>(text.substr(10));
                for (const auto& peer : peers) peer->send(payload);
            }
            self->read();
        });
    }
    void send(std::shared_ptr<const std::string> text) {
        queue.push_back(std::move(text));
        if (queue.size() == 1) write();
    }
    void write() {
        ws.text(true);
        ws.async_write(asio::buffer(*queue.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            self->queue.pop_front();
            if (!self->queue.empty()) self->write();
        });
    }
};

void accept(tcp::acceptor& acceptor) {
    acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket socket) {
        if (!ec) std::make_shared<Peer>(std::move(socket))->start();
        accept(acceptor);
    });
}

int main(int argc, char** argv) {
    deflate = argc > 2 && std::string(argv[2]) == "deflate";
    asio::io_context io;
    tcp::acceptor acceptor(io);
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(argc > 1 ? std::stoi(argv[1]) : 0));
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    std::cout << "LISTENING " << acceptor.local_endpoint().port() << std::endl;
    accept(acceptor);
    io.run();
}
