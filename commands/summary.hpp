// The summary aggregate: one per client per session, drafted by the analyser, refined by the coach, approved.
#pragma once

#include <cstdint>
#include <string>

#include "commands/result.hpp"
#include "events/event.hpp"

namespace debrief::commands {

enum class SummaryStatus { none, draft, approved };
std::string_view to_string(SummaryStatus status);

struct SummaryState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    SessionId session_id;
    ClientId client_id;
    UserId coach_id;
    SummaryStatus status = SummaryStatus::none;
    events::SummaryContent content;        // as it reads now
    events::SummaryContent drafted;        // as the analyser wrote it
};

SummaryState evolve(SummaryState state, const events::Payload& event, const OrganizationId& organization_id);

}  // namespace debrief::commands
