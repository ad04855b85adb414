#include "api/live/live_endpoint.hpp"

#include "api/browser_edge.hpp"
#include "api/problem.hpp"
#include "api/route_context.hpp"

namespace debrief::api::live {

WebSocketOpen live_endpoint(LiveServices services, LiveTickets& tickets, LiveEndpointSettings settings) {
    return [services = std::move(services), &tickets, settings = std::move(settings)](
                   const HttpRequest& request, std::shared_ptr<WebSocketPeer> peer) -> std::variant<HttpResponse, std::shared_ptr<WebSocketSession>> {
        if (auto origin = request.header("Origin"); origin && !origin_allowed(settings.allowed_origins, *origin))
            return problem(403, "origin_not_allowed", "", "pages of " + *origin + " may not open a socket (DEBRIEF_ALLOWED_ORIGINS)");
        auto target = parse_target(request.target);
        if (!target) return problem(400, "invalid_target", "", "the request target is not a valid URL path");
        for (auto secret : {"token", "access_token"})
            if (target->query.contains(secret))
                return problem(400, "token_in_url", "", "an access token never goes in a URL: POST /v1/ws/tickets for a ticket, or send {\"type\":\"auth\",\"token\"} first");
        std::optional<std::string> token;
        if (auto ticket = target->query.find("ticket"); ticket != target->query.end()) {
            token = tickets.redeem(ticket->second, services.now_ms());
            if (!token) return problem(401, "invalid_ticket", "", "the ticket is unknown, spent or older than 30 s: ask POST /v1/ws/tickets for another");
        }
        return std::make_shared<LiveSession>(services, settings.limits, std::move(peer), std::move(token));
    };
}

}  // namespace debrief::api::live
