// The /v1 routes in-process, for unit tests: the real Api on an in-memory event log, a fixed clock the test moves,
// UUID-shaped numbered ids, real Argon2id, a PostgreSQL that is never there and a temporary RocksDB.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/memory_audit_trail.hpp"
#include "tests/support/test_keys.hpp"
#include "api/auth/password.hpp"
#include "api/route_context.hpp"
#include "api/routes.hpp"
#include "events/memory_event_log.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/projection_progress.hpp"
#include "projections/search/transcript_store.hpp"

namespace debrief::testing {
namespace json = boost::json;

struct ApiFixture {
    commands::WriteModel model;
    events::MemoryEventLog log;
    int next_id = 0;
    std::int64_t now_ms = 1'800'000'000'000;
    commands::CommandHandler handler{model, log, [this] { return now_ms; },
                                     [this] {
                                         char text[37];
                                         std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", ++next_id);
                                         return std::string(text);
                                     },
                                     api::hash_password};
    api::TokenService tokens{api::TokenSettings{std::string(40, 'k')}};
    projections::ConnectionPool database{"postgresql://nobody@127.0.0.1:1/none", 1};
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("debrief-api-test-" + std::to_string(::getpid()));
    std::unique_ptr<projections::TranscriptStore> store = projections::TranscriptStore::open(dir.string(), debrief::testing::test_keys()).value();
    projections::ProjectionProgress postgres_progress, search_progress;
    api::Readiness readiness{true, true, true, true, true};
    std::int64_t log_end_offset = 1000;  // every partition ends here
    int max_position_waits = 2;
    MemoryAuditTrail audit;
    api::Api api{api::ApiDependencies{handler, model, tokens, database, *store, debrief::testing::test_keys(), postgres_progress, search_progress,
                                      [] { return std::map<int, std::int64_t>{}; }, [this] { return readiness; },
                                      [this](const events::Position& position) { return position.offset >= log_end_offset; },
                                      [this] { return now_ms; }, {}, {}, "debrief.events", &audit, nullptr},
                 api::ApiSettings{1024 * 1024, std::chrono::milliseconds(50), std::chrono::milliseconds(100), max_position_waits, {}}};

    ApiFixture() = default;
    explicit ApiFixture(int position_waits) : max_position_waits(position_waits) {}

    ~ApiFixture() {
        store.reset();
        std::filesystem::remove_all(dir);
    }

    // Applies the events appended since the last call to the RocksDB read model, as the search projector would.
    std::size_t projected = 0;
    void project_search() {
        auto all = log.events();
        std::vector<events::Record> records(all.size() - projected);
        std::vector<projections::BatchItem> batch;
        for (std::size_t i = projected; i < all.size(); ++i) {
            auto& record = records[i - projected];
            record.position = {0, static_cast<std::int64_t>(i)};
            batch.push_back({&record, all[i]});
        }
        projected = all.size();
        auto prepared = store->prepare(batch, "debrief.events", {{0, static_cast<std::int64_t>(projected)}}, now_ms);
        REQUIRE(prepared.dead.empty());
        REQUIRE(store->commit(prepared));
        search_progress.advance(0, static_cast<std::int64_t>(projected));
    }

    // Like a client: a body is sent as application/json unless the headers say otherwise.
    api::HttpResponse call(std::string method, std::string target, std::string body = {}, api::HeaderMap headers = {}) {
        if (!body.empty() && !headers.contains("Content-Type")) headers["Content-Type"] = "application/json";
        api::HttpRequest request{std::move(method), std::move(target), std::move(headers), std::move(body), "127.0.0.1"};
        return api.handle(request);
    }

    std::string sign_up_token() {
        auto response = call("POST", "/v1/signup", R"({"organization":"Acme","name":"Ada","email":"ada@example.com","password":"correct horse battery"})");
        REQUIRE(response.status == 201);
        return std::string(json::parse(response.body).at("access_token").as_string());
    }
};

inline std::string code_of(const api::HttpResponse& response) {
    REQUIRE(response.content_type == "application/problem+json");
    auto body = json::parse(response.body).as_object();
    CHECK(body.at("status").as_int64() == response.status);
    return std::string(body.at("code").as_string());
}

}  // namespace debrief::testing
