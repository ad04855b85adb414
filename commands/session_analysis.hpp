// The built-in analysis of a parsed session as events: a draft summary per client participant, then SessionAnalysed.
#pragma once

#include <map>
#include <vector>

#include "commands/metrics/metric_trends.hpp"
#include "commands/participant_matching.hpp"
#include "commands/transcript/transcript.hpp"
#include "events/event.hpp"

namespace debrief::commands {

inline constexpr std::string_view builtin_analyser = "builtin-1";

struct SessionFacts {
    SessionId session_id;
    UserId coach_id;
    std::string session_date;
    std::string session_type;
};

// A client's KPI drops (metrics::drops_of) raise the priority of their drafts by metrics::drop_priority_raise, capped
// at 1, and lead its recommendations with one line per drop (at most max_drop_recommendations).
inline constexpr std::size_t max_drop_recommendations = 3;
using MetricDrops = std::map<ClientId, std::vector<metrics::MetricTrend>>;

// summary_ids: one fresh id per client participant, in order (the caller gives at least that many).
std::vector<events::Payload> draft_summaries(const SessionFacts& session, const transcript::ParsedTranscript& parsed,
                                             const std::vector<SpeakerMatch>& matches, const std::vector<SummaryId>& summary_ids,
                                             const MetricDrops& metric_drops);

}  // namespace debrief::commands
