// The templates area's commands: e-mail and prompt templates, the organization's or a coach's own.
#pragma once

#include <optional>
#include <string>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"

namespace debrief::commands {

struct CreateTemplateInput {
    std::string kind;
    std::string name;
    std::string subject;
    std::string body;
    bool organization_wide = false;
    UserId coach_id;  // optional: the coach it is for, default the actor
};

struct ReviseTemplateInput {
    std::optional<std::string> name;
    std::optional<std::string> subject;
    std::optional<std::string> body;
};

Result<Accepted> create_template(CommandHandler& handler, const Actor& actor, const CreateTemplateInput& input, const CommandContext& context);
Result<Accepted> revise_template(CommandHandler& handler, const Actor& actor, const TemplateId& id, const ReviseTemplateInput& input,
                                 const CommandContext& context);

}  // namespace debrief::commands
