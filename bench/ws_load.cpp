// The client side of bench/ws: opens N WebSockets to a server (spread over the loopback source addresses 127.0.0.2,
// 127.0.0.3, ... so one address's ephemeral ports are no limit), has each follow the broadcast (Debrief: an admin's
// `organization` channel; the baseline: every socket), reads the server's resident memory before and after, then
// times broadcasts to every socket: per recipient, from the trigger to its message.
// Usage: ws_load <baseline|debrief> <port> <server pid> <connections> <rounds> [access token]; WS_LOAD_DEFLATE=1 makes
// every socket offer permessage-deflate.
// Debrief's broadcast is a command (POST /v1/clients, whose event reaches the organization's feed), timed from the
// moment its answer arrives; the baseline's a "broadcast" message of 512 bytes of JSON (about the size of Debrief's
// event messages, and as compressible), timed from the moment it is sent.
// Prints one line: WS <mode> <connections> <open> <rss before KiB> <rss after KiB> <KiB per connection> <p50 ms> <p99 ms>
// <max ms> <received> <expected> <rss after the broadcasts KiB>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>
#include <unistd.h>

#include "bench/percentile.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    bool debrief = false;
    unsigned short port = 0;
    int pid = 0;
    int connections = 0;
    int rounds = 0;
    std::string token;
};

long resident_kib(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

struct Socket : std::enable_shared_from_this<Socket> {
    Socket(asio::io_context& io, const Options& options, int index, std::atomic<int>& ready, std::atomic<int>& received)
        : ws(io), options(options), index(index), ready(ready), received(received) {}
    websocket::stream<beast::tcp_stream> ws;
    const Options& options;
    int index;
    std::atomic<int>& ready;
    std::atomic<int>& received;
    beast::flat_buffer buffer;
    bool subscribed = false;
    std::atomic<int> round{-1};           // the round being measured; a message then is its arrival
    std::atomic<Clock::rep> arrived{0};   // steady-clock ticks of the measured message; 0: none yet
    std::string out;                      // keeps a write's bytes alive

    void open(std::function<void()> next) {
        if (const char* deflate = std::getenv("WS_LOAD_DEFLATE"); deflate && std::string(deflate) == "1") {
            websocket::permessage_deflate offer;
            offer.client_enable = true;
            ws.set_option(offer);
        }
        auto& socket = beast::get_lowest_layer(ws).socket();
        socket.open(tcp::v4());
        // 5,000 connections per source address, from one of 127.0.0.2 ... 127.0.3.255 that this process's id picks, so
        // that the ports a previous run left in TIME_WAIT are not in the way.
        const auto base = 2u + static_cast<unsigned>(::getpid() % 40) * 12u;
        beast::error_code ec;
        socket.bind(tcp::endpoint(asio::ip::make_address_v4(0x7f000000u + base + static_cast<unsigned>(index / 5'000)), 0), ec);
        if (ec) return next();
        beast::get_lowest_layer(ws).async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), options.port),
                                                  [self = shared_from_this(), next](beast::error_code ec) {
                                                      if (ec) return next();
                                                      self->handshake(next);
                                                  });
    }
    void handshake(std::function<void()> next) {
        ws.async_handshake("127.0.0.1", options.debrief ? "/v1/ws" : "/", [self = shared_from_this(), next](beast::error_code ec) {
            if (ec) return next();
            if (!self->options.debrief) {
                ++self->ready;
                next();
                return self->read(nullptr);
            }
            self->out = json::serialize(json::object{{"type", "auth"}, {"token", self->options.token}});
            self->ws.async_write(asio::buffer(self->out), [self, next](beast::error_code ec, std::size_t) {
                if (ec) return next();
                self->out = R"({"type":"subscribe","channel":"organization"})";
                self->ws.async_write(asio::buffer(self->out), [self, next](beast::error_code ec, std::size_t) {
                    if (ec) return next();
                    self->read(next);
                });
            });
        });
    }
    // Reads for good; `next` is called once the subscription is confirmed (Debrief) and then dropped.
    void read(std::function<void()> next) {
        ws.async_read(buffer, [self = shared_from_this(), next](beast::error_code ec, std::size_t) mutable {
            if (ec) {
                if (next) next();
                return;
            }
            const auto now = Clock::now();
            std::string_view text(static_cast<const char*>(self->buffer.data().data()), self->buffer.size());
            if (next && text.find("\"subscribed\"") != std::string_view::npos) {
                ++self->ready;
                std::exchange(next, nullptr)();
            } else if (self->round.load() >= 0 && (!self->options.debrief || text.find("\"event\"") != std::string_view::npos)) {
                self->arrived = now.time_since_epoch().count();
                self->round = -1;
                ++self->received;
            }
            self->buffer.consume(self->buffer.size());
            self->read(std::move(next));
        });
    }
};

// POST /v1/clients on a connection of its own; the moment its answer arrived.
Clock::time_point register_client(const Options& options, int round) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), options.port));
    http::request<http::string_body> request{http::verb::post, "/v1/clients", 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::authorization, "Bearer " + options.token);
    request.set(http::field::content_type, "application/json");
    // A name of its own each time: a coach's client names are unique.
    request.body() = json::serialize(json::object{{"name", "Broadcast " + std::to_string(::getpid()) + "-" + std::to_string(round)}});
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    const auto answered = Clock::now();
    if (response.result_int() != 201) std::cerr << "POST /v1/clients: " << response.result_int() << " " << response.body() << "\n";
    return answered;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::cerr << "usage: ws_load <baseline|debrief> <port> <server pid> <connections> <rounds> [access token]\n";
        return 2;
    }
    Options options{std::string(argv[1]) == "debrief", static_cast<unsigned short>(std::stoi(argv[2])), std::stoi(argv[3]), std::stoi(argv[4]),
                    std::stoi(argv[5]), argc > 6 ? argv[6] : ""};
    asio::io_context io;
    std::atomic<int> ready{0}, received{0};
    const long before = resident_kib(options.pid);
    std::vector<std::shared_ptr<Socket>> sockets;
    for (int i = 0; i < options.connections; ++i) sockets.push_back(std::make_shared<Socket>(io, options, i, ready, received));
    // At most 200 opening at once; each one that finishes (or fails) starts the next.
    std::size_t started = 0;
    std::atomic<int> settled{0};
    std::function<void()> start_next = [&] {
        ++settled;
        if (started < sockets.size()) sockets[started++]->open(start_next);
    };
    settled = -static_cast<int>(std::min<std::size_t>(200, sockets.size()));
    for (int i = 0; i < 200 && started < sockets.size(); ++i) start_next();
    std::thread loop([&] {
        auto guard = asio::make_work_guard(io);
        io.run();
    });
    const auto open_deadline = Clock::now() + std::chrono::minutes(5);
    while (ready.load() + 0 < options.connections && Clock::now() < open_deadline) {
        if (settled >= options.connections) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling the counters, bounded by the deadline
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));  // let the server settle its allocations before reading its memory
    const long after = resident_kib(options.pid);
    const int open = ready.load();

    std::vector<double> latencies;
    int total_received = 0;
    for (int round = 0; round < options.rounds; ++round) {
        received = 0;
        for (auto& socket : sockets) socket->round = round;
        Clock::time_point from;
        if (options.debrief) {
            from = register_client(options, round);
        } else {
            asio::post(io, [&] {
                std::string message = R"(broadcast {"type":"event","channel":"organization","round":)" + std::to_string(round) + R"(,"data":{)";
                for (int field = 0; message.size() < 500; ++field)
                    message += (field ? "," : "") + std::string(R"("field_)") + std::to_string(field) + R"(":"value of field )" + std::to_string(field) + "\"";
                message += "}}";
                sockets[0]->out = message;
                sockets[0]->ws.async_write(asio::buffer(sockets[0]->out), [](beast::error_code, std::size_t) {});
            });
            from = Clock::now();
        }
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        while (received.load() < open && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // stragglers of this round, before the next
        total_received += received.load();
        for (auto& socket : sockets) {
            const auto arrived = socket->arrived.exchange(0);
            if (arrived != 0) latencies.push_back(std::chrono::duration<double, std::milli>(Clock::time_point(Clock::duration(arrived)) - from).count());
        }
    }
    const long after_broadcasts = resident_kib(options.pid);
    std::sort(latencies.begin(), latencies.end());
    const double p50 = latencies.empty() ? 0 : debrief::bench::percentile(latencies, 0.50);
    const double p99 = latencies.empty() ? 0 : debrief::bench::percentile(latencies, 0.99);
    const double max = latencies.empty() ? 0 : latencies.back();
    const double per_connection = open > 0 ? static_cast<double>(after - before) / open : 0;
    std::printf("WS %s %d %d %ld %ld %.1f %.2f %.2f %.2f %d %d %ld\n", options.debrief ? "debrief" : "baseline", options.connections, open, before, after,
                per_connection, p50, p99, max, total_received, open * options.rounds, after_broadcasts);
    std::fflush(stdout);
    io.stop();
    loop.join();
    _exit(0);  // 50,000 sockets need no orderly close: the server sees them go
}
