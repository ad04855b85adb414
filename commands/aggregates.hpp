// The list of aggregates the write model keeps, and the aggregate of an id type.
#pragma once

#include "commands/action_item.hpp"
#include "commands/api_key.hpp"
#include "commands/client.hpp"
#include "commands/follow_up.hpp"
#include "commands/metrics_import.hpp"
#include "commands/note.hpp"
#include "commands/organization.hpp"
#include "commands/session.hpp"
#include "commands/summary.hpp"
#include "commands/template.hpp"
#include "commands/user.hpp"
#include "common/type_list.hpp"

namespace debrief::commands {

using Aggregates = TypeList<Organization, User, Client, Session, Summary, ActionItem, Note, Template, FollowUp, MetricsImport, ApiKey>;

template <typename Id, typename List = Aggregates>
struct AggregateFor;
template <typename Id, typename First, typename... Rest>
struct AggregateFor<Id, TypeList<First, Rest...>>
    : std::conditional_t<std::is_same_v<typename First::Id, Id>, std::type_identity<First>, AggregateFor<Id, TypeList<Rest...>>> {};
template <typename Id>
struct AggregateFor<Id, TypeList<>> {
    static_assert(sizeof(Id) == 0, "no aggregate in commands/aggregates.hpp has this id type");
};
template <typename Id>
using AggregateOf = typename AggregateFor<Id>::type;

// Every event belongs to one of these aggregates.
template <typename... Es>
constexpr bool all_belong(TypeList<Es...>) {
    return ((std::is_same_v<typename AggregateOf<events::AggregateIdOf<Es>>::Id, events::AggregateIdOf<Es>>) && ...);
}
static_assert(all_belong(events::EventTypes{}));

}  // namespace debrief::commands
