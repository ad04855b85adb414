// A scripted SMTP server on loopback for unit and integration tests of follow-up delivery.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace debrief::testing {

// An SMTP server on 127.0.0.1 for tests: answers each command with a scripted reply (by verb, or a default that
// accepts) and records what it received. Serves `connections` connections in turn, then stops.
class StubSmtpServer {
public:
    using Script = std::map<std::string, std::string>;  // verb (or "greeting", "message") -> reply
    explicit StubSmtpServer(Script replies) : StubSmtpServer(std::vector<Script>{std::move(replies)}) {}
    // One script per connection, in order.
    explicit StubSmtpServer(std::vector<Script> scripts) : scripts_(std::move(scripts)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) throw std::runtime_error("stub SMTP: bind failed");
        socklen_t size = sizeof address;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
        port_ = ntohs(address.sin_port);
        if (::listen(fd_, 4) != 0) throw std::runtime_error("stub SMTP: listen failed");
        thread_ = std::thread([this] { serve(); });
    }
    ~StubSmtpServer() {
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        if (thread_.joinable()) thread_.join();
    }
    unsigned short port() const { return port_; }
    // Everything the clients sent; waits until every scripted connection has been served.
    std::string received() {
        if (thread_.joinable()) thread_.join();
        return received_;
    }

private:
    std::string reply_to(Script& replies_, const std::string& line, bool& in_data) {
        if (in_data) {
            if (line != ".") return {};
            in_data = false;
            return replies_.count("message") ? replies_["message"] : "250 2.0.0 queued as 42";
        }
        auto verb = line.substr(0, line.find_first_of(" :"));
        if (verb == "DATA") in_data = true;
        if (replies_.count(verb)) return replies_[verb];
        if (verb == "EHLO") return "250-stub.local\r\n250 AUTH PLAIN";
        if (verb == "DATA") return "354 go ahead";
        if (verb == "QUIT") return "221 bye";
        if (verb == "AUTH") return "235 2.7.0 accepted";
        return "250 ok";
    }

    void serve() {
        for (auto& script : scripts_)
            if (!serve_one(script)) return;
    }

    bool serve_one(Script& replies_) {
        int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return false;
        auto send_line = [&](const std::string& text) { (void)!::write(client, (text + "\r\n").data(), text.size() + 2); };
        send_line(replies_.count("greeting") ? replies_["greeting"] : "220 stub ESMTP");
        std::string buffer;
        bool in_data = false;
        char chunk[4096];
        for (;;) {
            auto n = ::read(client, chunk, sizeof chunk);
            if (n <= 0) break;
            buffer.append(chunk, static_cast<std::size_t>(n));
            received_.append(chunk, static_cast<std::size_t>(n));
            bool closed = false;
            for (auto end = buffer.find("\r\n"); end != std::string::npos; end = buffer.find("\r\n")) {
                auto line = buffer.substr(0, end);
                buffer.erase(0, end + 2);
                bool was_data = in_data;
                auto reply = reply_to(replies_, line, in_data);
                if (!reply.empty()) send_line(reply);
                if (!was_data && (line == "QUIT" || reply.starts_with("5") || reply.starts_with("4"))) closed = true;
            }
            if (closed) break;
        }
        ::close(client);
        return true;
    }

    std::vector<Script> scripts_;
    int fd_ = -1;
    unsigned short port_ = 0;
    std::thread thread_;
    std::string received_;
};

}  // namespace debrief::testing
