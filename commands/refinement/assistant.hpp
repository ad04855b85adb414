// The port to an optional writing assistant (an LLM provider): what it is asked and what it proposes. The command
// handler asks it before a command runs; its answer reaches `decide` as a fact, so deciders stay pure.
#pragma once

#include <string>

#include "common/result.hpp"
#include "events/event.hpp"

namespace debrief::refinement {

enum class AssistantTask {
    refine,  // the coach's chat message about the summary
    review,  // the analyser's draft, checked against the transcript
};

struct AssistantRequest {
    AssistantTask task = AssistantTask::refine;
    std::string message;  // refine: what the coach asked
    events::SummaryContent current;
    std::string transcript_excerpt;
    std::string session_date;  // YYYY-MM-DD
    std::string session_type;
    std::string client_name;
    std::string coach_name;
    ClientId client_id;  // action items owned by "client" get this id
    UserId coach_id;     // and by "coach" this one
    std::string coach_instructions;  // the coach's own prompt template, rendered, and their voice profile; or empty
};

struct AssistantProposal {
    events::SummaryContent after;
    std::string reply;    // the assistant's answer, for the chat
    std::string refiner;  // recorded on SummaryRefined, e.g. "llm:<model>"
};

// Errors are the assistant's failures (unavailable, timed out, malformed answer): the caller falls back.
class Assistant {
public:
    virtual ~Assistant() = default;
    virtual Result<AssistantProposal> propose(const AssistantRequest& request) = 0;
};

inline constexpr std::size_t max_transcript_excerpt_chars = 12000;

// The transcript as the assistant sees it: at most max_transcript_excerpt_chars, cut at a line end, marked when cut.
std::string transcript_excerpt(std::string_view transcript);

}  // namespace debrief::refinement
