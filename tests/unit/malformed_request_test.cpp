// Malformed HTTP without sockets: raw bytes through Beast's request parser, then the answer the server would send.
#include <doctest/doctest.h>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <string>

#include "api/http/malformed_request.hpp"

using namespace debrief;
namespace http = boost::beast::http;

namespace {
constexpr std::size_t limit = 1024;

struct Parsed {
    boost::system::error_code error;
    unsigned version = 0;
    bool request_line_parsed = false;
    std::string unparsed;
};

// As the server reads: the bytes arrive in chunks, the parser consumes what it can, the rest stays buffered.
Parsed parse(const std::string& raw, std::size_t chunk_bytes) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(limit);
    parser.eager(true);
    Parsed parsed;
    std::string buffered;
    for (std::size_t next = 0; !parser.is_done();) {
        if (next < raw.size()) {
            buffered += raw.substr(next, chunk_bytes);
            next += chunk_bytes;
        }
        auto used = parser.put(boost::asio::buffer(buffered), parsed.error);
        buffered.erase(0, used);
        if (parsed.error == http::error::need_more && next < raw.size()) continue;
        if (parsed.error == http::error::need_more) parser.put_eof(parsed.error);
        break;
    }
    parsed.request_line_parsed = !parser.get().target().empty();
    parsed.unparsed = buffered;
    if (!parsed.error) parsed.version = parser.get().version();
    return parsed;
}

// The answer to a request that did not parse, as status and code: the same whether it arrives whole or in pieces.
std::pair<int, std::string> answer(const std::string& raw) {
    std::pair<int, std::string> whole;
    for (std::size_t chunk : {raw.size(), std::size_t{4096}, std::size_t{7}}) {
        CAPTURE(chunk);
        auto parsed = parse(raw, chunk);
        REQUIRE(parsed.error);
        REQUIRE(api::is_malformed_request(parsed.error));
        auto response = api::malformed_request_answer(parsed.error, parsed.request_line_parsed, parsed.unparsed, limit);
        CHECK(response.content_type == "application/problem+json");
        auto body = boost::json::parse(response.body).as_object();
        CHECK(body.at("status").as_int64() == response.status);
        CHECK(!body.at("detail").as_string().empty());
        std::pair<int, std::string> got{response.status, std::string(body.at("code").as_string())};
        if (chunk == raw.size()) whole = got;
        CHECK(got == whole);
    }
    return whole;
}
}  // namespace

TEST_CASE("a request line longer than the header limit is 414 uri_too_long") {
    CHECK(answer("GET /" + std::string(2 * limit, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n") == std::pair<int, std::string>{414, "uri_too_long"});
    // Still arriving: no line end yet, only more of the target.
    CHECK(answer("GET /" + std::string(2 * limit, 'a')) == std::pair<int, std::string>{414, "uri_too_long"});
}

TEST_CASE("headers that together exceed the limit are 431 header_fields_too_large") {
    CHECK(answer("GET / HTTP/1.1\r\nX-Big: " + std::string(2 * limit, 'b') + "\r\n\r\n") == std::pair<int, std::string>{431, "header_fields_too_large"});
    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 100; ++i) many += "X-" + std::to_string(i) + ": 0123456789\r\n";
    CHECK(answer(many + "\r\n") == std::pair<int, std::string>{431, "header_fields_too_large"});
    // A long request line that fits, with headers that then do not: the headers are too large, not the target.
    CHECK(answer("GET /" + std::string(limit - 100, 'a') + " HTTP/1.1\r\nX-A: " + std::string(2 * limit, 'c') + "\r\n\r\n") ==
          std::pair<int, std::string>{431, "header_fields_too_large"});
}

TEST_CASE("a version other than HTTP/1.0 and HTTP/1.1 is 505 http_version_not_supported") {
    const std::pair<int, std::string> unsupported{505, "http_version_not_supported"};
    CHECK(answer("GET / HTTP/9.9\r\nHost: x\r\n\r\n") == unsupported);
    CHECK(answer("GET / HTTP/2.0\r\n\r\n") == unsupported);
    CHECK(answer("GET / HTTP/0.9\r\n\r\n") == unsupported);
    CHECK(answer("GET / HTTP/10.0\r\n\r\n") == unsupported);
    CHECK(answer("GET / HTTP/1.x\r\n\r\n") == unsupported);
    for (const char* served : {"GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.0\r\n\r\n"}) {
        CAPTURE(served);
        auto parsed = parse(served, 4096);
        CHECK_FALSE(parsed.error);
        CHECK((parsed.version == 10 || parsed.version == 11));
    }
}

TEST_CASE("garbage, a NUL in the path and bad header syntax are 400 malformed_request") {
    const std::pair<int, std::string> malformed{400, "malformed_request"};
    CHECK(answer("hello there\r\n\r\n") == malformed);
    CHECK(answer(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15)) == malformed);  // a TLS hello
    CHECK(answer(std::string("GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n", 30)) == malformed);
    CHECK(answer("GET / FOO\r\n\r\n") == malformed);
    CHECK(answer("GET / HTTP/1.1\r\nno colon here\r\n\r\n") == malformed);
    CHECK(answer("GET / HTTP/1.1\r\nX-A: a\x01z\r\n\r\n") == malformed);
    CHECK(answer("POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n") == malformed);
    CHECK(answer("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") == malformed);
}

TEST_CASE("a closed or timed-out connection is not answered") {
    CHECK_FALSE(api::is_malformed_request(http::error::end_of_stream));
    CHECK_FALSE(api::is_malformed_request(boost::asio::error::operation_aborted));
    CHECK_FALSE(api::is_malformed_request(boost::asio::error::connection_reset));
    CHECK_FALSE(api::is_malformed_request({}));
    CHECK(api::is_malformed_request(http::error::partial_message));
}
