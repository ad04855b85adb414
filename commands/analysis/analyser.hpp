// The built-in summary analyser: drafts wins, challenges, action items and recommendations per client, offline.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace debrief::analysis {

enum class EngagementLevel { high, medium, low, silent };
std::string_view to_string(EngagementLevel level);

struct Utterance {
    std::string speaker;
    std::optional<double> start_seconds, end_seconds;
    std::string text;
};

struct ParticipantInfo {
    std::string speaker;
    double speaking_seconds = 0;
    int word_count = 0;
    int turn_count = 0;
};

struct ActionItemDraft {
    std::string title;
    std::string owner;                    // "client" or "coach"
    std::optional<std::string> due_date;  // YYYY-MM-DD
};

struct SummaryDraft {
    std::string speaker;  // the client participant this summary is for
    std::vector<std::string> wins, challenges, coach_recommendations;
    std::vector<ActionItemDraft> action_items;
    EngagementLevel engagement = EngagementLevel::silent;
    bool breakthrough = false;
    double priority_score = 0;  // 0..1, follow-up urgency
};

struct AnalysisInput {
    std::string session_date;                   // YYYY-MM-DD: resolves "by Friday", "next week", "on 3 March"
    std::string session_type;                   // individual | group_workshop | call_review
    std::vector<Utterance> utterances;          // in order
    std::vector<ParticipantInfo> participants;  // every speaker, with statistics
    std::vector<std::string> coach_speakers;    // speakers who are the coach
    std::vector<std::string> client_speakers;   // speakers to summarise (a summary each, even if silent or absent)
};

inline constexpr std::size_t max_items_per_list = 5;

// Pure and deterministic: no I/O, no clock, no randomness; the same input gives the same drafts.
// One summary per entry of client_speakers, in that order; speaker names match case-insensitively.
// Wins and challenges come from the client's own sentences (and from the coach's "your CSAT went up"); action items
// from the client's commitments, the coach's requests the client agreed to in the next turn, and the coach's own
// promises to the client; recommendations from the coach's advice to the client. With one client every coach
// sentence is addressed to them; in a group a coach sentence goes to the client it names or, failing that, to the
// client who spoke just before; advice to the whole group goes to everyone only when it is unmistakable.
std::vector<SummaryDraft> analyse(const AnalysisInput& input);

}  // namespace debrief::analysis
