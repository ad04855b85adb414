// Summaries: a session's drafts and approved summaries, one per client participant.
#include <boost/json.hpp>

#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/handlers.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/summary_tables.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {
json::object summary_json(const projections::SummaryRow& row) {
    json::object out{{"id", row.id},
                     {"session_id", row.session_id},
                     {"client_id", row.client_id},
                     {"client_name", row.client_name},
                     {"status", row.status},
                     {"version", row.version},
                     {"engagement", row.engagement},
                     {"breakthrough", row.breakthrough},
                     {"priority_score", row.priority_score}};
    // The content's lists ("wins", "challenges", "action_items", "coach_recommendations") sit at the top level.
    auto content = json::parse(row.content_json);  // kept alive: iterating a temporary's member would dangle
    for (auto& [key, value] : content.as_object()) out[key] = value;
    return out;
}
}  // namespace

HttpResponse list_session_summaries(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    if (!is_uuid(id)) return problem(not_found("session_not_found", "no session with this id"));
    std::optional<std::vector<projections::SummaryRow>> rows;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { rows = projections::session_summaries(connection, actor, SessionId{id}); });
    if (!rows) return problem(not_found("session_not_found", "no session with this id"));
    json::array summaries;
    for (const auto& row : *rows) summaries.push_back(summary_json(row));
    return json_response(200, summaries);
}

}  // namespace debrief::api
