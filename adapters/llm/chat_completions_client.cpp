// One HTTP/1.1 exchange on Asio's asynchronous operations, run on a private io_context for at most the timeout:
// the asynchronous form is what makes the deadline cover resolve, connect, TLS handshake, write and read alike.
#include "adapters/llm/chat_completions_client.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <optional>

namespace debrief::adapters {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct ChatCompletionsClient::Impl {
    ChatCompletionsSettings settings;
    bool tls = false;
    std::string host;
    std::string port;
    std::string target;    // path of {base_url}/chat/completions
    std::string endpoint;  // scheme://host:port/target
    std::unique_ptr<ssl::context> tls_context;
};

namespace {

Error failure(std::string code, std::string message) { return {ErrorKind::unavailable, std::move(code), std::move(message)}; }

template <typename Stream>
Result<HttpReply> exchange(net::io_context& io, Stream& stream, const ChatCompletionsClient& client, const ChatCompletionsSettings& settings,
                           const std::string& host, const std::string& port, http::request<http::string_body>& request) {
    constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;
    tcp::resolver resolver(io);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(settings.max_response_bytes);
    std::optional<Error> failed;
    bool done = false;
    auto fail = [&](std::string_view step, const beast::error_code& ec) {
        if (!failed) failed = failure("llm_connect_failed", std::string(step) + " " + client.endpoint() + ": " + ec.message());
    };

    resolver.async_resolve(host, port, [&](const beast::error_code& ec, const tcp::resolver::results_type& results) {
        if (ec) return fail("resolve", ec);
        beast::get_lowest_layer(stream).async_connect(results, [&](const beast::error_code& ec, const tcp::endpoint&) {
            if (ec) return fail("connect", ec);
            auto send = [&] {
                http::async_write(stream, request, [&](const beast::error_code& ec, std::size_t) {
                    if (ec) return fail("write", ec);
                    http::async_read(stream, buffer, parser, [&](const beast::error_code& ec, std::size_t) {
                        if (ec) return fail("read", ec);
                        done = true;
                    });
                });
            };
            if constexpr (tls) {
                stream.async_handshake(ssl::stream_base::client, [&, send](const beast::error_code& ec) {
                    if (ec) return fail("tls handshake", ec);
                    send();
                });
            } else {
                send();
            }
        });
    });

    io.run_for(settings.timeout);
    if (!done && !failed) {
        failed = failure("llm_timeout", "no answer from " + client.endpoint() + " within " + std::to_string(settings.timeout.count()) + " ms");
        resolver.cancel();
        beast::error_code ignored;
        beast::get_lowest_layer(stream).socket().close(ignored);
        io.restart();
        io.run();  // the cancelled operations complete with operation_aborted; `failed` is already set
    }
    if (failed) return *failed;
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    return HttpReply{static_cast<int>(parser.get().result_int()), parser.get().body()};
}

}  // namespace

ChatCompletionsClient::ChatCompletionsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ChatCompletionsClient::~ChatCompletionsClient() = default;

Result<std::unique_ptr<ChatCompletionsClient>> ChatCompletionsClient::create(ChatCompletionsSettings settings) {
    auto url = boost::urls::parse_absolute_uri(settings.base_url);
    if (!url) return invalid("invalid_config", "the LLM URL is not an absolute URL: " + settings.base_url);
    auto impl = std::make_unique<Impl>();
    auto scheme = std::string(url->scheme());
    if (scheme != "http" && scheme != "https") return invalid("invalid_config", "the LLM URL must start with http:// or https://");
    impl->tls = scheme == "https";
    impl->host = std::string(url->encoded_host());
    if (impl->host.empty()) return invalid("invalid_config", "the LLM URL has no host");
    impl->port = url->has_port() ? std::string(url->port()) : (impl->tls ? "443" : "80");
    std::string path(url->encoded_path());
    while (!path.empty() && path.back() == '/') path.pop_back();
    impl->target = path + "/chat/completions";
    impl->endpoint = scheme + "://" + impl->host + ":" + impl->port + impl->target;
    if (impl->tls) {
        impl->tls_context = std::make_unique<ssl::context>(ssl::context::tls_client);
        impl->tls_context->set_default_verify_paths();
        impl->tls_context->set_verify_mode(ssl::verify_peer);
    }
    impl->settings = std::move(settings);
    return std::unique_ptr<ChatCompletionsClient>(new ChatCompletionsClient(std::move(impl)));
}

const std::string& ChatCompletionsClient::endpoint() const { return impl_->endpoint; }

Result<HttpReply> ChatCompletionsClient::post(const std::string& json_body) const {
    const auto& s = *impl_;
    http::request<http::string_body> request{http::verb::post, s.target, 11};
    request.set(http::field::host, s.host + ((s.port == "80" && !s.tls) || (s.port == "443" && s.tls) ? "" : ":" + s.port));
    request.set(http::field::user_agent, "debrief");
    request.set(http::field::content_type, "application/json");
    request.set(http::field::accept, "application/json");
    if (!s.settings.api_key.empty()) request.set(http::field::authorization, "Bearer " + s.settings.api_key);
    request.keep_alive(false);
    request.body() = json_body;
    request.prepare_payload();

    net::io_context io;
    try {
        if (s.tls) {
            beast::ssl_stream<beast::tcp_stream> stream(io, *s.tls_context);
            if (!SSL_set_tlsext_host_name(stream.native_handle(), s.host.c_str()))
                return failure("llm_connect_failed", "cannot set the TLS server name for " + s.host);
            stream.set_verify_callback(ssl::host_name_verification(s.host));
            return exchange(io, stream, *this, s.settings, s.host, s.port, request);
        }
        beast::tcp_stream stream(io);
        return exchange(io, stream, *this, s.settings, s.host, s.port, request);
    } catch (const std::exception& e) {
        return failure("llm_connect_failed", std::string("request to ") + s.endpoint + " failed: " + e.what());
    }
}

}  // namespace debrief::adapters
