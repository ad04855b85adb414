// The audit records of one answer.
#include "api/audit.hpp"

#include <algorithm>

#include "events/audit_trail.hpp"

namespace debrief::api {
void record_audited_read(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor, std::string_view action,
                         const HttpResponse& response) {
    if (!ctx.deps.audit) return;
    const bool allowed = response.status >= 200 && response.status < 300;
    if (!allowed && response.status != 403) return;
    auto subjects = response.audit_subjects;
    std::sort(subjects.begin(), subjects.end());
    subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
    subjects.erase(std::remove(subjects.begin(), subjects.end(), std::string{}), subjects.end());
    if (subjects.empty()) subjects.emplace_back();  // the read happened even if it concerned no one identified
    // The path only: a query string may hold words (a search), and the trail holds ids only.
    const auto resource = request.target.substr(0, request.target.find('?'));
    const auto correlation = valid_correlation_id(request).value_or("");
    const auto at = ctx.deps.now_ms();
    for (auto& subject : subjects)
        ctx.deps.audit->record({ctx.deps.commands.new_id(), actor.organization_id, actor.user_id, actor.role, std::string(action), resource,
                                std::move(subject), allowed ? "allowed" : "denied", at, request.remote_address, correlation});
}

}  // namespace debrief::api
