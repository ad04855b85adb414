// The template aggregate: a summary, e-mail or prompt template, organization-wide (admins) or a coach's own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/actor.hpp"
#include "common/result.hpp"
#include "commands/user.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct TemplateState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    std::string kind;
    std::string name;
    std::string subject;
    std::string body;
    UserId owner_id;  // empty: organization-wide
};

inline constexpr std::size_t max_template_body_length = 20000;
inline constexpr std::size_t max_template_subject_length = 300;

struct CreateTemplate {
    TemplateId template_id;  // chosen by the handler
    Actor actor;
    std::string kind;
    std::string name;
    std::string subject;
    std::string body;
    bool organization_wide = false;  // admins only
    UserId owner_id;                 // the coach it is for; default the actor
};

struct ReviseTemplate {
    TemplateId template_id;
    Actor actor;
    std::optional<std::string> name;
    std::optional<std::string> subject;
    std::optional<std::string> body;
};

// owner: the state of the template's coach (empty state for organization-wide templates).
Result<std::vector<events::Payload>> decide(const TemplateState& state, const CreateTemplate& command, const UserState& owner);
Result<std::vector<events::Payload>> decide(const TemplateState& state, const ReviseTemplate& command, const UserState& owner);
// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
void evolve(TemplateState& state, const events::TemplateCreated& event, const events::Metadata& metadata);
void evolve(TemplateState& state, const events::TemplateRevised& event, const events::Metadata& metadata);
using Template = Aggregate<TemplateId, TemplateState>;

// A built-in template (templates::system_defaults) as the state of an organization's template, so that
// follow-ups treat both alike. Not found when the id names no system default.
std::optional<TemplateState> system_template_state(std::string_view id, const OrganizationId& organization);

}  // namespace debrief::commands
