// Prompt building and strict answer parsing for the chat-completions assistant.
#include "commands/refinement/llm_protocol.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "commands/session.hpp"
#include "commands/text_rules.hpp"

namespace debrief::refinement {

std::string transcript_excerpt(std::string_view transcript) {
    if (transcript.size() <= max_transcript_excerpt_chars) return std::string(transcript);
    auto cut = transcript.substr(0, max_transcript_excerpt_chars);
    if (auto line_end = cut.rfind('\n'); line_end != std::string_view::npos && line_end > max_transcript_excerpt_chars / 2)
        cut = cut.substr(0, line_end + 1);
    return std::string(cut) + "[... transcript cut ...]\n";
}

namespace llm {
namespace json = boost::json;
namespace {

constexpr std::string_view system_prompt =
    "You are the writing assistant of a coaching platform. You edit the summary of one client's coaching session.\n"
    "Answer with one JSON object and nothing else, exactly of this shape:\n"
    "{\"summary\": {\"wins\": [string], \"challenges\": [string], \"action_items\": [{\"title\": string, \"owner\": \"client\" or \"coach\", "
    "\"due_date\": \"YYYY-MM-DD\" or null}], \"coach_recommendations\": [string]}, \"reply\": string}\n"
    "Rules: keep every list, even when empty; at most 12 items per list; every item 1 to 300 characters on one line; no other keys; "
    "\"reply\" is one or two sentences to the coach saying what you changed. Stay faithful to the transcript: invent no facts.";

constexpr std::string_view refine_task =
    "Task: apply the coach's request to the current summary and return the whole summary as it should now read.";
constexpr std::string_view review_task =
    "Task: review the analyser's draft against the transcript. Correct what is wrong, add what is clearly missing, remove what "
    "the transcript does not support; return the whole summary. When the draft is already right, return it unchanged.";

Error malformed(std::string detail) { return {ErrorKind::unavailable, "llm_malformed", "the assistant's answer is unusable: " + std::move(detail)}; }

json::array strings(const std::vector<std::string>& values) {
    json::array out;
    for (const auto& v : values) out.emplace_back(v);
    return out;
}

json::object summary_json(const events::SummaryContent& content, const AssistantRequest& request) {
    json::array items;
    for (const auto& item : content.action_items)
        items.push_back(json::object{{"title", item.title},
                                     {"owner", item.owner_id == request.coach_id.value ? "coach" : "client"},
                                     {"due_date", item.due_date.empty() ? json::value(nullptr) : json::value(item.due_date)}});
    return json::object{{"wins", strings(content.wins)},
                        {"challenges", strings(content.challenges)},
                        {"action_items", std::move(items)},
                        {"coach_recommendations", strings(content.coach_recommendations)}};
}

// Exactly the given keys, no others.
std::optional<Error> check_keys(const json::object& object, std::initializer_list<std::string_view> keys, std::string_view where) {
    for (const auto& entry : object)
        if (std::find(keys.begin(), keys.end(), std::string_view(entry.key())) == keys.end())
            return malformed("unexpected key '" + std::string(entry.key()) + "' in " + std::string(where));
    for (auto key : keys)
        if (!object.contains(key)) return malformed("missing '" + std::string(key) + "' in " + std::string(where));
    return std::nullopt;
}

Result<std::string> item_text(const json::value& value, std::string_view where) {
    if (!value.is_string()) return malformed(std::string(where) + " must be a string");
    auto text = std::string(commands::trim(std::string_view(value.as_string())));
    if (text.empty() || text.size() > max_item_chars) return malformed(std::string(where) + " must be 1 to 300 characters");
    if (commands::check_text(where, text, commands::TextKind::line)) return malformed(std::string(where) + " must be one line of text");
    return text;
}

Result<std::vector<std::string>> text_list(const json::object& summary, std::string_view key) {
    const auto& value = summary.at(key);
    if (!value.is_array()) return malformed(std::string(key) + " must be a list");
    const auto& list = value.as_array();
    if (list.size() > max_list_items) return malformed(std::string(key) + " has more than 12 items");
    std::vector<std::string> out;
    for (const auto& entry : list) {
        auto text = item_text(entry, std::string(key) + " items");
        if (!text) return text.error();
        out.push_back(std::move(text).value());
    }
    return out;
}

Result<std::vector<events::ActionItemDraft>> action_items(const json::object& summary, const AssistantRequest& request) {
    const auto& value = summary.at("action_items");
    if (!value.is_array()) return malformed("action_items must be a list");
    const auto& list = value.as_array();
    if (list.size() > max_list_items) return malformed("action_items has more than 12 items");
    std::vector<events::ActionItemDraft> out;
    for (const auto& entry : list) {
        if (!entry.is_object()) return malformed("an action item must be an object");
        const auto& item = entry.as_object();
        if (auto bad = check_keys(item, {"title", "owner", "due_date"}, "an action item")) return *bad;
        auto title = item_text(item.at("title"), "an action item's title");
        if (!title) return title.error();
        const auto& owner = item.at("owner");
        if (!owner.is_string() || (owner.as_string() != "client" && owner.as_string() != "coach"))
            return malformed("an action item's owner must be \"client\" or \"coach\"");
        std::string due;
        const auto& due_value = item.at("due_date");
        if (due_value.is_string() && commands::is_valid_iso_date(std::string_view(due_value.as_string()))) {
            due = std::string(due_value.as_string());
        } else if (!due_value.is_null()) {
            return malformed("an action item's due_date must be null or a date as YYYY-MM-DD");
        }
        out.push_back({std::move(title).value(), owner.as_string() == "coach" ? request.coach_id.value : request.client_id.value, std::move(due)});
    }
    return out;
}

}  // namespace

std::string request_body(const AssistantRequest& request, std::string_view model) {
    std::string user;
    user += request.task == AssistantTask::refine ? refine_task : review_task;
    user += "\nSession: " + request.session_date + ", " + request.session_type + ". Coach: " + request.coach_name + ". Client: " +
            request.client_name + ".\n";
    user += request.task == AssistantTask::refine ? "Current summary:\n" : "The analyser's draft:\n";
    user += json::serialize(summary_json(request.current, request));
    if (request.task == AssistantTask::refine) user += "\nThe coach's request: " + request.message;
    user += "\nTranscript:\n" + request.transcript_excerpt;
    if (!request.coach_instructions.empty()) user += "\nThe coach's standing instructions (keep the JSON answer format):\n" + request.coach_instructions;
    json::object body{{"model", model},
                      {"messages", json::array{json::object{{"role", "system"}, {"content", system_prompt}},
                                               json::object{{"role", "user"}, {"content", user}}}},
                      {"temperature", 0},
                      {"response_format", json::object{{"type", "json_object"}}}};
    return json::serialize(body);
}

Result<std::string> response_content(std::string_view body) {
    boost::system::error_code ec;
    auto parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) return malformed("the body is not a JSON object");
    const auto* choices = parsed.as_object().if_contains("choices");
    if (!choices || !choices->is_array() || choices->as_array().empty()) return malformed("no choices");
    const auto& first = choices->as_array().front();
    const auto* message = first.is_object() ? first.as_object().if_contains("message") : nullptr;
    const auto* content = message && message->is_object() ? message->as_object().if_contains("content") : nullptr;
    if (!content || !content->is_string()) return malformed("choices[0].message.content is not a string");
    return std::string(content->as_string());
}

Result<AssistantProposal> parse_proposal(std::string_view content, const AssistantRequest& request, std::string refiner) {
    boost::system::error_code ec;
    auto parsed = json::parse(content, ec);
    if (ec || !parsed.is_object()) return malformed("the content is not a JSON object");
    const auto& root = parsed.as_object();
    if (auto bad = check_keys(root, {"summary", "reply"}, "the answer")) return *bad;
    if (!root.at("summary").is_object()) return malformed("summary must be an object");
    const auto& summary = root.at("summary").as_object();
    if (auto bad = check_keys(summary, {"wins", "challenges", "action_items", "coach_recommendations"}, "the summary")) return *bad;

    AssistantProposal proposal{{}, {}, std::move(refiner)};
    auto wins = text_list(summary, "wins");
    if (!wins) return wins.error();
    auto challenges = text_list(summary, "challenges");
    if (!challenges) return challenges.error();
    auto recommendations = text_list(summary, "coach_recommendations");
    if (!recommendations) return recommendations.error();
    auto items = action_items(summary, request);
    if (!items) return items.error();
    proposal.after = {std::move(wins).value(), std::move(challenges).value(), std::move(items).value(), std::move(recommendations).value()};

    const auto& reply = root.at("reply");
    if (!reply.is_string()) return malformed("reply must be a string");
    proposal.reply = std::string(commands::trim(std::string_view(reply.as_string())));
    if (proposal.reply.empty() || proposal.reply.size() > max_reply_chars) return malformed("reply must be 1 to 2000 characters");
    return proposal;
}

}  // namespace llm
}  // namespace debrief::refinement
