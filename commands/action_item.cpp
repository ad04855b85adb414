// Action item decisions: who may create and change them, which transitions hold, and valid owners and dates.
#include "commands/action_item.hpp"

#include "commands/authorization.hpp"
#include "commands/client.hpp"
#include "commands/session.hpp"
#include "commands/text_rules.hpp"

namespace debrief::commands {

std::string_view to_string(ActionItemStatus status) {
    switch (status) {
        case ActionItemStatus::open: return "open";
        case ActionItemStatus::done: return "done";
        case ActionItemStatus::cancelled: return "cancelled";
        case ActionItemStatus::none: break;
    }
    return "none";
}

namespace {

// The client's id, or a coaching user of the organization.
std::optional<Error> check_owner(const Actor& actor, const std::string& owner_id, const ClientId& client, const UserState& owner_user) {
    if (owner_id == client.value) return std::nullopt;
    if (!owner_user.exists || !visible_to(actor, owner_user.organization_id)) return not_found("owner_not_found", "no such owner");
    if (!is_coaching_role(owner_user.role)) return invalid("invalid_owner", "an action item belongs to its client or to a coach");
    return std::nullopt;
}

std::optional<Error> check_due_date(const std::string& due_date) {
    if (!due_date.empty() && !is_valid_iso_date(due_date)) return invalid("invalid_due_date", "due_date must be a date as YYYY-MM-DD");
    return std::nullopt;
}

}  // namespace

Result<std::vector<events::Payload>> decide(const ActionItemState& item, const CreateActionItem& command, const ClientState& client,
                                            const UserState& client_coach, const UserState& owner_user) {
    if (!client.exists || !visible_to(command.actor, client.organization_id)) return not_found("client_not_found", "no such client");
    if (auto refused = refusal_to_manage_client(command.actor, client.coach_id, client_coach)) return *refused;
    if (item.exists) return conflict("action_item_exists", "an action item with this id already exists");
    auto title = std::string(trim(command.title));
    if (title.empty()) return invalid("missing_field", "title must not be empty");
    if (title.size() > max_action_title_length) return invalid("field_too_long", "title must be at most 300 characters");
    if (auto bad = check_text("title", title, TextKind::line)) return *bad;
    auto owner = command.owner_id.empty() ? command.client_id.value : command.owner_id;
    if (auto bad = check_owner(command.actor, owner, command.client_id, owner_user)) return *bad;
    if (auto bad = check_due_date(command.due_date)) return *bad;
    return std::vector<events::Payload>{
        events::ActionItemCreated{command.action_item_id, command.client_id, client.coach_id, title, owner, command.due_date, "manual", {}, {}}};
}

Result<std::vector<events::Payload>> decide(const ActionItemState& item, const ChangeActionItem& command, const UserState& client_coach,
                                            const UserState& owner_user) {
    if (!item.exists || !visible_to(command.actor, item.organization_id)) return not_found("action_item_not_found", "no such action item");
    // A client ticks off and reopens their own items; everything else is the coaching side's.
    bool own_client = command.actor.role == "client" && !command.actor_client.empty() && command.actor_client == item.client_id;
    bool client_may = own_client && (command.kind == ActionItemChangeKind::complete || command.kind == ActionItemChangeKind::reopen);
    if (!client_may)
        if (auto refused = refusal_to_manage_client(command.actor, item.coach_id, client_coach)) return *refused;
    const auto& id = command.action_item_id;
    switch (command.kind) {
        case ActionItemChangeKind::complete:
            if (item.status != ActionItemStatus::open) return conflict("action_item_not_open", "only an open action item can be completed");
            return std::vector<events::Payload>{events::ActionItemCompleted{id}};
        case ActionItemChangeKind::reopen:
            if (item.status == ActionItemStatus::open) return conflict("action_item_open", "the action item is already open");
            return std::vector<events::Payload>{events::ActionItemReopened{id}};
        case ActionItemChangeKind::cancel:
            if (item.status != ActionItemStatus::open) return conflict("action_item_not_open", "only an open action item can be cancelled");
            if (command.value.size() > 2000) return invalid("invalid_field", "reason must be at most 2000 characters");
            if (auto bad = check_text("reason", command.value, TextKind::multiline)) return *bad;
            return std::vector<events::Payload>{events::ActionItemCancelled{id, command.value, item.client_id}};
        case ActionItemChangeKind::assign:
            if (item.status != ActionItemStatus::open) return conflict("action_item_not_open", "only an open action item can be assigned");
            if (auto bad = check_owner(command.actor, command.value, item.client_id, owner_user)) return *bad;
            if (command.value == item.owner_id) return conflict("action_item_unchanged", "the action item already has this owner");
            return std::vector<events::Payload>{events::ActionItemAssigned{id, command.value}};
        case ActionItemChangeKind::reschedule:
            if (item.status != ActionItemStatus::open) return conflict("action_item_not_open", "only an open action item can be rescheduled");
            if (command.value.empty()) return invalid("missing_field", "due_date is required");
            if (auto bad = check_due_date(command.value)) return *bad;
            if (command.value == item.due_date) return conflict("action_item_unchanged", "the action item is already due then");
            return std::vector<events::Payload>{events::ActionItemRescheduled{id, command.value}};
    }
    return invalid("invalid_field", "unknown change");
}

void evolve(ActionItemState& state, const events::ActionItemCreated& created, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = m.organization_id;
    state.client_id = created.client_id;
    state.coach_id = created.coach_id;
    state.title = created.title;
    state.owner_id = created.owner_id;
    state.due_date = created.due_date;
    state.source = created.source;
    state.status = ActionItemStatus::open;
}

void evolve(ActionItemState& state, const events::ActionItemAssigned& assigned, const events::Metadata&) {
    state.owner_id = assigned.owner_id;
}

void evolve(ActionItemState& state, const events::ActionItemRescheduled& rescheduled, const events::Metadata&) {
    state.due_date = rescheduled.due_date;
}

void evolve(ActionItemState& state, const events::ActionItemCompleted&, const events::Metadata&) {
    state.status = ActionItemStatus::done;
}

void evolve(ActionItemState& state, const events::ActionItemReopened&, const events::Metadata&) {
    state.status = ActionItemStatus::open;
}

void evolve(ActionItemState& state, const events::ActionItemCancelled&, const events::Metadata&) {
    state.status = ActionItemStatus::cancelled;
}

std::vector<events::Payload> action_items_from_summary(const events::SummaryContent& content, const ClientId& client, const UserId& coach,
                                                       const SessionId& session, const SummaryId& summary, const std::vector<ActionItemId>& ids) {
    std::vector<events::Payload> out;
    for (std::size_t i = 0; i < content.action_items.size() && i < ids.size(); ++i) {
        const auto& item = content.action_items[i];
        out.push_back(events::ActionItemCreated{ids[i], client, coach, item.title, item.owner_id, item.due_date, "summary", session, summary});
    }
    return out;
}

}  // namespace debrief::commands
