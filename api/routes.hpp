// The /v1 HTTP API as a plain function from request to response; the Beast server only carries bytes.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "api/auth/login_throttle.hpp"
#include "api/auth/tokens.hpp"
#include "api/http/http_message.hpp"
#include "api/readiness.hpp"
#include "commands/command_handler.hpp"
#include "commands/write_model.hpp"
#include "events/event_export.hpp"
#include "projections/postgres/as_of_models.hpp"
#include "projections/rebuild_status.hpp"

namespace debrief::events {
class AuditTrail;
class KeyRing;
}

namespace debrief::projections {
class ConnectionPool;
class TranscriptStore;
class ProjectionProgress;
}  // namespace debrief::projections

namespace debrief::api {
namespace live {
class LiveTickets;
}

struct ApiSettings {
    std::size_t max_body_bytes = 1024 * 1024;
    std::chrono::milliseconds default_read_wait{5000};  // how long a GET with ?position= waits for its read model
    std::chrono::milliseconds max_read_wait{30000};
    // Queries waiting for their ?position= at once; more are refused (503 too_many_waits) so that waits never hold
    // every HTTP worker. 0: half the worker threads, resolved by the configuration.
    int max_position_waits = 4;
    LoginThrottleSettings login_throttle;
    // Requests per minute (token buckets, a burst up to the limit): each user's authenticated requests, and each client
    // address's sign-ups, logins and refreshes. 0: no limit.
    std::int64_t rate_limit_per_minute = 0;
    std::int64_t auth_rate_limit_per_minute = 0;
    std::int64_t api_key_rate_limit_per_minute = 0;  // each API key's requests
};

struct ApiDependencies {
    commands::CommandHandler& commands;
    commands::WriteModel& write_model;
    const TokenService& tokens;
    projections::ConnectionPool& database;
    projections::TranscriptStore& transcripts;
    const events::KeyRing& keys;  // opens sealed fields of events read again (dead letters)
    projections::ProjectionProgress& postgres_progress;
    projections::ProjectionProgress& search_progress;
    std::function<std::map<int, std::int64_t>()> postgres_shared_offsets;  // offsets other instances committed
    std::function<Readiness()> readiness;  // the last background probe: must answer at once
    // True when a position is known to lie past the end of the log (its partition's high watermark, or a partition
    // that does not exist); false when it is inside or the end cannot be learned now. Unset: never beyond.
    std::function<bool(const events::Position&)> beyond_log_end;
    std::function<std::int64_t()> now_ms;
    std::function<void()> outbox_wake;  // a follow-up was scheduled: the outbox should look now
    std::function<void()> client_erased;  // a client's erasure is durable: local copies outside the read models go (outbox files, snapshot)
    std::string events_topic = "debrief.events";  // whose dead letters the admin routes read and retry
    // Where reads of private material are recorded (api/audit.hpp); null: nowhere (tests that do not look).
    events::AuditTrail* audit = nullptr;
    // How far the audit read model has applied the audit topic, for GET /v1/admin/audit: this instance's projector,
    // and the offsets every instance committed (another may project the partitions this one wrote to).
    projections::ProjectionProgress* audit_progress = nullptr;
    std::function<std::map<int, std::int64_t>()> audit_shared_offsets;
    // Rebuilds of a read model into a fresh copy (projections/search/search_rebuild.hpp): start one (an Error when one
    // runs already or the read model cannot be rebuilt), and the status of one by id. Unset: not offered (503).
    std::function<Result<projections::RebuildStatus>(const std::string& read_model)> start_rebuild;
    std::function<std::optional<projections::RebuildStatus>(const std::string& id)> rebuild_status;
    // Opens an export of the events topic with the keys (events/event_export.hpp). Unset: not offered (503).
    std::function<Result<std::unique_ptr<events::EventExport>>(events::ExportFilter)> open_export;
    // The read model of a past moment (projections/postgres/as_of_models.hpp), for ?as_of=. Unset: not offered (503).
    std::function<Result<projections::AsOfModel>(std::int64_t as_of_ms)> as_of;
    // Tickets that open a WebSocket (POST /v1/ws/tickets). Null: no WebSockets (503).
    live::LiveTickets* live_tickets = nullptr;
};

class Api {
public:
    Api(ApiDependencies dependencies, ApiSettings settings);
    ~Api();
    HttpResponse handle(const HttpRequest& request) const;
    // Whether the request belongs on the server's slow pool: password hashing, LLM calls, ?position= waits.
    bool is_slow(const HttpRequest& request) const;
    // /healthz and /readyz, answered from cached state without blocking (the server runs this on its I/O thread);
    // nullopt for every other request.
    std::optional<HttpResponse> probe(const HttpRequest& request) const;
    const ApiSettings& settings() const;
    // An access token as a request's Authorization would carry it, checked the same way (a WebSocket's).
    Result<TokenClaims> authenticate(const std::string& access_token) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::api
