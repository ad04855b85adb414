// The Boost.Beast HTTP front: accepts connections (HTTPS and WSS when given a certificate), reads bounded requests,
// runs the handler off the I/O thread in a fiber (a command waiting for Kafka suspends and gives its thread back), slow
// requests on their own bounded pool, and answers every malformed request with a problem before it closes.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/http/http_message.hpp"
#include "api/http/websocket.hpp"

namespace debrief::api {

struct HttpServerSettings {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;  // 0 picks a free port (tests)
    int worker_threads = 8;  // handlers block on PostgreSQL, so they run here, not on the I/O thread
    // Requests the server is told are slow (password hashing, LLM calls, read-your-writes waits) run on their own
    // threads, at most max_slow_requests at once (running or queued); beyond that 503 overloaded at once.
    int slow_worker_threads = 8;
    std::size_t max_slow_requests = 256;
    std::size_t fiber_stack_bytes = 1024 * 1024;  // per request in flight; guarded, and only touched pages cost memory
    std::size_t max_body_bytes = 1024 * 1024;
    // File uploads (POST to one of upload_paths, e.g. a CSV of metrics) may be larger than JSON bodies.
    std::size_t max_upload_bytes = 8 * 1024 * 1024;
    std::vector<std::string> upload_paths;
    std::chrono::milliseconds read_timeout{30'000};  // reading one request, writing one answer; also the keep-alive idle limit
    std::chrono::milliseconds drain_timeout{30'000};  // after stop(), how long requests in flight may take (DEBRIEF_DRAIN_SECONDS)
    // TLS: with a certificate and its key (PEM files) the port speaks HTTPS and WSS only; without, plain HTTP.
    std::string tls_certificate_file;  // the certificate, then any intermediates
    std::string tls_private_key_file;
    std::string tls_min_version = "1.2";  // "1.2" or "1.3"
    bool tls() const { return !tls_certificate_file.empty(); }
};

// listen() could not set TLS up: a certificate or key that cannot be read, or a key that is not the certificate's.
struct TlsSetupError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class HttpServer {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;
    // Answers on the I/O thread, without the worker pool, when it returns a response: health probes must answer while
    // every worker is busy. It must not block.
    using InlineHandler = std::function<std::optional<HttpResponse>(const HttpRequest&)>;
    // Whether a request goes to the slow pool; must not block.
    using SlowRequest = std::function<bool(const HttpRequest&)>;
    HttpServer(HttpServerSettings settings, Handler handler, InlineHandler inline_handler = {}, SlowRequest is_slow = {});
    ~HttpServer();

    // From this call on, the given signals (SIGINT, SIGTERM) no longer end the process: an asio::signal_set on the
    // I/O context catches them, and the first one calls on_signal on the I/O thread once run() serves (one that
    // arrives earlier waits for it). on_signal must not block; it usually calls stop().
    void on_signals(const std::vector<int>& signals, std::function<void(int)> on_signal);
    // Called on every answer before it is written (request null when the request could not be parsed): headers every
    // answer carries. Must not block.
    using Decorator = std::function<void(const HttpRequest* request, HttpResponse& response)>;
    void decorate_answers(Decorator decorator);
    // Upgrades requests for settings.path to WebSockets served by the sessions `open` makes (before run()).
    void serve_websockets(WebSocketSettings settings, WebSocketOpen open);
    // Loads the TLS certificate and key when settings.tls() (TlsSetupError when they cannot be used), binds and listens;
    // returns the bound port. Throws if the address is taken.
    unsigned short listen();
    // Serves on the calling thread until stop(); then stops accepting, closes idle connections and WebSockets (1001,
    // after what is queued for them), lets requests in flight finish for at most drain_timeout, and returns once no handler runs any more (a handler still running
    // past the drain is waited for), so that nothing the handlers use may go away while one runs.
    void run();
    // Asks run() to drain and return. Safe from any thread, also before run(); only the first call counts.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::api
