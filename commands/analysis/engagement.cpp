// Engagement level: relative talk share and turn count, so a quiet client in a big group is not "low" by default.
#include "commands/analysis/engagement.hpp"

namespace debrief::analysis::detail {

EngagementLevel engagement_level(const ParticipantInfo& client, const TalkTotals& totals) {
    if (client.word_count <= 0 || client.turn_count <= 0) return EngagementLevel::silent;
    double share_sum = 0;
    int shares = 0;
    if (totals.speaking_seconds > 0) {
        share_sum += client.speaking_seconds / totals.speaking_seconds;
        ++shares;
    }
    if (totals.word_count > 0) {
        share_sum += static_cast<double>(client.word_count) / totals.word_count;
        ++shares;
    }
    if (shares == 0) return EngagementLevel::silent;
    double even_share = 1.0 / (totals.speakers > 0 ? totals.speakers : 1);
    double ratio = (share_sum / shares) / even_share;
    if (ratio >= high_share_ratio && client.turn_count >= high_min_turns) return EngagementLevel::high;
    if (ratio < low_share_ratio || client.turn_count < 2) return EngagementLevel::low;
    return EngagementLevel::medium;
}

}  // namespace debrief::analysis::detail
