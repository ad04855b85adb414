// The areas of the API, each with its routes in its own file under api/routes/. A new area is a new file and one
// line here. Within an area the order matters where patterns overlap: the first pattern that fits a path decides
// (a literal segment before a {placeholder}), and its methods make the Allow header of a 405, in table order.
#pragma once

#include <array>

#include "api/route_table.hpp"

namespace debrief::api {

Routes auth_routes();          // sign-up, login, refresh
Routes session_routes();       // sessions and transcripts
Routes summary_routes();       // summaries: refine, approve, reopen, the document
Routes action_item_routes();   // action items
Routes note_routes();          // quick notes and the session prep
Routes metrics_routes();       // KPI imports and a client's metrics
Routes template_routes();      // e-mail, summary and prompt templates
Routes follow_up_routes();     // follow-ups and their delivery
Routes mfa_routes();           // second factors and the organization's MFA policy (before people: /v1/users/{id}/mfa)
Routes people_routes();        // users and clients
Routes admin_routes();         // dead letters and the audit trail
Routes search_routes();        // full-text search
Routes dashboard_routes();     // the coach's, the lead's and the client's dashboards
Routes export_routes();        // exports of the events for analysts
Routes live_routes();          // tickets for the WebSocket (/v1/ws itself is the HTTP server's upgrade)
Routes api_key_routes();       // integrators' API keys

inline constexpr std::array areas{&auth_routes,     &session_routes,  &summary_routes,   &action_item_routes, &note_routes,
                                  &metrics_routes,  &template_routes, &follow_up_routes, &mfa_routes,         &people_routes,
                                  &admin_routes,    &search_routes,   &dashboard_routes, &export_routes,
                                  &live_routes,     &api_key_routes};

}  // namespace debrief::api
