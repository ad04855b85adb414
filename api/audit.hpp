// Every read of private material goes into the audit trail: who (the actor and their role), what (the action and
// the path, ids only), whose (one record per data subject the answer concerned), when, from where, and whether it was
// answered or refused. The route says what it reads (Route::audit_action); its handler says whose it was
// (HttpResponse::audit_subjects). Recording never waits for the log.
#pragma once

#include <boost/json.hpp>

#include "api/http/http_message.hpp"
#include "api/request_json.hpp"
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

// A 200 answer listing rows, as concerning the data subject of each row (subject_of(row): a client or user id).
template <typename Rows, typename ToJson, typename SubjectOf>
HttpResponse rows_concerning(const Rows& rows, ToJson to_json, SubjectOf subject_of) {
    boost::json::array list;
    std::vector<std::string> subjects;
    for (const auto& row : rows) {
        list.push_back(to_json(row));
        subjects.push_back(subject_of(row));
    }
    auto response = json_response(200, list);
    response.audit_subjects = std::move(subjects);
    return response;
}

void record_audited_read(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, std::string_view action,
                         const HttpResponse& response);

}  // namespace debrief::api
