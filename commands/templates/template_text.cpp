// Placeholder scanning shared by check and render, the variables per kind, and the system default templates.
#include "commands/templates/template_text.hpp"

#include <algorithm>

namespace debrief::templates {
namespace {

const std::vector<std::string_view> summary_variables = {"client_name", "client_first_name", "coach_name", "organization_name",
                                                         "session_date", "session_type", "wins", "challenges", "action_items",
                                                         "coach_recommendations", "sign_off"};
const std::vector<std::string_view> prompt_variables = {"client_name", "client_first_name", "coach_name", "organization_name",
                                                        "session_date", "session_type", "wins", "challenges", "action_items",
                                                        "coach_recommendations", "sign_off", "transcript", "message"};
const std::vector<std::string_view> no_variables;

std::string_view trim_spaces(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// Walks the text, calling literal(text) for plain runs and placeholder(name, line) for each {{name}}; an unclosed
// "{{" is reported as placeholder("", line, false).
template <typename Literal, typename Placeholder>
void scan(std::string_view text, Literal literal, Placeholder placeholder) {
    int line = 1;
    std::size_t at = 0;
    while (at < text.size()) {
        auto open = text.find("{{", at);
        auto run = text.substr(at, open == std::string_view::npos ? std::string_view::npos : open - at);
        literal(run);
        line += static_cast<int>(std::count(run.begin(), run.end(), '\n'));
        if (open == std::string_view::npos) return;
        auto close = text.find("}}", open + 2);
        auto newline = text.find('\n', open + 2);
        if (close == std::string_view::npos || (newline != std::string_view::npos && newline < close)) {
            placeholder(std::string_view{}, line, false);
            at = open + 2;
            continue;
        }
        placeholder(trim_spaces(text.substr(open + 2, close - open - 2)), line, true);
        at = close + 2;
    }
}

}  // namespace

bool is_valid_kind(std::string_view kind) { return kind == "summary" || kind == "email" || kind == "prompt"; }

const std::vector<std::string_view>& variables_for(std::string_view kind) {
    if (kind == "summary" || kind == "email") return summary_variables;
    if (kind == "prompt") return prompt_variables;
    return no_variables;
}

std::vector<TextProblem> check(std::string_view text, std::string_view kind) {
    std::vector<TextProblem> problems;
    const auto& known = variables_for(kind);
    scan(text, [](std::string_view) {},
         [&](std::string_view name, int line, bool closed) {
             if (!closed) {
                 problems.push_back({line, "'{{' is not closed by '}}' on the same line"});
             } else if (name.empty()) {
                 problems.push_back({line, "an empty placeholder '{{}}'"});
             } else if (std::find(known.begin(), known.end(), name) == known.end()) {
                 std::string list;
                 for (auto v : known) list += (list.empty() ? "" : ", ") + std::string(v);
                 problems.push_back({line, "unknown variable '" + std::string(name) + "' (a " + std::string(kind) + " template knows " + list + ")"});
             }
         });
    return problems;
}

std::string describe(const std::vector<TextProblem>& problems, std::string_view field) {
    std::string out;
    for (const auto& p : problems) {
        if (!out.empty()) out += "; ";
        out += std::string(field) + " line " + std::to_string(p.line) + ": " + p.message;
    }
    return out;
}

std::string render(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(text.size() * 2);
    scan(text, [&](std::string_view run) { out += run; },
         [&](std::string_view name, int, bool closed) {
             if (!closed) {
                 out += "{{";
                 return;
             }
             auto it = values.find(std::string(name));
             if (it != values.end()) out += it->second;
         });
    return out;
}

const std::vector<SystemTemplate>& system_defaults() {
    static const std::vector<SystemTemplate> defaults = {
        {"system:email", "email", "Follow-up after a session", "Your session on {{session_date}}: summary and next steps",
         "Hi {{client_first_name}},\n\n"
         "Thank you for our session on {{session_date}}. Here is what we covered.\n\n"
         "What went well:\n{{wins}}\n\n"
         "What we are working on:\n{{challenges}}\n\n"
         "Your next steps:\n{{action_items}}\n\n"
         "{{sign_off}}\n"},
        {"system:summary", "summary", "Session summary", "",
         "Session with {{client_name}} on {{session_date}} ({{session_type}})\n\n"
         "Wins:\n{{wins}}\n\nChallenges:\n{{challenges}}\n\nAction items:\n{{action_items}}\n\n"
         "Recommendations for the coach:\n{{coach_recommendations}}\n"},
        {"system:prompt", "prompt", "Draft a summary", "",
         "You are assisting {{coach_name}}, a coach. From the transcript of the {{session_type}} session on {{session_date}}, "
         "draft a summary for {{client_name}}: wins, challenges, action items with owners and due dates, and recommendations "
         "for the coach. Be specific and brief.\n\nTranscript:\n{{transcript}}\n"},
    };
    return defaults;
}

const SystemTemplate* system_default(std::string_view id) {
    for (const auto& t : system_defaults())
        if (t.id == id) return &t;
    return nullptr;
}

}  // namespace debrief::templates
