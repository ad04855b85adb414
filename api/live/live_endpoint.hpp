// GET /v1/ws, the upgrade: the Origin a browser sends must be allowed (DEBRIEF_ALLOWED_ORIGINS); ?ticket= opens the
// socket as the ticket's user, no ticket leaves the access token to the first message; a token in the URL is refused.
#pragma once

#include <string>
#include <vector>

#include "api/http/websocket.hpp"
#include "api/live/live_session.hpp"
#include "api/live/live_tickets.hpp"

namespace debrief::api::live {

struct LiveEndpointSettings {
    // Origins (scheme://host[:port]) whose pages may open a socket. A request without Origin (not a browser's) is
    // not asked; an empty list allows no browser page.
    std::vector<std::string> allowed_origins;
    LiveLimits limits;
};

WebSocketOpen live_endpoint(LiveServices services, LiveTickets& tickets, LiveEndpointSettings settings);

}  // namespace debrief::api::live
