// Admin routes for the read side: the dead letters of every read model, and applying one again after a fix.
#include <boost/json.hpp>

#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "events/cloudevents.hpp"
#include "projections/dead_letter.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/dead_letter_table.hpp"
#include "projections/postgres/postgres_projector.hpp"
#include "projections/search/transcript_store.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

constexpr std::size_t default_dead_letter_limit = 100;
constexpr std::size_t max_dead_letter_limit = 1000;

std::optional<Error> refuse_unless_admin(const commands::Actor& actor) {
    if (actor.role == "admin") return std::nullopt;
    return Error{ErrorKind::forbidden, "forbidden", "only admins may see and retry dead letters"};
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
    auto limit = default_dead_letter_limit;
    if (auto it = target.query.find("limit"); it != target.query.end()) {
        auto parsed = std::strtoull(it->second.c_str(), nullptr, 10);
        if (it->second.empty() || it->second.find_first_not_of("0123456789") != std::string::npos || parsed == 0 || parsed > max_dead_letter_limit)
            return problem(invalid("invalid_limit", "limit must be a number from 1 to 1000"));
        limit = parsed;
    }
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

Routes admin_routes() {
    return {
        {"GET", "/v1/admin/dead-letters", [](const RouteCall& c) { return list_dead_letters(c.ctx, c.target, c.who()); }},
        {"POST", "/v1/admin/dead-letters/{id}/retry", [](const RouteCall& c) { return retry_dead_letter(c.ctx, c.who(), c.param(0)); }},
    };
}

}  // namespace debrief::api
