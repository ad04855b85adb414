// One GET on its own connection, on its own thread: the status, body and headers once answered.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <future>
#include <map>
#include <string>

namespace debrief::testing {

struct HttpAnswer {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
};

inline std::future<HttpAnswer> get_async(unsigned short port, std::string target) {
    return std::async(std::launch::async, [port, target] {
        namespace beast = boost::beast;
        namespace http = beast::http;
        boost::asio::io_context io;
        beast::tcp_stream stream(io);
        stream.connect(boost::asio::ip::tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), port});
        http::request<http::empty_body> request{http::verb::get, target, 11};
        request.set(http::field::host, "x");
        http::write(stream, request);
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        HttpAnswer answer{static_cast<int>(response.result_int()), response.body(), {}};
        for (const auto& field : response) answer.headers[std::string(field.name_string())] = std::string(field.value());
        return answer;
    });
}

}  // namespace debrief::testing
