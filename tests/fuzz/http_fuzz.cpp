// libFuzzer target: raw bytes as HTTP/1.1 requests on one connection, read as api/http/http_server.cpp reads them
// (Beast's request_parser with the same limits, over beast::test::stream), then routed by api::Api::handle.
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstdint>
#include <string>

#include "api/http/http_server.hpp"
#include "tests/fuzz/api_fuzz_world.hpp"

using namespace debrief;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::size_t header_limit_bytes = 16 * 1024;            // as http_server.cpp
constexpr std::string_view upload_path = "/v1/metrics/imports";  // as app/service.cpp sets upload_paths
constexpr int max_requests_per_input = 8;

bool is_upload(const http::request<http::string_body>& header) {
    std::string_view target(header.target().data(), header.target().size());
    return header.method() == http::verb::post && target.substr(0, target.find('?')) == upload_path;
}

// As http_server.cpp converts a request; the placeholders are replaced after parsing, so Content-Length stays true.
api::HttpRequest to_request(const http::request<http::string_body>& in) {
    api::HttpRequest out;
    out.method = std::string(in.method_string());
    out.target = fuzz::substitute(std::string(in.target()));
    for (const auto& field : in) out.headers[std::string(field.name_string())] = fuzz::substitute(std::string(field.value()));
    out.body = fuzz::substitute(in.body());
    out.remote_address = "127.0.0.1";
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) { return fuzz::start(); }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto& shared = fuzz::shared();
    const api::HttpServerSettings limits;
    static boost::asio::io_context io;  // only lends the stream an executor: nothing runs on it
    beast::test::stream stream(io, std::string_view(reinterpret_cast<const char*>(data), size));
    stream.close_remote();  // the client has sent everything: a read past it is end of stream
    beast::flat_buffer buffer;
    fuzz::World world(shared);
    for (int n = 0; n < max_requests_per_input; ++n) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(limits.max_body_bytes);
        parser.header_limit(header_limit_bytes);
        beast::error_code ec;
        http::read_header(stream, buffer, parser, ec);
        if (!ec && is_upload(parser.get())) parser.body_limit(limits.max_upload_bytes);
        if (!ec) http::read(stream, buffer, parser, ec);
        if (ec) break;  // the server answers 400 or 413 and closes, or the client is done
        auto request = parser.release();
        auto plain = to_request(request);
        const auto database_reads = shared.database_stand_in.connections();
        const auto appended = world.appended();
        auto response = world.api.handle(plain);
        fuzz::trace(plain, response);
        fuzz::check_response(response);
        // A 5xx only when a backing service failed: the database, or a read model that has not reached ?position=.
        const bool reached_database = shared.database_stand_in.connections() != database_reads;
        if (response.status >= 500) FUZZ_CHECK(reached_database || (response.status == 504 && plain.target.find("position=") != std::string::npos));
        // A refused request appends nothing.
        if (response.status >= 400) FUZZ_CHECK(world.appended() == appended);
        if (!request.keep_alive()) break;
    }
    return 0;
}
