// The action items area's commands: an item created by hand, and every change of its life (assign, reschedule,
// complete, reopen, cancel).
#pragma once

#include <string>

#include "commands/action_item.hpp"
#include "commands/actor.hpp"
#include "commands/command_handler.hpp"

namespace debrief::commands {

struct CreateActionItemInput {
    ClientId client_id;
    std::string title;
    std::string owner_id;  // optional: the client
    std::string due_date;  // optional
};

Result<Accepted> create_action_item(CommandHandler& handler, const Actor& actor, const CreateActionItemInput& input, const CommandContext& context);
// value: the new owner (assign), due date (reschedule) or reason (cancel); empty for the others.
Result<Accepted> change_action_item(CommandHandler& handler, const Actor& actor, const ActionItemId& item, ActionItemChangeKind kind,
                                    std::string value, const CommandContext& context);

}  // namespace debrief::commands
