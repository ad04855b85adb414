#include "app/admin_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <array>

namespace debrief::app {
namespace {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

http::request<http::string_body> request_of(const AdminServer& server, http::verb verb, const std::string& target, const std::string& token,
                                            const std::string& body) {
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, server.host);
    request.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
        request.set(http::field::content_type, "application/json");
        request.body() = body;
    }
    request.prepare_payload();
    return request;
}
}  // namespace

std::optional<AdminServer> parse_admin_url(const std::string& url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || parsed->scheme() != "http" || parsed->host().empty()) return std::nullopt;
    return AdminServer{parsed->host(), parsed->has_port() ? std::string(parsed->port()) : "80"};
}

Reply exchange(const AdminServer& server, const std::string& method, const std::string& target, const std::string& token, const std::string& body) {
    net::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve(server.host, server.port));
    http::write(stream, request_of(server, http::string_to_verb(method), target, token, body));
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return {static_cast<int>(response.result_int()), response.body()};
}

Reply stream_get(const AdminServer& server, const std::string& target, const std::string& token,
                 const std::function<void(std::string_view)>& on_piece) {
    net::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve(server.host, server.port));
    http::write(stream, request_of(server, http::verb::get, target, token, {}));
    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);  // an export has no size limit
    http::read_header(stream, buffer, parser);
    Reply reply{static_cast<int>(parser.get().result_int()), {}};
    std::array<char, 64 * 1024> piece;
    while (!parser.is_done()) {
        parser.get().body().data = piece.data();
        parser.get().body().size = piece.size();
        beast::error_code ec;
        http::read(stream, buffer, parser, ec);
        if (ec && ec != http::error::need_buffer) throw beast::system_error(ec);  // cut short: the export is incomplete
        const std::string_view got(piece.data(), piece.size() - parser.get().body().size);
        if (reply.status == 200) on_piece(got);
        else reply.body += got;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return reply;
}

std::string detail_of(const Reply& reply) {
    try {
        const auto problem = boost::json::parse(reply.body).as_object();
        return std::string(problem.at("code").as_string()) + ": " + std::string(problem.at("detail").as_string());
    } catch (const std::exception&) {
        return reply.body;
    }
}

}  // namespace debrief::app
