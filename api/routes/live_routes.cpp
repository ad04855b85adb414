// POST /v1/ws/tickets: a ticket that opens one WebSocket within 30 s as the caller (api/live/live_tickets.hpp), for
// browsers, which cannot put the access token in the upgrade's headers.
#include <boost/json.hpp>

#include "api/live/live_tickets.hpp"
#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"

namespace debrief::api {

HttpResponse issue_ws_ticket(const RouteContext& ctx, const HttpRequest& request) {
    if (!ctx.deps.live_tickets) return problem(503, "unavailable", "", "this instance serves no WebSockets");
    auto header = request.header("Authorization").value_or("");
    auto token = header.substr(std::min<std::size_t>(header.size(), 7));  // after "Bearer ", which authenticate() checked
    auto ticket = ctx.deps.live_tickets->issue(token, ctx.deps.now_ms());
    auto response = json_response(201, boost::json::object{{"ticket", ticket}, {"expires_in", live::LiveTickets::ttl_ms / 1000}});
    response.headers["Cache-Control"] = "no-store";
    return response;
}

Routes live_routes() {
    return {
        for_api_keys(KeyAccess::read, {"POST", "/v1/ws/tickets", [](const RouteCall& c) { return issue_ws_ticket(c.ctx, c.request); }}),
    };
}

}  // namespace debrief::api
