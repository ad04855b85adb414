// Template text: {{variable}} placeholders, checked against the variables a template kind knows, then rendered.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace debrief::templates {

// summary | email | prompt
bool is_valid_kind(std::string_view kind);
// The variables a kind may use, in the order the docs list them.
const std::vector<std::string_view>& variables_for(std::string_view kind);

struct TextProblem {
    int line = 0;  // 1-based
    std::string message;
};

// Every problem in the text (unclosed or empty placeholders, unknown variables), each with its line.
std::vector<TextProblem> check(std::string_view text, std::string_view kind);
// One sentence listing the problems, for a problem+json detail.
std::string describe(const std::vector<TextProblem>& problems, std::string_view field);

// Replaces each {{name}} by values[name] (empty when absent). The text is expected to have passed check().
std::string render(std::string_view text, const std::map<std::string, std::string>& values);

// The built-in templates every organization has; ids start with "system:".
struct SystemTemplate {
    std::string_view id;
    std::string_view kind;
    std::string_view name;
    std::string_view subject;
    std::string_view body;
};
const std::vector<SystemTemplate>& system_defaults();
const SystemTemplate* system_default(std::string_view id);
inline constexpr std::string_view system_prefix = "system:";

}  // namespace debrief::templates
