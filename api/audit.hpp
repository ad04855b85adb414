// Every read of private material goes into the audit trail: who (the actor and their role), what (the action and
// the path, ids only), whose (one record per data subject the answer concerned), when, from where, and whether it was
// answered or refused. The route says what it reads (Route::audit_action); its handler says whose it was
// (HttpResponse::audit_subjects). Recording never waits for the log.
#pragma once

#include "api/http/http_message.hpp"
#include "api/route_context.hpp"
#include "commands/actor.hpp"

namespace debrief::api {

// Records the answer of an audited route: a 2xx as "allowed", a 403 as "denied"; other answers (a 404, a bad
// request) showed nothing and are not recorded.
// The answer, as concerning the data subject the path names (a client's prep, a user's profile), refused or not.
inline HttpResponse concerning(const std::string& subject_id, HttpResponse response) {
    if (is_uuid(subject_id)) response.audit_subjects = {subject_id};
    return response;
}

void record_audited_read(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, std::string_view action,
                         const HttpResponse& response);

}  // namespace debrief::api
