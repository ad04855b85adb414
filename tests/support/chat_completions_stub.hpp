// A stub of an OpenAI-compatible chat-completions server for tests: 127.0.0.1 on an ephemeral port, in the test
// process, answering each POST with what the test's handler says; it records every request. A response marked
// `hold` waits on a condition variable until the test calls release() (or the stub is destroyed), never a sleep.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace debrief::testing {

struct StubRequest {
    std::string method;
    std::string target;
    std::string authorization;
    std::string body;
    // The user message of a chat-completions request, or empty.
    std::string user_message() const {
        boost::system::error_code ec;
        auto json = boost::json::parse(body, ec);
        if (ec || !json.is_object() || !json.as_object().contains("messages")) return {};
        for (const auto& m : json.at("messages").as_array())
            if (m.at("role") == "user") return std::string(m.at("content").as_string());
        return {};
    }
};

struct StubResponse {
    int status = 200;
    std::string body;
    bool hold = false;  // answer only after release()
};

class ChatCompletionsStub {
public:
    using Handler = std::function<StubResponse(const StubRequest&)>;

    explicit ChatCompletionsStub(Handler handler) : handler_(std::move(handler)), acceptor_(io_) {
        namespace net = boost::asio;
        net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(net::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        accept_thread_ = std::thread([this] { accept_loop(); });
    }
    ~ChatCompletionsStub() { stop(); }
    ChatCompletionsStub(const ChatCompletionsStub&) = delete;
    ChatCompletionsStub& operator=(const ChatCompletionsStub&) = delete;

    unsigned short port() const { return port_; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

    void set_handler(Handler handler) {
        std::lock_guard lock(mutex_);
        handler_ = std::move(handler);
    }
    std::size_t request_count() const {
        std::lock_guard lock(mutex_);
        return requests_.size();
    }
    std::vector<StubRequest> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    // Lets every held response go, now and later.
    void release() {
        {
            std::lock_guard lock(mutex_);
            released_ = true;
        }
        released_cv_.notify_all();
    }
    // Stops listening (later requests are refused) and finishes the connections in flight.
    void stop() {
        if (stopped_.exchange(true)) return;
        release();
        {
            // Wake the blocking accept with a connection of our own.
            boost::asio::io_context io;
            boost::asio::ip::tcp::socket wake(io);
            boost::system::error_code ignored;
            wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ignored);
        }
        if (accept_thread_.joinable()) accept_thread_.join();
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        std::vector<std::thread> connections;
        {
            std::lock_guard lock(mutex_);
            connections.swap(connections_);
        }
        for (auto& t : connections) t.join();
    }

    // A chat-completions answer whose first choice says `content`.
    static std::string completion(const std::string& content) {
        boost::json::object message{{"role", "assistant"}, {"content", content}};
        boost::json::object choice{{"index", 0}, {"message", message}, {"finish_reason", "stop"}};
        return boost::json::serialize(boost::json::object{{"id", "chatcmpl-stub"}, {"object", "chat.completion"}, {"choices", boost::json::array{choice}}});
    }

private:
    void accept_loop() {
        for (;;) {
            boost::asio::ip::tcp::socket socket(io_);
            boost::system::error_code ec;
            acceptor_.accept(socket, ec);
            if (stopped_) return;
            if (ec) continue;
            std::lock_guard lock(mutex_);
            connections_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
        }
    }

    void serve(boost::asio::ip::tcp::socket socket) {
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> request;
        boost::system::error_code ec;
        http::read(socket, buffer, request, ec);
        if (ec) return;
        StubRequest seen{std::string(request.method_string()), std::string(request.target()), std::string(request[http::field::authorization]),
                         request.body()};
        Handler handler;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(seen);
            handler = handler_;
        }
        auto answer = handler(seen);
        if (answer.hold) {
            std::unique_lock lock(mutex_);
            released_cv_.wait(lock, [this] { return released_; });
        }
        http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
        response.set(http::field::content_type, "application/json");
        response.keep_alive(false);
        response.body() = answer.body;
        response.prepare_payload();
        http::write(socket, response, ec);
        socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }

    Handler handler_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::thread accept_thread_;
    mutable std::mutex mutex_;
    std::condition_variable released_cv_;
    bool released_ = false;
    std::atomic<bool> stopped_{false};
    std::vector<StubRequest> requests_;
    std::vector<std::thread> connections_;
};

}  // namespace debrief::testing
