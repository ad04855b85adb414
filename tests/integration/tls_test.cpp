// HTTPS and WSS served by Debrief itself, on the self-signed certificate ops/tls-cert makes (DEBRIEF_TEST_TLS_*): a
// client that trusts that certificate and checks the name gets the API and its WebSocket, plain HTTP on the port is
// told to use HTTPS, TLS 1.3 only refuses a TLS 1.2 client, and a certificate Debrief cannot use stops the start.
#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "tests/integration/beast_response.hpp"
#include "tests/integration/harness.hpp"
#include "tests/integration/raw_http_client.hpp"

using namespace debrief;
using namespace debrief::it;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

struct TestCertificate {
    std::string certificate_file;
    std::string key_file;
};

const TestCertificate& test_certificate() {
    static const TestCertificate files = [] {
        const char* certificate = std::getenv("DEBRIEF_TEST_TLS_CERTIFICATE_FILE");
        const char* key = std::getenv("DEBRIEF_TEST_TLS_KEY_FILE");
        if (!certificate || !key) throw std::runtime_error("DEBRIEF_TEST_TLS_CERTIFICATE_FILE and DEBRIEF_TEST_TLS_KEY_FILE must name ops/tls-cert's files (./ops/test sets them)");
        return TestCertificate{certificate, key};
    }();
    return files;
}

// The test certificate and key, unless extra names others.
std::map<std::string, std::string> tls_env(std::map<std::string, std::string> extra = {}) {
    extra.emplace("DEBRIEF_TLS_CERTIFICATE_FILE", test_certificate().certificate_file);
    extra.emplace("DEBRIEF_TLS_KEY_FILE", test_certificate().key_file);
    return extra;
}

// A client context that trusts only the test certificate and checks that the server is "localhost" by it; max_version
// caps the versions it offers (TLS1_2_VERSION: a TLS 1.2 client).
ssl::context client_context(int max_version = 0) {
    ssl::context context(ssl::context::tls_client);
    context.load_verify_file(test_certificate().certificate_file);
    context.set_verify_mode(ssl::verify_peer);
    if (max_version != 0) SSL_CTX_set_max_proto_version(context.native_handle(), max_version);
    return context;
}

// Connects to 127.0.0.1:port and shakes hands as a client of "localhost"; the error of the handshake, if any.
beast::error_code connect_tls(beast::ssl_stream<beast::tcp_stream>& stream, unsigned short port) {
    beast::get_lowest_layer(stream).expires_after(30s);
    beast::get_lowest_layer(stream).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
    stream.set_verify_callback(ssl::host_name_verification("localhost"));
    beast::error_code ec;
    stream.handshake(ssl::stream_base::client, ec);
    return ec;
}

// One HTTPS request on a new connection; also which TLS version the connection spoke.
struct HttpsResult {
    HttpResult response;
    std::string version;
};

HttpsResult https_request(unsigned short port, const std::string& method, const std::string& target, const std::string& body = {},
                          const std::string& token = {}, int max_version = 0) {
    asio::io_context io;
    auto context = client_context(max_version);
    beast::ssl_stream<beast::tcp_stream> stream(io, context);
    if (auto ec = connect_tls(stream, port)) throw std::runtime_error("TLS handshake failed: " + ec.message());
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, "localhost");
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) request.set(http::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return {to_http_result(response), SSL_get_version(stream.native_handle())};
}

// The handshake of a client that offers at most max_version; its error (none when it succeeded).
beast::error_code handshake_with(unsigned short port, int max_version) {
    asio::io_context io;
    auto context = client_context(max_version);
    beast::ssl_stream<beast::tcp_stream> stream(io, context);
    return connect_tls(stream, port);
}

// A private key that is not the test certificate's, in a PEM file.
std::string write_other_key(const Deployment& deployment) {
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    REQUIRE(key != nullptr);
    const auto path = (deployment.directory / "other.key").string();
    FILE* file = std::fopen(path.c_str(), "w");
    REQUIRE(file != nullptr);
    const bool written = PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    std::fclose(file);
    EVP_PKEY_free(key);
    REQUIRE(written);
    return path;
}

}  // namespace

TEST_CASE("with a certificate the port speaks HTTPS and WSS: the API, HSTS, its WebSocket, and plain HTTP told to use HTTPS") {
    Deployment deployment("tls");
    DebriefProcess debrief(deployment, tls_env());

    auto health = https_request(debrief.port(), "GET", "/healthz");
    CHECK(health.response.status == 200);
    CHECK(health.response.header("strict-transport-security") == "max-age=31536000; includeSubDomains");
    CHECK(health.version == "TLSv1.3");  // both sides offer it by default

    // A whole exchange: sign up, then an authenticated command and its read, all over TLS.
    auto signed_up = https_request(debrief.port(), "POST", "/v1/signup",
                                   json::serialize(json::object{{"organization", "Secure Coaching"}, {"name", "Ada Admin"},
                                                                {"email", "ada@secure.example"}, {"password", "correct horse battery staple"}}));
    REQUIRE(signed_up.response.status == 201);
    const auto token = std::string(signed_up.response.json().at("access_token").as_string());
    auto client = https_request(debrief.port(), "POST", "/v1/clients", json::serialize(json::object{{"name", "Tls Client"}}), token);
    REQUIRE(client.response.status == 201);
    CHECK(client.response.header("strict-transport-security") != "");

    // WSS: a ticket over HTTPS, the upgrade over TLS, a subscription, and the organization's next event on it.
    auto ticket = https_request(debrief.port(), "POST", "/v1/ws/tickets", "{}", token);
    REQUIRE(ticket.response.status == 201);
    {
        asio::io_context io;
        auto context = client_context();
        websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(io, context);
        REQUIRE_FALSE(connect_tls(ws.next_layer(), debrief.port()));
        beast::get_lowest_layer(ws).expires_never();
        ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        ws.handshake("localhost", "/v1/ws?ticket=" + std::string(ticket.response.json().at("ticket").as_string()));
        beast::flat_buffer buffer;
        // Reads messages until one matches; the socket's idle timeout bounds each read (a read past it fails the test).
        auto wait_for = [&](auto matches) {
            for (int read = 0; read < 100; ++read) {
                buffer.clear();
                ws.read(buffer);
                auto message = json::parse(beast::buffers_to_string(buffer.data())).as_object();
                if (matches(message)) return message;
            }
            FAIL("no matching message in 100");
            return json::object{};
        };
        CHECK(wait_for([](const json::object& m) { return m.at("type").as_string() == "authenticated"; }).contains("type"));
        ws.write(asio::buffer(json::serialize(json::object{{"type", "subscribe"}, {"channel", "organization"}})));
        auto subscribed = wait_for([](const json::object& m) { return m.at("type").as_string() == "subscribed"; });
        CHECK(subscribed.at("channel").as_string() == "organization");
        REQUIRE(https_request(debrief.port(), "POST", "/v1/clients", json::serialize(json::object{{"name", "Second Client"}}), token).response.status == 201);
        auto event = wait_for([](const json::object& m) {
            return m.at("type").as_string() == "event" && m.at("event_type").as_string() == "debrief.client.registered";  // live only: no since_position
        });
        CHECK(event.at("channel").as_string() == "organization");
        ws.close(websocket::close_code::normal);
    }

    // Plain HTTP to the TLS port: a clear answer in plain HTTP, and nothing reaches the API.
    auto plain = raw_exchange(debrief.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    CHECK(plain.status == 400);
    CHECK(plain.header("content-type") == "application/problem+json");
    CHECK(plain.json().at("code").as_string() == "https_required");

    // A TLS 1.2 client is served too by default.
    auto old_client = https_request(debrief.port(), "GET", "/healthz", {}, {}, TLS1_2_VERSION);
    CHECK(old_client.response.status == 200);
    CHECK(old_client.version == "TLSv1.2");
}

TEST_CASE("DEBRIEF_TLS_MIN_VERSION=1.3 refuses a TLS 1.2 client's handshake and serves a TLS 1.3 one") {
    Deployment deployment("tls13");
    DebriefProcess debrief(deployment, tls_env({{"DEBRIEF_TLS_MIN_VERSION", "1.3"}}));
    CHECK(handshake_with(debrief.port(), TLS1_2_VERSION));  // an error: no version in common
    auto modern = https_request(debrief.port(), "GET", "/healthz", {}, {}, TLS1_3_VERSION);
    CHECK(modern.response.status == 200);
    CHECK(modern.version == "TLSv1.3");
    // The refused handshake is counted; the numbers come from the process that refused it.
    auto metrics = https_request(debrief.port(), "GET", "/metrics");
    CHECK(metrics.response.body.find("debrief_tls_handshakes_failed_total 1") != std::string::npos);
}

TEST_CASE("a certificate without its key, a key that is not the certificate's, or a file that is not one stops the start with a clear message") {
    Deployment deployment("tls_refused");
    auto without_key = DebriefProcess::failed_start(deployment, {{"DEBRIEF_TLS_CERTIFICATE_FILE", test_certificate().certificate_file}}, 60s);
    REQUIRE(without_key);
    CHECK(without_key->status == 2);
    CHECK(without_key->log.find("DEBRIEF_TLS_CERTIFICATE_FILE and DEBRIEF_TLS_KEY_FILE") != std::string::npos);

    auto other_key = DebriefProcess::failed_start(deployment, tls_env({{"DEBRIEF_TLS_KEY_FILE", write_other_key(deployment)}}), 120s);
    REQUIRE(other_key);
    CHECK(other_key->status == 1);
    CHECK(other_key->log.find("tls_setup_failed") != std::string::npos);
    CHECK(other_key->log.find("is not the key of the certificate") != std::string::npos);

    const auto not_pem = (deployment.directory / "not-a-certificate.pem").string();
    std::ofstream(not_pem) << "this is not a certificate\n";
    auto not_a_certificate = DebriefProcess::failed_start(deployment, tls_env({{"DEBRIEF_TLS_CERTIFICATE_FILE", not_pem}}), 120s);
    REQUIRE(not_a_certificate);
    CHECK(not_a_certificate->status == 1);
    CHECK(not_a_certificate->log.find("cannot use the certificate") != std::string::npos);
}
