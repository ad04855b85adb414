// Exhaustive event consumers. A consumer says, for every event type, whether it handles it or ignores it (the type is
// in its Ignores list); both checked at compile time, so adding an event to EventTypes and forgetting a consumer
// does not build.
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "common/type_list.hpp"
#include "events/event.hpp"

namespace debrief::events {

namespace detail {
struct NotAnEvent {};
}  // namespace detail

// Every event of the listed aggregates (by id type), for consumers to whom a whole aggregate does not matter:
// `using Ignores = concat_t<IgnoreAggregates<TemplateId, FollowUpId>, TypeList<NoteAddressed>>;`
template <typename... AggregateIds>
using IgnoreAggregates = concat_t<EventsOf<AggregateIds>...>;

// Checks a handler against the whole type list: it is callable with each event type it handles (overloads that name
// their type, never a template or a Payload), and every other type is in Ignores.
template <typename Ignores, typename Handler>
constexpr bool covers_every_event() {
    static_assert(!std::is_invocable_v<Handler&, const detail::NotAnEvent&>, "a handler must name its event types, not be a template");
    static_assert(!std::is_invocable_v<Handler&, const Payload&>, "a handler must name its event types, not take a Payload");
    for_each_type(EventTypes{}, [](auto type) {
        using E = typename decltype(type)::type;
        constexpr bool handles = std::is_invocable_v<Handler&, const E&>;
        constexpr bool ignores = contains_v<Ignores, E>;
        static_assert(handles || ignores, "an event type is neither handled nor in Ignores: handle it or say that it is ignored");
        static_assert(!(handles && ignores), "an event type is both handled and in Ignores");
    });
    return true;
}

// Calls handler(event) with the event's type, or nothing when it is one of Ignores. For handlers written as a set of
// lambdas: visit_exhaustive<Ignores>(payload, overloaded{[&](const events::NoteAdded& e) {...}, ...}).
template <typename Ignores, typename Handler>
void visit_exhaustive(const Payload& payload, Handler&& handler) {
    static_assert(covers_every_event<Ignores, std::remove_reference_t<Handler>>());
    std::visit(
        [&](const auto& event) {
            if constexpr (std::is_invocable_v<Handler&, decltype(event)>) handler(event);
        },
        payload);
}

// The same for a consumer object: consumer.on(event, args...) for each event type it handles, and
// `using Ignores = TypeList<...>` for the rest.
template <typename Consumer, typename... Args>
void dispatch(Consumer& consumer, const Payload& payload, Args&&... args) {
    visit_exhaustive<typename Consumer::Ignores>(
        payload, [&]<typename E>(const E& event) requires requires { consumer.on(event, args...); } { consumer.on(event, args...); });
}

}  // namespace debrief::events
