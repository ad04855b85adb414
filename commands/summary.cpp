// Summary decisions and folding.
#include "commands/summary.hpp"

namespace debrief::commands {

std::string_view to_string(SummaryStatus status) {
    switch (status) {
        case SummaryStatus::draft: return "draft";
        case SummaryStatus::approved: return "approved";
        case SummaryStatus::none: break;
    }
    return "none";
}

SummaryState evolve(SummaryState state, const events::Payload& event, const OrganizationId& organization_id) {
    if (const auto* drafted = std::get_if<events::SummaryDrafted>(&event)) {
        state.exists = true;
        state.organization_id = organization_id;
        state.session_id = drafted->session_id;
        state.client_id = drafted->client_id;
        state.coach_id = drafted->coach_id;
        state.status = SummaryStatus::draft;
        state.content = drafted->content;
        state.drafted = drafted->content;
    }
    ++state.version;
    return state;
}

}  // namespace debrief::commands
