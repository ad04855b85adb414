// Role and organization rules. Forbidden is 403 with the reason; another organization's records are not found.
#include "commands/authorization.hpp"

#include <string>

namespace debrief::commands {
namespace {
Error forbidden(std::string message) { return Error{ErrorKind::forbidden, "forbidden", std::move(message)}; }
}  // namespace

bool visible_to(const Actor& actor, const OrganizationId& owner) { return owner == actor.organization_id; }

std::optional<Error> refusal_to_invite(const Actor& actor, std::string_view role) {
    if (actor.role == "admin") return std::nullopt;
    if (actor.role == "coach_lead" && (role == "coach" || role == "client")) return std::nullopt;
    if (actor.role == "coach_lead") return forbidden("a coach lead may invite coaches and clients, not '" + std::string(role) + "'");
    return forbidden("only admins and coach leads may invite users");
}

std::optional<Error> refusal_to_act_for_coach(const Actor& actor, const UserId& coach_id, const UserState& coach) {
    if (!coach.exists || !visible_to(actor, coach.organization_id)) return not_found("coach_not_found", "no such coach");
    if (!is_coaching_role(coach.role)) return invalid("not_a_coach", "the user '" + coach_id.value + "' does not coach (role " + coach.role + ")");
    if (actor.role == "admin" || coach_id == actor.user_id) return std::nullopt;
    if (actor.role == "coach_lead" && coach.lead_id == actor.user_id) return std::nullopt;
    if (actor.role == "coach_lead") return forbidden("a coach lead may act only for themselves and the coaches they lead");
    if (actor.role == "coach") return forbidden("a coach may act only for themselves");
    return forbidden("role '" + actor.role + "' may not act for a coach");
}

std::optional<Error> refusal_to_manage_client(const Actor& actor, const UserId& coach_id, const UserState& client_coach) {
    if (actor.role == "client") return Error{ErrorKind::forbidden, "forbidden", "clients may not manage client records"};
    return refusal_to_act_for_coach(actor, coach_id, client_coach);
}

std::optional<Error> refusal_to_import_metrics(const Actor& actor) {
    if (is_coaching_role(actor.role)) return std::nullopt;
    return forbidden("role '" + actor.role + "' may not import metrics");
}

}  // namespace debrief::commands
