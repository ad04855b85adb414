// The chat-completions protocol of the writing assistant, as pure functions: the request body sent to an
// OpenAI-compatible endpoint, and the strict reading of its answer. No I/O; the adapter in adapters/llm sends it.
#pragma once

#include <string>
#include <string_view>

#include "commands/refinement/assistant.hpp"
#include "common/result.hpp"

namespace debrief::refinement::llm {

inline constexpr std::size_t max_list_items = 12;    // per list of the summary
inline constexpr std::size_t max_item_chars = 300;   // a win, challenge, recommendation or action item title
inline constexpr std::size_t max_reply_chars = 2000;

// {"model", "messages": [system, user], "temperature": 0, "response_format": {"type": "json_object"}}.
std::string request_body(const AssistantRequest& request, std::string_view model);

// choices[0].message.content of a chat-completions answer. Error llm_malformed when the body is not one.
Result<std::string> response_content(std::string_view body);

// The content, which must be exactly {"summary": {"wins", "challenges", "action_items", "coach_recommendations"},
// "reply"}: every list present, strings trimmed, 1..max_item_chars, at most max_list_items per list, owners
// "client" or "coach" (mapped to the request's ids), due dates null or a real YYYY-MM-DD. Anything else,
// unknown keys included, is llm_malformed.
Result<AssistantProposal> parse_proposal(std::string_view content, const AssistantRequest& request, std::string refiner);

}  // namespace debrief::refinement::llm
