// Beast + Asio C++20 coroutines: one coroutine per connection (over TLS when configured), handlers in fibers on a
// worker pool (slow ones on their own), graceful drain on stop.
#include "api/http/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <deque>
#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "api/http/malformed_request.hpp"
#include "api/http/websocket_deflate.hpp"
#include "api/problem.hpp"
#include "common/json_log.hpp"
#include "common/metrics.hpp"
#include "common/thread_name.hpp"
#include "common/signal.hpp"

namespace debrief::api {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
constexpr auto as_tuple_awaitable = asio::experimental::as_tuple(asio::use_awaitable);
constexpr std::size_t header_limit_bytes = 16 * 1024;  // the request line and every header together

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <typename Stream>
beast::tcp_stream& tcp_of(Stream& stream) {
    return beast::get_lowest_layer(stream);
}

// What the drain needs of a connection, whatever it is carried over.
struct ConnectionBase {
    virtual ~ConnectionBase() = default;
    virtual void cancel() = 0;  // ends what waits on the socket: an idle keep-alive connection's read, at a drain
    std::atomic<bool> busy{false};
};

template <typename Stream>
struct Connection final : ConnectionBase {
    explicit Connection(Stream s) : stream(std::move(s)) {}
    Stream stream;
    void cancel() override {
        beast::error_code ignored;
        tcp_of(stream).socket().cancel(ignored);
    }
};

// Ends our side of a connection. Over TLS the close_notify first (waiting a moment for the peer's), so the client
// knows the stream ended where it did and not by a cut.
asio::awaitable<void> end_sending(PlainStream& stream) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
}
asio::awaitable<void> end_sending(TlsStream& stream) {
    tcp_of(stream).expires_after(std::chrono::seconds(1));
    co_await stream.async_shutdown(asio::experimental::as_tuple(asio::use_awaitable));
    beast::error_code ignored;
    tcp_of(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// The server's TLS context from its settings; TlsSetupError names what is wrong.
std::unique_ptr<asio::ssl::context> tls_context(const HttpServerSettings& settings) {
    auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression | asio::ssl::context::single_dh_use);
    const int min_version = settings.tls_min_version == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION;
    if (SSL_CTX_set_min_proto_version(context->native_handle(), min_version) != 1) throw TlsSetupError("TLS: cannot set the lowest version " + settings.tls_min_version);
    try {
        context->use_certificate_chain_file(settings.tls_certificate_file);
    } catch (const std::exception& e) {
        throw TlsSetupError("TLS: cannot use the certificate " + settings.tls_certificate_file + ": " + e.what());
    }
    const auto not_its_key = [&] {
        return TlsSetupError("TLS: the private key " + settings.tls_private_key_file + " is not the key of the certificate " + settings.tls_certificate_file);
    };
    try {
        context->use_private_key_file(settings.tls_private_key_file, asio::ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        if (ERR_GET_REASON(static_cast<unsigned long>(e.code().value())) == X509_R_KEY_VALUES_MISMATCH) throw not_its_key();
        throw TlsSetupError("TLS: cannot use the private key " + settings.tls_private_key_file + ": " + e.what());
    }
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) throw not_its_key();
    return context;
}

HttpRequest to_request(const http::request<http::string_body>& in, const std::string& remote) {
    HttpRequest out;
    out.method = std::string(in.method_string());
    out.target = std::string(in.target());
    for (const auto& field : in) out.headers[std::string(field.name_string())] = std::string(field.value());
    out.body = in.body();
    out.remote_address = remote;
    return out;
}

http::response<http::string_body> to_beast(const HttpResponse& in, unsigned version, bool keep_alive) {
    http::response<http::string_body> out{static_cast<http::status>(in.status), version};
    out.set(http::field::server, "debrief");
    if (!in.content_type.empty()) out.set(http::field::content_type, in.content_type);  // a 204 has no body to describe
    for (const auto& [name, value] : in.headers) out.set(name, value);
    out.body() = in.body;
    out.keep_alive(keep_alive);
    out.prepare_payload();
    return out;
}

// A method label from a fixed set: a client's made-up method must not make a new time series.
std::string method_label(std::string_view method) {
    for (std::string_view known : {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"})
        if (method == known) return std::string(known);
    return "other";
}

void count_answer(std::string_view method, const HttpResponse& response, std::chrono::steady_clock::duration took) {
    const auto route = response.route.empty() ? std::string("unmatched") : response.route;
    const auto verb = method_label(method);
    auto& registry = metrics::registry();
    registry.counter("debrief_http_requests_total", "HTTP requests answered, by route pattern, method and status",
                     {{"route", route}, {"method", verb}, {"status", std::to_string(response.status)}})
            .add();
    registry.histogram("debrief_http_request_duration_seconds", "from a request read to its answer ready, by route pattern and method",
                       {{"route", route}, {"method", verb}})
            .observe(std::chrono::duration<double>(took).count());
    if (response.status == 429) registry.counter("debrief_rate_limited_total", "requests and socket messages a rate limit refused", {{"scope", "http"}}).add();
}

// Open WebSockets of every server in the process (a gauge the registry reads when scraped).
std::atomic<std::int64_t> open_websockets{0};
void register_websocket_gauge() {
    static std::once_flag once;
    std::call_once(once, [] {
        metrics::registry().gauge("debrief_websocket_connections", "WebSockets open", [] {
            return std::vector<std::pair<metrics::Labels, double>>{{{}, static_cast<double>(open_websockets.load())}};
        });
    });
}
metrics::Counter& websocket_counter(const char* name, const char* help) { return metrics::registry().counter(name, help); }

// Lets code running in a handler's fiber wait on a Signal by suspending the fiber: its thread serves other requests
// meanwhile, and the fiber resumes on it when the signal is set.
class FiberSuspender final : public Suspender {
public:
    explicit FiberSuspender(asio::yield_context yield) : yield_(std::move(yield)) {}
    void suspend_until(Signal& signal) override {
        current_suspender() = nullptr;  // this thread runs other fibers meanwhile
        asio::async_initiate<asio::yield_context, void()>(
            [&signal](auto handler) {  // runs once the fiber is suspended
                auto resume = std::make_shared<decltype(handler)>(std::move(handler));
                signal.on_set([resume] { asio::post(std::move(*resume)); });  // to the fiber's own thread
            },
            yield_);
        current_suspender() = this;  // on the thread it resumed on
    }

private:
    asio::yield_context yield_;
};

// Fiber stacks, kept for reuse: mapping a guarded stack per request and unmapping it after (with the TLB shootdown
// that costs on every core) took about a tenth of the server's CPU under load. A stack comes back from the thread its
// fiber ended on, hence the mutex; at most max_kept wait here, each holding the pages its last fiber touched.
constexpr std::size_t kept_fiber_stacks = 1024;

class FiberStacks {
public:
    FiberStacks(std::size_t bytes, std::size_t max_kept) : allocator_(bytes), max_kept_(max_kept) {}
    FiberStacks(const FiberStacks&) = delete;
    FiberStacks& operator=(const FiberStacks&) = delete;
    ~FiberStacks() {
        for (auto& stack : kept_) allocator_.deallocate(stack);
    }

    boost::context::stack_context allocate() {
        {
            std::lock_guard lock(mutex_);
            if (!kept_.empty()) {
                auto stack = kept_.back();
                kept_.pop_back();
                return stack;
            }
        }
        return allocator_.allocate();
    }
    void deallocate(boost::context::stack_context& stack) {
        {
            std::lock_guard lock(mutex_);
            if (kept_.size() < max_kept_) {
                kept_.push_back(stack);
                return;
            }
        }
        allocator_.deallocate(stack);
    }

    // What asio::spawn takes: a stack allocator by value.
    struct Allocator {
        FiberStacks* stacks;
        boost::context::stack_context allocate() { return stacks->allocate(); }
        void deallocate(boost::context::stack_context& stack) { stacks->deallocate(stack); }
    };
    Allocator allocator() { return Allocator{this}; }

private:
    boost::context::protected_fixedsize_stack allocator_;
    const std::size_t max_kept_;
    std::mutex mutex_;
    std::vector<boost::context::stack_context> kept_;
};

// Worker threads that each run their own queue. A handler's fiber starts on the least busy one and always
// resumes on it: a fiber never moves between threads, so nothing in thread-local storage that the code it runs (the
// C++ runtime, libc, RocksDB, libpq) may have cached changes under it.
class PinnedWorkers {
public:
    PinnedWorkers(int threads, std::string_view name) : in_flight_(static_cast<std::size_t>(threads)) {
        for (int i = 0; i < threads; ++i) queues_.push_back(std::make_unique<asio::io_context>());
        for (auto& queue : queues_) guards_.push_back(asio::make_work_guard(*queue));
        for (auto& queue : queues_)
            threads_.emplace_back([&queue = *queue, name = std::string(name)] {
                name_this_thread(name);
                queue.run();
            });
    }
    ~PinnedWorkers() { join(); }

    // The thread with the fewest handlers in flight (the first of them on a tie), so a lone client keeps meeting the
    // same warm thread instead of waking a sleeping one each time. Pair with done(index) when the handler ends.
    std::size_t pick() {
        std::size_t best = 0;
        for (std::size_t i = 1; i < queues_.size(); ++i)
            if (in_flight_[i].load() < in_flight_[best].load()) best = i;
        in_flight_[best].fetch_add(1);
        return best;
    }
    void done(std::size_t index) { in_flight_[index].fetch_sub(1); }
    asio::io_context::executor_type executor(std::size_t index) { return queues_[index]->get_executor(); }
    // Returns once every thread has run out of work, as asio::thread_pool::join does.
    void join() {
        guards_.clear();
        for (auto& thread : threads_)
            if (thread.joinable()) thread.join();
    }

private:
    std::vector<std::unique_ptr<asio::io_context>> queues_;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
    std::vector<std::thread> threads_;
    std::vector<std::atomic<int>> in_flight_;
};

}  // namespace

struct HttpServer::Impl {
    HttpServerSettings settings;
    Handler handler;
    InlineHandler inline_handler;
    SlowRequest is_slow;
    asio::io_context io;
    FiberStacks stacks;  // before the workers: a fiber ending on one gives its stack back here
    PinnedWorkers workers;
    PinnedWorkers slow_workers;
    std::atomic<std::size_t> slow_requests{0};
    tcp::acceptor acceptor{io};
    std::atomic<bool> stopping{false};       // set on the I/O thread when the drain begins
    std::atomic<bool> stop_requested{false};  // set by the first stop()
    std::unique_ptr<asio::signal_set> signals;
    std::mutex connections_mutex;
    std::set<std::shared_ptr<ConnectionBase>> connections;
    std::unique_ptr<asio::ssl::context> tls;  // set by listen() when settings.tls(): every connection speaks TLS
    Decorator decorate = [](const HttpRequest*, HttpResponse&) {};
    WebSocketSettings websocket_settings;
    WebSocketOpen websocket_open;  // unset: no WebSockets
    struct WebSocketBase;
    template <typename Stream>
    struct WebSocketConnection;
    std::set<std::shared_ptr<WebSocketBase>> websockets;  // open ones, touched on the I/O thread only

    Impl(HttpServerSettings s, Handler h, InlineHandler i, SlowRequest slow)
        : settings(std::move(s)),
          handler(std::move(h)),
          inline_handler(std::move(i)),
          is_slow(std::move(slow)),
          stacks(settings.fiber_stack_bytes, kept_fiber_stacks),
          workers(settings.worker_threads, "http-worker"),
          slow_workers(settings.slow_worker_threads, "http-slow") {}

    // Runs the handler in a fiber on the pool; the connection's coroutine waits for its answer.
    asio::awaitable<HttpResponse> run_handler(PinnedWorkers& pool, const HttpRequest& request) {
        co_return co_await in_fiber(pool, [this, &request] { return handler(request); });
    }

    // Runs work (which may block or suspend) in a fiber on the pool; the connection's coroutine waits for its result.
    template <typename Work>
    asio::awaitable<std::invoke_result_t<Work&>> in_fiber(PinnedWorkers& pool, Work work) {
        const auto worker = pool.pick();
        co_return co_await asio::spawn(
            pool.executor(worker), std::allocator_arg, stacks.allocator(),
            [&work, &pool, worker](asio::yield_context yield) {
                struct Done {
                    PinnedWorkers& pool;
                    std::size_t worker;
                    ~Done() { pool.done(worker); }
                } done{pool, worker};
                FiberSuspender suspender(yield);
                current_suspender() = &suspender;
                struct Leave {
                    ~Leave() { current_suspender() = nullptr; }
                } leave;
                return work();
            },
            asio::use_awaitable);
    }

    asio::awaitable<HttpResponse> answer(const HttpRequest& request) {
        if (auto response = inline_handler ? inline_handler(request) : std::nullopt) co_return *response;
        if (!is_slow || !is_slow(request)) co_return co_await run_handler(workers, request);
        if (slow_requests.fetch_add(1) >= settings.max_slow_requests) {
            slow_requests.fetch_sub(1);
            auto refused = problem(503, "overloaded", "", "too many slow requests (logins, sign-ups, assistant calls, position waits) at once; retry");
            refused.headers["Retry-After"] = "1";
            co_return refused;
        }
        struct Done {
            std::atomic<std::size_t>& count;
            ~Done() { count.fetch_sub(1); }
        } done{slow_requests};
        co_return co_await run_handler(slow_workers, request);
    }

    // Answers false when the connection cannot carry on (a streamed body cut short, or the client gone).
    template <typename Stream>
    asio::awaitable<bool> write(Connection<Stream>& connection, const HttpResponse& response, unsigned version, bool keep_alive) {
        if (response.stream) co_return co_await write_stream(connection, response, version, keep_alive);
        auto message = to_beast(response, version, keep_alive);
        tcp_of(connection.stream).expires_after(settings.read_timeout);
        auto [ec, written] = co_await http::async_write(connection.stream, message, as_tuple_awaitable);
        co_return !ec;
    }

    // The head, then each piece the stream gives as a chunk (made on the slow pool: it may block), then the last chunk.
    template <typename Stream>
    asio::awaitable<bool> write_stream(Connection<Stream>& connection, const HttpResponse& response, unsigned version, bool keep_alive) {
        http::response<http::empty_body> head{static_cast<http::status>(response.status), version};
        head.set(http::field::server, "debrief");
        if (!response.content_type.empty()) head.set(http::field::content_type, response.content_type);
        for (const auto& [name, value] : response.headers) head.set(name, value);
        head.keep_alive(keep_alive);
        head.chunked(true);
        http::response_serializer<http::empty_body> serializer{head};
        tcp_of(connection.stream).expires_after(settings.read_timeout);
        if (auto [ec, n] = co_await http::async_write_header(connection.stream, serializer, as_tuple_awaitable); ec) co_return false;
        while (true) {
            std::optional<std::string> piece;
            try {
                piece = co_await in_fiber(slow_workers, [&response] { return response.stream(); });
            } catch (const std::exception& e) {
                log_error("stream_failed", {{"error", e.what()}});
                co_return false;  // no last chunk: the client knows the body is incomplete
            }
            if (!piece) break;
            if (piece->empty()) continue;
            tcp_of(connection.stream).expires_after(settings.read_timeout);
            if (auto [ec, n] = co_await asio::async_write(connection.stream, http::make_chunk(asio::buffer(*piece)), as_tuple_awaitable); ec)
                co_return false;
        }
        tcp_of(connection.stream).expires_after(settings.read_timeout);
        auto [ec, n] = co_await asio::async_write(connection.stream, http::make_chunk_last(), as_tuple_awaitable);
        co_return !ec;
    }

    // After refusing a request early, reads (bounded) what the client is still sending before closing: closing with
    // unread bytes makes the kernel reset the connection, and the client would lose the answer it was sent.
    // Over TLS the records are read (and dropped) through the TLS stream.
    template <typename Stream>
    asio::awaitable<void> discard_rest(Connection<Stream>& connection) {
        beast::error_code ignored;
        tcp_of(connection.stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
        tcp_of(connection.stream).expires_after(std::chrono::seconds(5));
        std::array<char, 64 * 1024> sink;
        std::size_t discarded = 0;
        while (discarded < 64 * settings.max_body_bytes) {
            auto [ec, n] = co_await connection.stream.async_read_some(asio::buffer(sink), as_tuple_awaitable);
            if (ec) break;
            discarded += n;
        }
    }

    // A request refused before it was handled: the answer, then what the client still sends is read and dropped.
    template <typename Stream>
    asio::awaitable<void> refuse(Connection<Stream>& connection, HttpResponse response) {
        decorate(nullptr, response);
        response.route = "malformed";
        count_answer("other", response, {});
        co_await write(connection, response, 11, false);
        co_await discard_rest(connection);
    }

    bool is_upload(const http::request<http::string_body>& header) const {
        if (header.method() != http::verb::post) return false;
        std::string_view target(header.target().data(), header.target().size());
        target = target.substr(0, target.find('?'));
        return std::find(settings.upload_paths.begin(), settings.upload_paths.end(), target) != settings.upload_paths.end();
    }

    // What the drain needs of a WebSocket, whatever it is carried over.
    struct WebSocketBase : WebSocketPeer {
        virtual void begin_close(int code, const std::string& reason, bool drop_queue) = 0;
    };

    // One WebSocket: its session's messages are queued (bounded by bytes) and written one at a time; a close waits for
    // what is queued, except one for a client too slow to read it.
    template <typename Stream>
    struct WebSocketConnection final : WebSocketBase, std::enable_shared_from_this<WebSocketConnection<Stream>> {
        WebSocketConnection(Impl& server, Stream stream) : server(server), ws(std::move(stream)), deadline(server.io) {}
        Impl& server;
        websocket::stream<Stream> ws;
        asio::steady_timer deadline;
        std::shared_ptr<WebSocketSession> session;
        std::deque<std::shared_ptr<const std::string>> queue;
        std::size_t queued_bytes = 0;
        bool writing = false;
        bool open = true;  // until the read loop ends
        std::optional<websocket::close_reason> closing;

        void send(std::shared_ptr<const std::string> text) override {
            asio::post(server.io, [self = this->shared_from_this(), text = std::move(text)]() mutable { self->enqueue(std::move(text)); });
        }
        void close(int code, std::string reason) override {
            asio::post(server.io, [self = this->shared_from_this(), code, reason = std::move(reason)] { self->begin_close(code, reason, false); });
        }
        void call(HttpRequest request, std::function<void(HttpResponse)> done) override {
            asio::co_spawn(server.io, run_call(this->shared_from_this(), std::move(request), std::move(done)), asio::detached);
        }
        void wake_after(std::chrono::milliseconds delay) override {
            asio::post(server.io, [self = this->shared_from_this(), delay] {
                self->deadline.expires_after(delay);
                self->deadline.async_wait([self](const beast::error_code& ec) {
                    if (!ec && self->open && self->session) self->session->on_deadline();
                });
            });
        }

        static asio::awaitable<void> run_call(std::shared_ptr<WebSocketConnection> self, HttpRequest request, std::function<void(HttpResponse)> done) {
            auto response = co_await self->server.answer(request);
            if (self->open) done(std::move(response));
        }
        void enqueue(std::shared_ptr<const std::string> text) {
            if (!open || closing) return;
            if (queued_bytes + text->size() > server.websocket_settings.max_queued_bytes) {
                log_warn("websocket_too_slow", {{"queued_bytes", queued_bytes}});
                static auto& slow = websocket_counter("debrief_websocket_slow_closes_total", "WebSockets closed 1013 because the client did not read");
                static auto& dropped = websocket_counter("debrief_websocket_messages_dropped_total", "messages not sent: their client was too slow");
                slow.add();
                dropped.add(static_cast<double>(queue.size() + 1));
                return begin_close(1013, "the client does not read fast enough", true);
            }
            queued_bytes += text->size();
            queue.push_back(std::move(text));
            if (!writing) start_writer();
        }
        // drop_queue: what waits is not sent (the client is not reading it); a write it is stuck in is cut after a grace.
        void begin_close(int code, const std::string& reason, bool drop_queue) override {
            if (!open || closing) return;
            closing = websocket::close_reason(static_cast<websocket::close_code>(code), reason.substr(0, 120));  // a control frame holds 125 bytes
            if (drop_queue) {
                queue.clear();
                queued_bytes = 0;
            }
            if (!writing) return start_writer();
            if (drop_queue) {
                auto grace = std::make_shared<asio::steady_timer>(server.io, std::chrono::seconds(2));
                grace->async_wait([self = this->shared_from_this(), grace](const beast::error_code&) {
                    beast::error_code ignored;
                    if (self->open) beast::get_lowest_layer(self->ws).socket().close(ignored);
                });
            }
        }
        void start_writer() {
            writing = true;
            asio::co_spawn(server.io, write_all(this->shared_from_this()), asio::detached);
        }
        static asio::awaitable<void> write_all(std::shared_ptr<WebSocketConnection> self) {
            while (!self->queue.empty() && self->open) {
                auto text = self->queue.front();
                self->ws.text(true);
                auto [ec, n] = co_await self->ws.async_write(asio::buffer(*text), as_tuple_awaitable);
                if (ec) break;
                static auto& sent = websocket_counter("debrief_websocket_messages_sent_total", "messages written to WebSockets");
                sent.add();
                if (!self->queue.empty() && self->queue.front() == text) {
                    self->queued_bytes -= text->size();
                    self->queue.pop_front();
                }
            }
            if (self->closing && self->open) co_await self->ws.async_close(*self->closing, as_tuple_awaitable);
            self->writing = false;
        }
    };

    static std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

    // After the upgrade request: the session's refusal as an HTTP answer, or the handshake and then its messages until
    // either side closes.
    template <typename Stream>
    asio::awaitable<void> serve_websocket(std::shared_ptr<Connection<Stream>> connection, http::request<http::string_body> request, std::string remote) {
        auto peer = std::make_shared<WebSocketConnection<Stream>>(*this, std::move(connection->stream));
        const auto plain = to_request(request, remote);
        auto opened = websocket_open(plain, peer);
        auto& socket = beast::get_lowest_layer(peer->ws);
        if (auto* refusal = std::get_if<HttpResponse>(&opened)) {
            decorate(&plain, *refusal);
            refusal->route = websocket_settings.path;
            count_answer("GET", *refusal, {});
            auto message = to_beast(*refusal, request.version(), false);
            socket.expires_after(settings.read_timeout);
            co_await http::async_write(peer->ws.next_layer(), message, as_tuple_awaitable);
            co_await end_sending(peer->ws.next_layer());
            co_return;
        }
        peer->session = std::get<std::shared_ptr<WebSocketSession>>(std::move(opened));
        socket.expires_never();  // the WebSocket's own timeouts from here on
        peer->ws.set_option(websocket::stream_base::timeout{std::chrono::seconds(30), websocket_settings.idle_timeout, true});
        peer->ws.set_option(websocket::stream_base::decorator([](websocket::response_type& response) { response.set(http::field::server, "debrief"); }));
        peer->ws.read_message_max(websocket_settings.max_message_bytes);
        if (websocket_settings.deflate) offer_deflate(peer->ws);
        if (auto [ec] = co_await peer->ws.async_accept(request, as_tuple_awaitable); ec) co_return;
        websockets.insert(peer);
        ++open_websockets;
        peer->session->on_open();
        if (stopping) peer->begin_close(1001, websocket_settings.going_away, false);
        beast::flat_buffer buffer;
        while (true) {
            auto [ec, n] = co_await peer->ws.async_read(buffer, as_tuple_awaitable);
            if (ec) break;
            peer->session->on_message(std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()));
            buffer.consume(buffer.size());
        }
        peer->open = false;
        peer->deadline.cancel();
        peer->session->on_closed();
        peer->session.reset();  // the session holds its peer: without this neither would ever go, nor the socket's descriptor
        beast::error_code ignored;
        beast::get_lowest_layer(peer->ws).socket().close(ignored);
        websockets.erase(peer);
        --open_websockets;
    }

    template <typename Stream>
    asio::awaitable<void> serve(std::shared_ptr<Connection<Stream>> connection) {
        beast::flat_buffer buffer;
        std::string remote;
        beast::error_code ignored;
        auto endpoint = tcp_of(connection->stream).socket().remote_endpoint(ignored);
        if (!ignored) remote = endpoint.address().to_string();
        while (!stopping) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(settings.max_body_bytes);
            parser.header_limit(header_limit_bytes);
            tcp_of(connection->stream).expires_after(settings.read_timeout);
            // The header first: the body limit depends on the target.
            auto [ec, header_bytes] = co_await http::async_read_header(connection->stream, buffer, parser, as_tuple_awaitable);
            std::size_t body_limit = settings.max_body_bytes;
            if (!ec && is_upload(parser.get())) parser.body_limit(body_limit = settings.max_upload_bytes);
            if (!ec) {
                auto [body_ec, body_bytes] = co_await http::async_read(connection->stream, buffer, parser, as_tuple_awaitable);
                ec = body_ec;
            }
            if (ec == http::error::body_limit) {
                co_await refuse(*connection, problem(413, "body_too_large", "", "the request body exceeds " + std::to_string(body_limit) + " bytes"));
                break;
            }
            if (is_malformed_request(ec)) {
                std::string_view unparsed(static_cast<const char*>(buffer.data().data()), buffer.size());
                const bool request_line_parsed = !parser.get().target().empty();  // Beast never accepts an empty target
                co_await refuse(*connection, malformed_request_answer(ec, request_line_parsed, unparsed, header_limit_bytes));
                break;
            }
            if (ec) break;  // closed, reset or timed out: nobody is listening for an answer
            auto request = parser.release();
            connection->busy = true;  // for good, when it becomes a WebSocket: the drain closes those its own way
            if (websocket_open && websocket::is_upgrade(request) && path_of(request.target()) == websocket_settings.path) {
                co_await serve_websocket(connection, std::move(request), remote);
                std::lock_guard lock(connections_mutex);
                connections.erase(connection);
                co_return;  // its stream went to the WebSocket
            }
            const bool keep_alive = request.keep_alive();
            auto plain = to_request(request, remote);
            const auto started = std::chrono::steady_clock::now();
            auto response = co_await answer(plain);
            decorate(&plain, response);
            count_answer(plain.method, response, std::chrono::steady_clock::now() - started);
            const bool written = co_await write(*connection, response, request.version(), keep_alive && !stopping);
            connection->busy = false;
            if (!keep_alive || !written) break;
        }
        co_await end_sending(connection->stream);
        std::lock_guard lock(connections_mutex);
        connections.erase(connection);
    }

    // A connection to the TLS port: a client that speaks plain HTTP to it is told so in plain HTTP; otherwise the
    // handshake (bounded by the read timeout), then the requests as on a plain connection.
    asio::awaitable<void> serve_tls(tcp::socket socket) {
        beast::tcp_stream tcp(std::move(socket));
        beast::flat_buffer buffer;
        tcp.expires_after(settings.read_timeout);
        auto [detect_ec, is_tls] = co_await beast::async_detect_ssl(tcp, buffer, as_tuple_awaitable);
        if (detect_ec) co_return;
        if (!is_tls) {
            Connection<PlainStream> plain(std::move(tcp));
            co_await refuse(plain, problem(400, "https_required", "", "this port speaks HTTPS only: use https:// (or wss://)"));
            co_return;
        }
        auto connection = std::make_shared<Connection<TlsStream>>(TlsStream(std::move(tcp), *tls));
        {
            std::lock_guard lock(connections_mutex);
            connections.insert(connection);
        }
        auto [ec, used] = co_await connection->stream.async_handshake(asio::ssl::stream_base::server, buffer.data(), as_tuple_awaitable);
        if (ec) {
            static auto& failed = metrics::registry().counter("debrief_tls_handshakes_failed_total", "TLS handshakes that failed (an old protocol version, a client that does not trust the certificate, a cut)");
            failed.add();
            beast::error_code ignored;
            tcp_of(connection->stream).socket().close(ignored);
            std::lock_guard lock(connections_mutex);
            connections.erase(connection);
            co_return;
        }
        co_await serve(connection);
    }

    asio::awaitable<void> accept_loop() {
        while (!stopping) {
            auto [ec, socket] = co_await acceptor.async_accept(as_tuple_awaitable);
            if (ec) {
                if (stopping || ec == asio::error::operation_aborted) break;
                // Out of file descriptors (EMFILE) or kernel memory: the connection waits in the backlog. Retrying at once
                // would spin the I/O thread that every open connection needs; a moment later some may have closed.
                log_warn("accept_failed", {{"error", ec.message()}});
                asio::steady_timer pause(io, std::chrono::milliseconds(100));
                co_await pause.async_wait(as_tuple_awaitable);
                continue;
            }
            if (tls) {
                asio::co_spawn(asio::make_strand(io), serve_tls(std::move(socket)), asio::detached);
                continue;
            }
            auto connection = std::make_shared<Connection<PlainStream>>(PlainStream(std::move(socket)));
            {
                std::lock_guard lock(connections_mutex);
                connections.insert(connection);
            }
            asio::co_spawn(asio::make_strand(io), serve(connection), asio::detached);
        }
    }
};

HttpServer::HttpServer(HttpServerSettings settings, Handler handler, InlineHandler inline_handler, SlowRequest is_slow)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(handler), std::move(inline_handler), std::move(is_slow))) {}
HttpServer::~HttpServer() {
    impl_->workers.join();
    impl_->slow_workers.join();
}

void HttpServer::decorate_answers(Decorator decorator) { impl_->decorate = std::move(decorator); }

void HttpServer::serve_websockets(WebSocketSettings settings, WebSocketOpen open) {
    register_websocket_gauge();
    impl_->websocket_settings = std::move(settings);
    impl_->websocket_open = std::move(open);
}

void HttpServer::on_signals(const std::vector<int>& signals, std::function<void(int)> on_signal) {
    auto& impl = *impl_;
    impl.signals = std::make_unique<asio::signal_set>(impl.io);
    for (int signal : signals) impl.signals->add(signal);
    impl.signals->async_wait([on_signal = std::move(on_signal)](const beast::error_code& ec, int signal) {
        if (!ec) on_signal(signal);
    });
}

unsigned short HttpServer::listen() {
    if (impl_->settings.tls()) impl_->tls = tls_context(impl_->settings);
    tcp::endpoint endpoint{asio::ip::make_address(impl_->settings.host), impl_->settings.port};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen(asio::socket_base::max_listen_connections);
    return impl_->acceptor.local_endpoint().port();
}

void HttpServer::run() {
    auto& impl = *impl_;
    asio::co_spawn(impl.io, impl.accept_loop(), asio::detached);
    impl.io.run();  // one I/O thread: sockets are only touched from it, handlers run on the worker pools
    // Drained, or the drain timed out: a handler may still run (or wait, suspended) on a worker. Its answer will not
    // be written, but what it uses (the owner's members) must outlive it, so run() returns only once it has finished.
    impl.workers.join();
    impl.slow_workers.join();
}

void HttpServer::stop() {
    auto& impl = *impl_;
    if (impl.stop_requested.exchange(true)) return;
    asio::post(impl.io, [&impl] {
        impl.stopping = true;
        beast::error_code ignored;
        impl.acceptor.close(ignored);
        if (impl.signals) impl.signals->cancel(ignored);  // later signals are still caught, and ignored: already stopping
        // Idle keep-alive connections are closed now; busy ones finish their request and then close.
        {
            std::lock_guard lock(impl.connections_mutex);
            for (const auto& connection : impl.connections)
                if (!connection->busy) connection->cancel();
        }
        for (const auto& websocket : impl.websockets) websocket->begin_close(1001, impl.websocket_settings.going_away, false);
        auto timer = std::make_shared<asio::steady_timer>(impl.io);
        auto deadline = std::chrono::steady_clock::now() + impl.settings.drain_timeout;
        auto check = std::make_shared<std::function<void()>>();
        *check = [&impl, timer, deadline, check] {
            std::size_t open_connections = 0;
            {
                std::lock_guard lock(impl.connections_mutex);
                open_connections = impl.connections.size();
            }
            if (open_connections == 0 || std::chrono::steady_clock::now() >= deadline) {
                log_info("http_drained", {{"open_connections", open_connections}});
                impl.io.stop();
                *check = nullptr;  // break the self-reference
                return;
            }
            timer->expires_after(std::chrono::milliseconds(50));
            timer->async_wait([check](const beast::error_code&) {
                if (*check) (*check)();
            });
        };
        (*check)();
    });
}

}  // namespace debrief::api
