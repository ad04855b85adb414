// Given/when/then for deciders, after cqrs-es's TestFramework: given the events an aggregate already has, when a
// decider answers a command for the state they fold to, then it appends these events, or refuses with this code.
//   given<Note>({NoteAdded{...}}).when([&](const NoteState& s) { return decide(s, command, ...); }).then({NoteAddressed{...}});
// Accepted events are folded in, so a scenario goes on: .when(...).then_error("note_addressed").
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <type_traits>
#include <variant>
#include <string_view>
#include <vector>

#include "commands/aggregate.hpp"
#include "common/result.hpp"

namespace debrief::testing {

inline const OrganizationId given_organization{"org-1"};

template <typename A>
class Scenario {
public:
    using State = typename A::State;
    using Decision = Result<std::vector<events::Payload>>;

    Scenario(State state, const std::vector<events::Payload>& history, OrganizationId organization)
        : organization_(std::move(organization)), state_(std::move(state)) {
        for (const auto& event : history) fold_in(event);
    }

    // The decider, called with the folded state; its answer is what then...() checks.
    template <typename Decide>
    Scenario& when(Decide&& decide) {
        decision_ = decide(std::as_const(state_));
        return *this;
    }
    // The command was accepted with exactly these events, which are folded in.
    Scenario& then(const std::vector<events::Payload>& expected) {
        REQUIRE_MESSAGE(decision_.ok(), "refused: " << decision_.error().code << " " << decision_.error().message);
        CHECK(decision_.value() == expected);
        for (const auto& event : decision_.value()) fold_in(event);
        return *this;
    }
    // Accepted; check(events) looks at what was appended (for events with generated parts), and they are folded in.
    template <typename Check>
    Scenario& then_events(Check&& check) {
        REQUIRE_MESSAGE(decision_.ok(), "refused: " << decision_.error().code << " " << decision_.error().message);
        check(decision_.value());
        for (const auto& event : decision_.value()) fold_in(event);
        return *this;
    }
    // Refused with this stable code; nothing is folded.
    Scenario& then_error(std::string_view code) {
        REQUIRE_MESSAGE(!decision_.ok(), "accepted where " << code << " was expected");
        CHECK(decision_.error().code == code);
        return *this;
    }
    // More history, as if other commands had been accepted in between.
    Scenario& and_given(const std::vector<events::Payload>& more) {
        for (const auto& event : more) fold_in(event);
        return *this;
    }
    const State& state() const { return state_; }

private:
    // A decider may also start other aggregates (an approval creates action items): only A's events are folded here.
    void fold_in(const events::Payload& event) {
        std::visit(
            [&](const auto& e) {
                if constexpr (contains_v<typename A::Events, std::decay_t<decltype(e)>>) {
                    events::Metadata metadata;
                    metadata.organization_id = organization_;
                    metadata.aggregate_id = e.aggregate_id().value;
                    metadata.aggregate_version = state_.version + 1;
                    commands::fold(state_, e, metadata);
                }
            },
            event);
    }

    OrganizationId organization_;
    State state_{};
    Decision decision_{Error{ErrorKind::internal, "no_when", "then...() before when()"}};
};

template <typename A>
Scenario<A> given(const std::vector<events::Payload>& history = {}, OrganizationId organization = given_organization) {
    return Scenario<A>({}, history, std::move(organization));
}

// The state an aggregate's history folds to, for the facts other deciders are given (a client's coach, a session).
template <typename A>
typename A::State folded(const std::vector<events::Payload>& history, OrganizationId organization = given_organization) {
    return Scenario<A>({}, history, std::move(organization)).state();
}
// A state some more events on, for tests that build their states step by step.
template <typename A>
typename A::State folded(typename A::State state, const std::vector<events::Payload>& more, OrganizationId organization = given_organization) {
    return Scenario<A>(std::move(state), more, std::move(organization)).state();
}

}  // namespace debrief::testing
