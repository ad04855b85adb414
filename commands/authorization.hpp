// Who may do what: the role and organization rules every command checks, as pure predicates.
#pragma once

#include <optional>
#include <string_view>

#include "commands/actor.hpp"
#include "commands/client.hpp"
#include "common/result.hpp"
#include "commands/user.hpp"

namespace debrief::commands {

// An aggregate of another organization does not exist for the actor: 404, so ids of other tenants leak nothing.
bool visible_to(const Actor& actor, const OrganizationId& owner);

// The refusal_to_* checks answer why the actor may not do it (a 403 or 404 Error), or nothing when it is allowed.

// Admins invite any role; coach leads invite coaches and clients.
std::optional<Error> refusal_to_invite(const Actor& actor, std::string_view role);
// Acting for a coach (their sessions, their clients): admins for anyone in the organization, a coach lead for
// themselves and the coaches they lead, a coach for themselves.
std::optional<Error> refusal_to_act_for_coach(const Actor& actor, const UserId& coach_id, const UserState& coach);
// Managing a client's record and coaching work: whoever may act for the client's coach; never a client.
std::optional<Error> refusal_to_manage_client(const Actor& actor, const UserId& coach_id, const UserState& client_coach);
// Importing agents' KPIs: admins, coach leads and coaches; never a client.
std::optional<Error> refusal_to_import_metrics(const Actor& actor);

}  // namespace debrief::commands
