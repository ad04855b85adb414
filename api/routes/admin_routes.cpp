// Admin routes for the read side: the dead letters of every read model, applying one again after a fix, and the
// audit trail of reads of private material.
#include <boost/json.hpp>

#include "api/audit.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "common/rfc3339.hpp"
#include "events/audit_trail.hpp"
#include "events/cloudevents.hpp"
#include "projections/dead_letter.hpp"
#include "projections/postgres/audit_table.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/dead_letter_table.hpp"
#include "projections/postgres/postgres_projector.hpp"
#include "projections/search/transcript_store.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

// Of every admin list: dead letters and audit records.
constexpr std::size_t default_limit = 100;
constexpr std::size_t max_limit = 1000;

std::optional<Error> refuse_unless_admin(const commands::Actor& actor, std::string_view what = "see and retry dead letters") {
    if (actor.role == "admin") return std::nullopt;
    return Error{ErrorKind::forbidden, "forbidden", "only admins may " + std::string(what)};
}

// A `limit` query parameter from 1 to max_limit, default_limit when absent; nullopt when it is anything else.
std::optional<std::size_t> limit_of(const ParsedTarget& target) {
    auto it = target.query.find("limit");
    if (it == target.query.end()) return default_limit;
    auto parsed = parse_decimal(it->second);
    if (!parsed || *parsed == 0 || *parsed > max_limit) return std::nullopt;
    return static_cast<std::size_t>(*parsed);
}

json::object audit_json(const events::AuditRecord& record) {
    return {{"id", record.id},
            {"actor_id", record.actor_id.value},
            {"actor_role", record.actor_role},
            {"action", record.action},
            {"resource", record.resource},
            {"subject_id", record.subject_id.empty() ? json::value(nullptr) : json::value(record.subject_id)},
            {"outcome", record.outcome},
            {"at", events::rfc3339_utc(record.at_ms)},
            {"address", record.address},
            {"correlation_id", record.correlation_id}};
}

json::object dead_letter_json(const projections::DeadLetter& letter) {
    return {{"id", letter.id()},
            {"projector", letter.projector},
            {"topic", letter.topic},
            {"partition", letter.partition},
            {"offset", letter.offset},
            {"event_type", letter.event_type},
            {"event_id", letter.event_id},
            {"error", letter.error},
            {"status", letter.status},
            {"at", events::rfc3339_utc(letter.at_ms)}};
}

}  // namespace

HttpResponse list_dead_letters(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto refused = refuse_unless_admin(actor)) return problem(*refused);
    auto found_limit = limit_of(target);
    if (!found_limit) return problem(invalid("invalid_limit", "limit must be a number from 1 to 1000"));
    const auto limit = *found_limit;
    std::vector<projections::DeadLetter> letters;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) {
        letters = projections::list_dead_letters(connection, actor.organization_id, limit);
    });
    for (auto& letter : ctx.deps.transcripts.dead_letters(actor.organization_id, limit)) letters.push_back(std::move(letter));
    std::stable_sort(letters.begin(), letters.end(), [](const auto& a, const auto& b) { return a.at_ms > b.at_ms; });
    if (letters.size() > limit) letters.resize(limit);
    json::array out;
    for (const auto& letter : letters) out.push_back(dead_letter_json(letter));
    return json_response(200, out);
}

HttpResponse retry_dead_letter(const RouteContext& ctx, const commands::Actor& actor, const std::string& id) {
    if (auto refused = refuse_unless_admin(actor)) return problem(*refused);
    auto key = projections::parse_dead_letter_id(id);
    if (!key) return problem(not_found("dead_letter_not_found", "no such dead letter"));
    std::optional<Result<projections::DeadLetter>> retried;
    if (key->projector == projections::PostgresProjector::name) {
        ctx.deps.database.with_connection([&](pqxx::connection_base& connection) {
            retried = projections::PostgresProjector::retry_dead_letter(connection, actor.organization_id, *key, ctx.deps.events_topic, ctx.deps.keys);
        });
    } else {
        retried = ctx.deps.transcripts.retry_dead_letter(actor.organization_id, *key, ctx.deps.events_topic);
    }
    if (!*retried) return problem(retried->error());
    return json_response(200, dead_letter_json(retried->value()));
}

// Newest first. Every read this instance answered before the query is in it: the trail is flushed and the audit
// read model waited for (bounded by the read wait); Debrief-Audit-Complete: false says the wait ran out first (the
// broker or the database is behind), and the answer holds what was there.
HttpResponse list_audit_records(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto refused = refuse_unless_admin(actor, "read the audit trail")) return problem(*refused);
    projections::AuditQuery query;
    query.organization_id = actor.organization_id;
    auto text = [&](const char* key) {
        auto it = target.query.find(key);
        return it == target.query.end() ? std::string{} : it->second;
    };
    query.subject_id = text("subject_id");
    query.actor_id = text("actor_id");
    for (const auto* id : {&query.subject_id, &query.actor_id})
        if (!id->empty() && !is_uuid(*id)) return problem(invalid("invalid_filter", "subject_id and actor_id must be UUIDs"));
    for (auto [key, bound] : {std::pair{"from", &query.from_ms}, std::pair{"to", &query.to_ms}}) {
        auto value = text(key);
        if (value.empty()) continue;
        *bound = parse_rfc3339_ms(value);
        if (!*bound) return problem(invalid("invalid_filter", std::string(key) + " must be an RFC 3339 time, e.g. 2026-03-01T00:00:00Z"));
    }
    auto limit = limit_of(target);
    if (!limit) return problem(invalid("invalid_limit", "limit must be a number from 1 to 1000"));
    query.limit = *limit;
    bool complete = false;
    if (ctx.deps.audit && ctx.deps.audit_progress) {
        const auto deadline = std::chrono::steady_clock::now() + ctx.settings.default_read_wait;
        if (auto written = ctx.deps.audit->flush(ctx.settings.default_read_wait)) {
            complete = true;
            for (auto [partition, next] : *written) {
                auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
                if (!ctx.deps.audit_progress->wait_for({partition, next - 1}, std::max(left, std::chrono::milliseconds(0)), ctx.deps.audit_shared_offsets))
                    complete = false;
            }
        }
    }
    std::vector<events::AuditRecord> records;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { records = projections::find_audit_records(connection, query); });
    json::array out;
    for (const auto& record : records) out.push_back(audit_json(record));
    auto response = json_response(200, out);
    response.headers["Debrief-Audit-Complete"] = complete ? "true" : "false";
    return response;
}

namespace {


// A rebuild reads every organization's events (the read model is one store), so only an admin starts one, one at a
// time; its status holds offsets and counts, no organization's data.
HttpResponse start_rebuild(const RouteContext& ctx, const HttpRequest& http, const commands::Actor& actor) {
    if (auto refused = refuse_unless_admin(actor, "rebuild a read model")) return problem(*refused);
    auto body = parse_json_object(http);
    if (!body) return problem(body.error());
    std::string read_model = "search";
    for (const auto& [key, value] : body.value()) {
        if (key != "read_model") return problem(invalid("unknown_field", "unknown field '" + std::string(key) + "'; known: read_model"));
        if (!value.is_string()) return problem(invalid("invalid_read_model", "read_model must be a string: search"));
        read_model = std::string(value.as_string());
    }
    if (!ctx.deps.start_rebuild) return problem(Error{ErrorKind::unavailable, "unavailable", "rebuilds are not offered here"});
    auto started = ctx.deps.start_rebuild(read_model);
    if (!started) return problem(started.error());
    auto response = json_response(202, rebuild_json(started.value()));
    response.headers["Location"] = "/v1/admin/rebuilds/" + started->id;
    return response;
}

HttpResponse get_rebuild(const RouteContext& ctx, const commands::Actor& actor, const std::string& id) {
    if (auto refused = refuse_unless_admin(actor, "see rebuilds")) return problem(*refused);
    auto status = ctx.deps.rebuild_status ? ctx.deps.rebuild_status(id) : std::nullopt;
    if (!status) return problem(not_found("rebuild_not_found", "no rebuild with this id (the last 10 finished ones are kept until a restart)"));
    return json_response(200, rebuild_json(*status));
}

}  // namespace

Routes admin_routes() {
    return {
        {"GET", "/v1/admin/dead-letters", [](const RouteCall& c) { return list_dead_letters(c.ctx, c.target, c.who()); }},
        {"POST", "/v1/admin/dead-letters/{id}/retry", [](const RouteCall& c) { return retry_dead_letter(c.ctx, c.who(), c.param(0)); }},
        // Slow: it waits for the trail and its read model. Audited itself: who looked at who read what.
        audited("audit.read", {"GET", "/v1/admin/audit", [](const RouteCall& c) { return list_audit_records(c.ctx, c.target, c.who()); }, true, true}),
        {"POST", "/v1/admin/rebuilds", [](const RouteCall& c) { return start_rebuild(c.ctx, c.request, c.who()); }},
        {"GET", "/v1/admin/rebuilds/{id}", [](const RouteCall& c) { return get_rebuild(c.ctx, c.who(), c.param(0)); }},
    };
}

}  // namespace debrief::api
