// An aggregate as a type: its id (whose tag names it), its state, and its events, which are every event type whose
// aggregate id is that id. The write model and the tests fold events through fold(), so an event type without an
// evolve() for its aggregate's state does not build.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "common/type_list.hpp"
#include "events/event.hpp"

namespace debrief::commands {

template <typename IdType, typename StateType>
struct Aggregate {
    using Id = IdType;
    using State = StateType;
    using Events = events::EventsOf<IdType>;
    static constexpr std::string_view name = IdType::tag::aggregate;
    static_assert(Events::size > 0, "an aggregate without events");
};

// One event into the state of its aggregate: what the event says (the aggregate's evolve for that type), then the
// version, which counts every event of the aggregate.
template <typename State, typename E>
void fold(State& state, const E& event, const events::Metadata& metadata) {
    evolve(state, event, metadata);
    ++state.version;
}

// A payload that belongs to aggregate A (events::aggregate_type says so); any other is a programming error.
template <typename A>
void fold(typename A::State& state, const events::Payload& payload, const events::Metadata& metadata) {
    std::visit(
        [&](const auto& event) {
            if constexpr (contains_v<typename A::Events, std::decay_t<decltype(event)>>) fold(state, event, metadata);
            else throw std::logic_error("an event of another aggregate folded into " + std::string(A::name));
        },
        payload);
}

}  // namespace debrief::commands
