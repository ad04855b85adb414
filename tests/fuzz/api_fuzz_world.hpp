// The /v1 API in-process for the fuzz targets: a fresh command side per input, started from one recorded baseline
// (an organization with a client, a session and its summary, a note, an action item, a template, an invited coach,
// a staged metrics import), so every input is judged on the same state and a crash replays alone.
#pragma once

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_keys.hpp"
#include "api/auth/password.hpp"
#include "api/auth/tokens.hpp"
#include "api/routes.hpp"
#include "commands/command_handler.hpp"
#include "events/memory_event_log.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/projection_progress.hpp"
#include "projections/search/transcript_store.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace debrief::fuzz {

inline constexpr std::int64_t clock_ms = 1'800'000'000'000;  // fixed: tokens never expire and answers repeat

// PostgreSQL stand-in: a socket on 127.0.0.1 that accepts and at once closes, so a read fails in well under a
// millisecond (503) and the target knows it reached the database. libpq gets end-of-file only after the close, so
// the count has moved before the request returns.
class DatabaseStandIn {
public:
    DatabaseStandIn() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        FUZZ_CHECK(listener_ >= 0 && ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        FUZZ_CHECK(::listen(listener_, 64) == 0 && ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
        std::thread([this] {
            while (true) {
                int connection = ::accept(listener_, nullptr, nullptr);
                if (connection < 0) continue;
                connections_.fetch_add(1);
                ::close(connection);
            }
        }).detach();  // lives as long as the process
    }
    std::string url() const {
        return "postgresql://fuzz@127.0.0.1:" + std::to_string(port_) + "/fuzz?connect_timeout=2&sslmode=disable&gssencmode=disable";
    }
    std::uint64_t connections() const { return connections_.load(); }

private:
    int listener_ = -1;
    unsigned short port_ = 0;
    std::atomic<std::uint64_t> connections_{0};
};

// What does not change between inputs: the token key, the read side's stand-ins, the recorded baseline.
struct Shared {
    api::TokenService tokens{api::TokenSettings{std::string(40, 'k')}};
    DatabaseStandIn database_stand_in;
    projections::ConnectionPool database{database_stand_in.url(), 2};
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("debrief-fuzz-" + std::to_string(::getpid()));
    std::unique_ptr<projections::TranscriptStore> store = projections::TranscriptStore::open(dir.string(), debrief::testing::test_keys()).value();
    projections::ProjectionProgress postgres_progress, search_progress;  // never advance: ?position= waits end in 504
    std::vector<events::Event> events;
    std::vector<events::PrivateRecord> private_records;  // credentials and login sessions
    int ids_used = 0;
    std::string access_token, refresh_token;
    std::map<std::string, std::string> placeholders;  // "{summary}" -> its id, "Bearer TOKEN" -> the admin's token, ...

    ~Shared() {
        store.reset();
        std::filesystem::remove_all(dir);
    }
};

// One input's API: a fresh write model and in-memory log, replayed from the baseline.
struct World {
    Shared& shared;
    commands::WriteModel model;
    events::MemoryEventLog log;  // keeps only this input's events: the baseline is replayed into the model
    int next_id;
    commands::CommandHandler handler{model, log, [] { return clock_ms; },
                                     [this] {
                                         char text[37];
                                         std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", ++next_id);
                                         return std::string(text);
                                     },
                                     api::hash_password};
    api::Api api{api::ApiDependencies{handler, model, shared.tokens, shared.database, *shared.store, debrief::testing::test_keys(), shared.postgres_progress,
                                      shared.search_progress, [] { return std::map<int, std::int64_t>{}; },
                                      [] { return api::Readiness{true, true, true, true, true, {}}; },
                                      [](const events::Position&) { return false; }, [] { return clock_ms; }, [] {}},
                 api::ApiSettings{1024 * 1024, std::chrono::milliseconds(0), std::chrono::milliseconds(0)}};

    explicit World(Shared& s) : shared(s), log(10'000, static_cast<std::int64_t>(s.events.size())), next_id(s.ids_used) {
        for (std::size_t i = 0; i < shared.events.size(); ++i) model.apply(shared.events[i], events::Position{0, static_cast<std::int64_t>(i)});
        for (const auto& record : shared.private_records) model.apply(record);
    }

    std::size_t appended() const { return log.appended(); }
};

// With DEBRIEF_FUZZ_VERBOSE=1 (running one input by hand), says what each request got.
inline void trace(const api::HttpRequest& request, const api::HttpResponse& response) {
    static const bool verbose = std::getenv("DEBRIEF_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "%s %s -> %d %.200s\n", request.method.c_str(), request.target.c_str(), response.status, response.body.c_str());
}

inline api::HttpResponse call(World& world, std::string method, std::string target, std::string body, std::string token,
                              std::string content_type = "application/json") {
    api::HeaderMap headers{{"Content-Type", std::move(content_type)}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    api::HttpRequest request{std::move(method), std::move(target), std::move(headers), std::move(body), "127.0.0.1"};
    auto response = world.api.handle(request);
    trace(request, response);
    return response;
}

// Builds the baseline once, through the API itself. Ids are numbered, so the corpus can name them: 1 is the
// organization, 2 the admin, then every id in the order the commands below create them (DEBRIEF_FUZZ_VERBOSE=1 prints them).
inline Shared& shared() {
    static Shared* instance = [] {
        auto* s = new Shared;  // never destroyed: libFuzzer may exit from any thread
        World world(*s);
        auto expect = [&](const api::HttpResponse& response, int status, const char* what) {
            if (response.status != status) std::fprintf(stderr, "baseline %s: %d %s\n", what, response.status, response.body.c_str());
            FUZZ_CHECK(response.status == status);
            return boost::json::parse(response.body).as_object();
        };
        auto id_of = [](const boost::json::object& body) { return std::string(body.at("id").as_string()); };
        auto signup = expect(call(world, "POST", "/v1/signup",
                                  R"({"organization":"Acme Coaching","name":"Ada Lovelace","email":"ada@example.com","password":"correct horse battery"})", ""),
                             201, "sign-up");
        s->access_token = std::string(signup.at("access_token").as_string());
        s->refresh_token = std::string(signup.at("refresh_token").as_string());
        const auto& token = s->access_token;
        auto client = id_of(expect(call(world, "POST", "/v1/clients",
                                        R"({"name":"Priya Shah","email":"priya@example.com","tags":["billing","new hire"],"team":"North"})", token),
                                   201, "client"));
        auto session = id_of(expect(
            call(world, "POST", "/v1/sessions",
                 R"({"session_date":"2026-11-20","session_type":"individual","transcript":{"format":"plain","text":"[00:00:05] Ada: How did the week go?\n[00:00:09] Priya Shah: I closed the supplier deal, but handle time is still too long.\n[00:00:20] Ada: Great. Could you review two calls with me by Friday?\n[00:00:26] Priya Shah: Yes, I will send them by Friday."}})",
                 token),
            201, "session"));
        auto note = id_of(expect(call(world, "POST", "/v1/notes", R"({"client_id":")" + client + R"(","text":"Mentioned a team move in January"})", token),
                                 201, "note"));
        auto item = id_of(expect(call(world, "POST", "/v1/action-items",
                                      R"({"client_id":")" + client + R"(","title":"Send the QA form","due_date":"2026-12-01"})", token),
                                 201, "action item"));
        auto message_template = id_of(expect(
            call(world, "POST", "/v1/templates",
                 R"({"kind":"email","name":"Weekly recap","subject":"Our session on {{session_date}}","body":"Hi {{client_first_name}},\n{{action_items}}\n{{sign_off}}\n"})",
                 token),
            201, "template"));
        auto coach = id_of(expect(call(world, "POST", "/v1/users",
                                       R"({"name":"Grace Hopper","email":"grace@example.com","role":"coach","password":"another long password"})", token),
                                  201, "user"));
        auto import = id_of(expect(call(world, "POST", "/v1/metrics/imports?file_name=week46.csv",
                                        "Agent,Date,CSAT,AHT (seconds),FCR Rate\nPriya Shah,2026-11-13,4.6,300,82%\n", token, "text/csv"),
                                   201, "metrics import"));
        s->events = world.log.events();
        s->private_records = world.log.private_records();
        s->ids_used = world.next_id;
        std::string summary;
        for (const auto& event : s->events)
            if (const auto* drafted = std::get_if<events::SummaryDrafted>(&event.payload)) summary = drafted->summary_id.value;
        FUZZ_CHECK(!summary.empty());
        s->placeholders = {{"Bearer TOKEN", "Bearer " + s->access_token},
                           {"REFRESH_TOKEN", s->refresh_token},
                           {"{organization}", std::string(signup.at("organization_id").as_string())},
                           {"{admin}", std::string(signup.at("user_id").as_string())},
                           {"{client}", client},
                           {"{session}", session},
                           {"{summary}", summary},
                           {"{note}", note},
                           {"{action_item}", item},
                           {"{template}", message_template},
                           {"{coach}", coach},
                           {"{import}", import}};
        if (std::getenv("DEBRIEF_FUZZ_VERBOSE"))
            for (const auto& [name, value] : s->placeholders) std::fprintf(stderr, "baseline %s = %s\n", name.c_str(), value.c_str());
        return s;
    }();
    return *instance;
}

// Once per process, from LLVMFuzzerInitialize: quiet logs (a line per request would be most of the work), the baseline.
inline int start() {
    spdlog::set_level(spdlog::level::off);
    shared();
    return 0;
}

// The input with its placeholders ("{summary}", "Bearer TOKEN", ...) replaced by the baseline's ids and tokens.
inline std::string substitute(std::string text) {
    for (const auto& [name, value] : shared().placeholders) {
        for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size())) text.replace(at, name.size(), value);
    }
    return text;
}

// Every answer: a status Beast can write, a JSON body, and for an error a problem+json whose status and code agree.
inline void check_response(const api::HttpResponse& response) {
    FUZZ_CHECK(response.status >= 200 && response.status <= 599);
    for (const auto& [name, value] : response.headers) FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);  // no header injection
    if (response.content_type.find("json") == std::string::npos) return;
    boost::system::error_code ec;
    auto body = boost::json::parse(response.body, ec);
    FUZZ_CHECK(!ec);
    if (response.status < 400) return;
    FUZZ_CHECK(response.content_type == "application/problem+json" && body.is_object());
    const auto& problem = body.as_object();
    FUZZ_CHECK(problem.contains("status") && problem.at("status").is_int64() && problem.at("status").as_int64() == response.status);
    FUZZ_CHECK(problem.contains("code") && problem.at("code").is_string() && !problem.at("code").as_string().empty());
}

}  // namespace debrief::fuzz
