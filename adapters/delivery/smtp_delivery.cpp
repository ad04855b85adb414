// A small blocking SMTP client on POSIX sockets; poll() bounds every read and write by the deadline.
#include "adapters/delivery/smtp_delivery.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <tuple>
#include <vector>

namespace debrief::delivery {
namespace {

using Clock = std::chrono::steady_clock;

Error failure(std::string message) { return Error{ErrorKind::unavailable, "delivery_failed", std::move(message)}; }

class Connection {
public:
    Connection(int fd, Clock::time_point deadline) : fd_(fd), deadline_(deadline) {}
    ~Connection() { ::close(fd_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    std::optional<Error> send(std::string_view data) {
        while (!data.empty()) {
            if (auto waited = wait(POLLOUT)) return waited;
            auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return failure(std::string("SMTP write failed: ") + std::strerror(errno));
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return std::nullopt;
    }

    // One reply, possibly multi-line ("250-..." lines then "250 ..."): its code and its text.
    Result<std::pair<int, std::string>> reply() {
        std::string text;
        for (;;) {
            auto line = read_line();
            if (!line) return line.error();
            const auto& l = line.value();
            if (l.size() < 3 || !std::isdigit(static_cast<unsigned char>(l[0]))) return failure("SMTP server sent a malformed reply: " + l);
            text += (text.empty() ? "" : " | ") + l;
            if (l.size() == 3 || l[3] == ' ') return std::pair{std::stoi(l.substr(0, 3)), text};
        }
    }

private:
    std::optional<Error> wait(short events) {
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
            if (left <= 0) return failure("SMTP server timed out");
            pollfd p{fd_, events, 0};
            int ready = ::poll(&p, 1, static_cast<int>(left));
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0) return failure(std::string("SMTP poll failed: ") + std::strerror(errno));
            if (ready == 0) return failure("SMTP server timed out");
            return std::nullopt;
        }
    }

    Result<std::string> read_line() {
        for (;;) {
            auto end = buffer_.find("\r\n");
            if (end != std::string::npos) {
                auto line = buffer_.substr(0, end);
                buffer_.erase(0, end + 2);
                return line;
            }
            if (buffer_.size() > 64 * 1024) return failure("SMTP reply line too long");
            if (auto waited = wait(POLLIN)) return *waited;
            char chunk[4096];
            auto n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n == 0) return failure("SMTP server closed the connection");
            if (n < 0) return failure(std::string("SMTP read failed: ") + std::strerror(errno));
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

    int fd_;
    Clock::time_point deadline_;
    std::string buffer_;
};

Result<int> connect_to(const std::string& host, unsigned short port, Clock::time_point deadline) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0)
        return failure("cannot resolve SMTP host " + host + ": " + ::gai_strerror(rc));
    std::string last_error = "no address";
    for (auto* a = found; a; a = a->ai_next) {
        int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) continue;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            pollfd p{fd, POLLOUT, 0};
            int error = 0;
            socklen_t size = sizeof error;
            if (left > 0 && ::poll(&p, 1, static_cast<int>(left)) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0) {
                ::freeaddrinfo(found);
                return fd;
            }
            last_error = error ? std::strerror(error) : "timed out";
        } else {
            last_error = std::strerror(errno);
        }
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return failure("cannot connect to SMTP " + host + ":" + std::to_string(port) + ": " + last_error);
}

}  // namespace

std::string envelope_address(std::string_view mailbox) {
    auto open = mailbox.rfind('<');
    auto close = mailbox.rfind('>');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open) return std::string(mailbox.substr(open + 1, close - open - 1));
    return std::string(mailbox);
}

std::string dot_stuffed(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    bool line_start = true;
    for (char c : text) {
        if (line_start && c == '.') out += '.';
        out += c;
        line_start = c == '\n';
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    out += ".\r\n";
    return out;
}

Result<std::string> SmtpDelivery::deliver(const EmailMessage& message) {
    const auto deadline = Clock::now() + settings_.timeout;
    auto fd = connect_to(settings_.host, settings_.port, deadline);
    if (!fd) return fd.error();
    Connection connection(fd.value(), deadline);
    // Each step: optionally send a line, then expect a reply code in [low, high].
    auto step = [&](std::string_view what, const std::string& line, int low, int high) -> Result<std::string> {
        if (!line.empty())
            if (auto failed = connection.send(line)) return *failed;
        auto reply = connection.reply();
        if (!reply) return reply.error();
        auto [code, text] = reply.value();
        if (code < low || code > high) return failure("SMTP " + std::string(what) + " refused: " + text);
        return text;
    };
    std::vector<std::tuple<std::string_view, std::string, int, int>> steps = {
        {"greeting", "", 220, 220},
        {"EHLO", "EHLO " + settings_.helo_name + "\r\n", 250, 250},
    };
    if (!settings_.user.empty()) {
        std::string credentials = std::string(1, '\0') + settings_.user + std::string(1, '\0') + settings_.password;
        steps.emplace_back("AUTH", "AUTH PLAIN " + base64(credentials) + "\r\n", 235, 235);
    }
    steps.emplace_back("MAIL FROM", "MAIL FROM:<" + envelope_address(message.from) + ">\r\n", 250, 250);
    steps.emplace_back("RCPT TO", "RCPT TO:<" + envelope_address(message.to) + ">\r\n", 250, 251);
    steps.emplace_back("DATA", "DATA\r\n", 354, 354);
    steps.emplace_back("message", dot_stuffed(to_rfc5322(message)), 250, 250);
    std::string accepted;
    for (const auto& [what, line, low, high] : steps) {
        auto done = step(what, line, low, high);
        if (!done) return done.error();
        accepted = done.value();
    }
    (void)connection.send("QUIT\r\n");  // the message is accepted; a lost QUIT changes nothing
    return "smtp " + settings_.host + ":" + std::to_string(settings_.port) + " " + accepted;
}

}  // namespace debrief::delivery
