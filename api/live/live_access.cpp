#include "api/live/live_access.hpp"

#include <algorithm>

#include "commands/authorization.hpp"
#include "commands/user.hpp"
#include "commands/write_model.hpp"

namespace debrief::api::live {

std::optional<Error> refusal_to_follow(const commands::WriteModel& model, const commands::Actor& actor, const Channel& channel) {
    const bool client_user = actor.role == "client";
    const auto own_client = client_user ? model.committed_state(actor.user_id).client_id : ClientId{};
    // Staff: whoever may act for the coach; a client user: only what is their own.
    auto staff_or_own = [&](const UserId& coach, bool own, std::string code, std::string what) -> std::optional<Error> {
        if (client_user) return own ? std::nullopt : std::optional<Error>(not_found(std::move(code), "no " + what + " with this id"));
        if (auto refused = commands::refusal_to_act_for_coach(actor, coach, model.committed_state(coach)))
            return refused->kind == ErrorKind::not_found ? not_found(std::move(code), "no " + what + " with this id") : *refused;
        return std::nullopt;
    };
    switch (channel.kind) {
        case ChannelKind::organization:
            if (actor.role == "admin") return std::nullopt;
            return Error{ErrorKind::forbidden, "forbidden", "only an admin follows the organization's feed"};
        case ChannelKind::coach_dashboard:
            if (commands::is_coaching_role(actor.role)) return std::nullopt;
            return Error{ErrorKind::forbidden, "forbidden", "dashboard:coach is a coaching user's own dashboard"};
        case ChannelKind::session: {
            auto session = model.committed_state(SessionId{channel.id});
            if (!session.exists || !commands::visible_to(actor, session.organization_id)) return not_found("session_not_found", "no session with this id");
            const bool took_part = std::find(session.client_ids.begin(), session.client_ids.end(), own_client) != session.client_ids.end();
            return staff_or_own(session.coach_id, client_user && took_part, "session_not_found", "session");
        }
        case ChannelKind::summary: {
            auto summary = model.committed_state(SummaryId{channel.id});
            if (!summary.exists || !commands::visible_to(actor, summary.organization_id)) return not_found("summary_not_found", "no summary with this id");
            return staff_or_own(summary.coach_id, client_user && summary.client_id == own_client, "summary_not_found", "summary");
        }
        case ChannelKind::action_items: {
            auto client = model.committed_state(ClientId{channel.id});
            if (!client.exists || !commands::visible_to(actor, client.organization_id)) return not_found("client_not_found", "no client with this id");
            return staff_or_own(client.coach_id, client_user && ClientId{channel.id} == own_client, "client_not_found", "client");
        }
    }
    return not_found("channel_not_found", "no such channel");
}

}  // namespace debrief::api::live
