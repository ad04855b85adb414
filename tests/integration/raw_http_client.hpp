// A raw TCP client for HTTP edge cases that a well-behaved client cannot send: bytes in, one parsed response out.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include "tests/integration/harness.hpp"

namespace debrief::it {

class RawConnection {
public:
    // Connects to the server on 127.0.0.1; every read waits at most `timeout`.
    explicit RawConnection(unsigned short port, std::chrono::seconds timeout = std::chrono::seconds(30));
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // Write errors are ignored: a server that refuses a request may close before reading all of it.
    void send(std::string_view bytes);
    // Reads one response. Throws std::runtime_error when none arrives (closed without an answer, or timed out).
    HttpResult read_response();
    // True when the server closed the connection after its answer (reading more ends with end of stream).
    bool closed_by_server();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One request as raw bytes on a new connection; the response to it.
HttpResult raw_exchange(unsigned short port, std::string_view bytes);

}  // namespace debrief::it
