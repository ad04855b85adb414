// From the analyser's drafts to SummaryDrafted events: speakers become client ids, "client"/"coach" owners become ids.
#include "commands/session_analysis.hpp"

#include <algorithm>
#include <cmath>

#include "commands/analysis/analyser.hpp"

namespace debrief::commands {

std::vector<events::Payload> draft_summaries(const SessionFacts& session, const transcript::ParsedTranscript& parsed,
                                             const std::vector<SpeakerMatch>& matches, const std::vector<SummaryId>& summary_ids,
                                             const MetricDrops& metric_drops) {
    analysis::AnalysisInput input{session.session_date, session.session_type, {}, {}, {}, {}};
    input.utterances.reserve(parsed.segments.size());
    for (const auto& s : parsed.segments) input.utterances.push_back({s.speaker, s.start_seconds, s.end_seconds, s.text});
    for (const auto& p : parsed.participants) input.participants.push_back({p.name, p.speaking_seconds, p.word_count, p.turn_count});
    std::vector<const SpeakerMatch*> clients;
    for (const auto& match : matches) {
        if (match.is_coach) {
            input.coach_speakers.push_back(match.speaker);
        } else if (!match.client_id.empty()) {
            input.client_speakers.push_back(match.speaker);
            clients.push_back(&match);
        }
    }
    auto drafts = analysis::analyse(input);

    std::vector<events::Payload> out;
    events::SessionAnalysed analysed{session.session_id, {}};
    for (std::size_t i = 0; i < drafts.size() && i < clients.size() && i < summary_ids.size(); ++i) {
        const auto& draft = drafts[i];
        const auto& client_id = clients[i]->client_id;
        events::SummaryContent content{draft.wins, draft.challenges, {}, draft.coach_recommendations};
        for (const auto& item : draft.action_items)
            content.action_items.push_back({item.title, item.owner == "coach" ? session.coach_id.value : client_id.value, item.due_date.value_or("")});
        double priority = draft.priority_score;
        if (auto drops = metric_drops.find(client_id); drops != metric_drops.end() && !drops->second.empty()) {
            priority = std::min(1.0, std::round((priority + metrics::drop_priority_raise) * 100) / 100);
            std::vector<std::string> lines;
            for (std::size_t d = 0; d < drops->second.size() && d < max_drop_recommendations; ++d)
                lines.push_back(metrics::drop_recommendation(drops->second[d]));
            content.coach_recommendations.insert(content.coach_recommendations.begin(), lines.begin(), lines.end());
        }
        out.push_back(events::SummaryDrafted{summary_ids[i], session.session_id, client_id, session.coach_id, std::move(content),
                                             std::string(analysis::to_string(draft.engagement)), draft.breakthrough, priority,
                                             std::string(builtin_analyser)});
        analysed.summary_ids.push_back(summary_ids[i]);
    }
    out.push_back(std::move(analysed));
    return out;
}

}  // namespace debrief::commands
