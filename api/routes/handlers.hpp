// The /v1 route handlers, one function per route, grouped by file under api/routes/.
#pragma once

#include <string>

#include "api/http/http_message.hpp"
#include "api/route_context.hpp"
#include "commands/actor.hpp"

namespace debrief::api {

// admin_routes.cpp
HttpResponse list_dead_letters(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor);
HttpResponse retry_dead_letter(const RouteContext& ctx, const commands::Actor& actor, const std::string& id);

// auth_routes.cpp
HttpResponse sign_up(const RouteContext& ctx, const HttpRequest& request);
HttpResponse log_in(const RouteContext& ctx, const HttpRequest& request);
HttpResponse refresh(const RouteContext& ctx, const HttpRequest& request);

// session_routes.cpp
HttpResponse create_session(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor);
HttpResponse get_session(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);
HttpResponse get_transcript(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);

// summary_routes.cpp
HttpResponse list_session_summaries(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);
HttpResponse refine_summary(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id);
HttpResponse approve_summary(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id);
// The summary written out with a summary template (?template_id=, default the coach's newest, else system:summary).
HttpResponse summary_document(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);
HttpResponse reopen_summary(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id);

// action_item_routes.cpp
HttpResponse list_action_items(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor);
HttpResponse create_action_item(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor);
// verb: complete, reopen, cancel, assign or reschedule.
HttpResponse change_action_item(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id,
                                const std::string& verb);

// note_routes.cpp
HttpResponse add_note(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor);
HttpResponse address_note(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id);
HttpResponse client_prep(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);

// follow_up_routes.cpp
HttpResponse create_template(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor);
HttpResponse revise_template(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id);
HttpResponse list_templates(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor);
HttpResponse draft_follow_up(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor);
HttpResponse send_follow_up(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id);
// id empty: the list (?client_id=, ?status=); else that one follow-up.
HttpResponse list_follow_ups(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);
// metrics_routes.cpp
HttpResponse stage_metrics_import(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor);
// verb: commit or discard.
HttpResponse settle_metrics_import(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id,
                                   const std::string& verb);
HttpResponse get_metrics_import(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);
HttpResponse client_metrics(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);

// people_routes.cpp
HttpResponse invite_user(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor);
HttpResponse register_client(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor);
HttpResponse get_client(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);
HttpResponse list_clients(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor);
// id empty: the users the actor may see; else that one ("me": the actor).
HttpResponse list_users(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id);
// verb: role, deactivate or reactivate.
HttpResponse manage_user(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id, const std::string& verb);
HttpResponse set_voice_profile(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id);
HttpResponse set_notification_preferences(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, const std::string& id);

}  // namespace debrief::api
