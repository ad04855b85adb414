// The raw client on a blocking Asio socket with a receive timeout, parsing the answer with Beast.
#include "tests/integration/raw_http_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <stdexcept>

#include "tests/integration/beast_response.hpp"

namespace debrief::it {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct RawConnection::Impl {
    asio::io_context io;
    asio::ip::tcp::socket socket{io};
    beast::flat_buffer buffer;
};

RawConnection::RawConnection(unsigned short port, std::chrono::seconds timeout) : impl_(std::make_unique<Impl>()) {
    impl_->socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval limit{static_cast<time_t>(timeout.count()), 0};
    ::setsockopt(impl_->socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(impl_->socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

RawConnection::~RawConnection() = default;

void RawConnection::send(std::string_view bytes) {
    beast::error_code ignored;
    asio::write(impl_->socket, asio::buffer(bytes.data(), bytes.size()), ignored);
}

HttpResult RawConnection::read_response() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    beast::error_code ec;
    http::read(impl_->socket, impl_->buffer, parser, ec);
    if (ec) throw std::runtime_error("no HTTP response: " + ec.message());
    return to_http_result(parser.release());
}

bool RawConnection::closed_by_server() {
    char byte = 0;
    beast::error_code ec;
    impl_->socket.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof;
}

HttpResult raw_exchange(unsigned short port, std::string_view bytes) {
    RawConnection connection(port);
    connection.send(bytes);
    return connection.read_response();
}

}  // namespace debrief::it
