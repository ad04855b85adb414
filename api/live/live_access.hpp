// Who may follow which channel: the HTTP reads' rules (commands/authorization.hpp), asked of the write model, which
// knows a session the moment its command is answered (a read model may still be catching up).
#pragma once

#include <optional>

#include "api/live/live_channels.hpp"
#include "commands/actor.hpp"
#include "common/result.hpp"

namespace debrief::commands {
class WriteModel;
}

namespace debrief::api::live {

// A 404 (nothing of another organization, or of another client, is said to exist) or 403 Error; nothing when allowed.
// Staff follow what they may act for (an admin anything of the organization, a coach lead their coaches', a coach
// their own); a client user their own sessions, summaries and action items; dashboard:coach is a coaching user's own;
// organization is an admin's.
std::optional<Error> refusal_to_follow(const commands::WriteModel& model, const commands::Actor& actor, const Channel& channel);

}  // namespace debrief::api::live
