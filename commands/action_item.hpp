// The action item aggregate: created from an approved summary or by hand; assigned, rescheduled, completed,
// reopened, cancelled. Overdue is derived on read (open and past its due date).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/actor.hpp"
#include "common/result.hpp"
#include "commands/user.hpp"
#include "events/event.hpp"

namespace debrief::commands {

enum class ActionItemStatus { none, open, done, cancelled };
std::string_view to_string(ActionItemStatus status);

struct ActionItemState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    ClientId client_id;
    UserId coach_id;
    std::string title;
    std::string owner_id;
    std::string due_date;
    std::string source;
    ActionItemStatus status = ActionItemStatus::none;
};

inline constexpr std::size_t max_action_title_length = 300;

// Who an item may belong to: its client, or a coaching user of the organization.
struct OwnerFacts {
    std::string owner_id;
    const UserState& owner_user;  // the state of owner_id as a user (empty when it is the client)
};

struct CreateActionItem {
    ActionItemId action_item_id;
    Actor actor;
    ClientId client_id;
    std::string title;
    std::string owner_id;  // empty: the client
    std::string due_date;  // optional, YYYY-MM-DD
};

enum class ActionItemChangeKind { assign, reschedule, complete, reopen, cancel };

struct ChangeActionItem {
    ActionItemId action_item_id;
    Actor actor;
    ActionItemChangeKind kind;
    std::string value;       // assign: owner id; reschedule: due date; cancel: reason
    ClientId actor_client;   // for an actor with the role client: the client record their login belongs to
};

// client and client_coach: the states of the item's client and that client's coach, for the role rules.
Result<std::vector<events::Payload>> decide(const ActionItemState& item, const CreateActionItem& command, const ClientState& client,
                                            const UserState& client_coach, const UserState& owner_user);
// owner_user: for assign, the state of the new owner as a user.
Result<std::vector<events::Payload>> decide(const ActionItemState& item, const ChangeActionItem& command, const UserState& client_coach,
                                            const UserState& owner_user);
// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
void evolve(ActionItemState& state, const events::ActionItemCreated& event, const events::Metadata& metadata);
void evolve(ActionItemState& state, const events::ActionItemAssigned& event, const events::Metadata& metadata);
void evolve(ActionItemState& state, const events::ActionItemRescheduled& event, const events::Metadata& metadata);
void evolve(ActionItemState& state, const events::ActionItemCompleted& event, const events::Metadata& metadata);
void evolve(ActionItemState& state, const events::ActionItemReopened& event, const events::Metadata& metadata);
void evolve(ActionItemState& state, const events::ActionItemCancelled& event, const events::Metadata& metadata);
using ActionItem = Aggregate<ActionItemId, ActionItemState>;

// The items an approved summary's content asks for, as events (ids given, one per item).
std::vector<events::Payload> action_items_from_summary(const events::SummaryContent& content, const ClientId& client, const UserId& coach,
                                                       const SessionId& session, const SummaryId& summary, const std::vector<ActionItemId>& ids);

}  // namespace debrief::commands
