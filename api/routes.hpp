// The /v1 HTTP API as a plain function from request to response; the Beast server only carries bytes.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>

#include "api/auth/tokens.hpp"
#include "api/http/http_message.hpp"
#include "commands/command_handler.hpp"
#include "commands/write_model.hpp"

namespace debrief::projections {
class ConnectionPool;
class TranscriptStore;
class ProjectionProgress;
}  // namespace debrief::projections

namespace debrief::api {

struct ApiSettings {
    std::size_t max_body_bytes = 1024 * 1024;
    std::chrono::milliseconds default_read_wait{5000};  // how long a GET with ?position= waits for its read model
    std::chrono::milliseconds max_read_wait{30000};
};

struct ApiDependencies {
    commands::CommandHandler& commands;
    commands::WriteModel& write_model;
    const TokenService& tokens;
    projections::ConnectionPool& database;
    projections::TranscriptStore& transcripts;
    projections::ProjectionProgress& postgres_progress;
    projections::ProjectionProgress& search_progress;
    std::function<std::map<int, std::int64_t>()> postgres_shared_offsets;  // offsets other instances committed
    std::function<bool()> ready;                                           // Kafka and PostgreSQL answer
    std::function<std::int64_t()> now_ms;
    std::function<void()> outbox_wake;  // a follow-up was scheduled: the outbox should look now
    std::string events_topic = "debrief.events";  // whose dead letters the admin routes read and retry
};

class Api {
public:
    Api(ApiDependencies dependencies, ApiSettings settings);
    ~Api();
    HttpResponse handle(const HttpRequest& request) const;
    const ApiSettings& settings() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::api
