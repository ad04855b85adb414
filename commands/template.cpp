// Template decisions: who may keep which templates, and what a template's text may say.
#include "commands/template.hpp"

#include "commands/authorization.hpp"
#include "commands/templates/template_text.hpp"
#include "commands/text_rules.hpp"

namespace debrief::commands {
namespace {

// Organization-wide templates are the admins'; a coach's templates are whoever may act for that coach.
std::optional<Error> may_keep(const Actor& actor, const UserId& owner_id, const UserState& owner) {
    if (actor.role == "client") return Error{ErrorKind::forbidden, "forbidden", "clients may not keep templates"};
    if (owner_id.empty()) {
        if (actor.role == "admin") return std::nullopt;
        return Error{ErrorKind::forbidden, "forbidden", "only admins keep organization-wide templates"};
    }
    return refusal_to_act_for_coach(actor, owner_id, owner);
}

std::optional<Error> check_content(std::string_view kind, std::string_view name, std::string_view subject, std::string_view body) {
    if (auto bad = check_name("name", name)) return bad;
    if (trim(body).empty()) return invalid("missing_field", "body must not be empty");
    if (body.size() > max_template_body_length) return invalid("field_too_long", "a template body is at most 20000 bytes");
    if (kind == "email") {
        if (trim(subject).empty()) return invalid("missing_field", "an e-mail template needs a subject");
        if (subject.size() > max_template_subject_length) return invalid("field_too_long", "a subject is at most 300 bytes");
        if (subject.find_first_of("\r\n") != std::string_view::npos) return invalid("invalid_field", "a subject is one line");
    } else if (!subject.empty()) {
        return invalid("invalid_field", "only e-mail templates have a subject");
    }
    auto problems = templates::check(subject, kind);
    auto body_problems = templates::check(body, kind);
    if (problems.empty() && body_problems.empty()) return std::nullopt;
    std::string detail = templates::describe(problems, "subject");
    if (!body_problems.empty()) detail += (detail.empty() ? "" : "; ") + templates::describe(body_problems, "body");
    return invalid("template_invalid", detail);
}

}  // namespace

Result<std::vector<events::Payload>> decide(const TemplateState& state, const CreateTemplate& command, const UserState& owner) {
    if (!templates::is_valid_kind(command.kind)) return invalid("invalid_template_kind", "kind must be one of summary, email, prompt");
    UserId owner_id = command.organization_wide ? UserId{} : (command.owner_id.empty() ? command.actor.user_id : command.owner_id);
    if (auto refused = may_keep(command.actor, owner_id, owner)) return *refused;
    if (state.exists) return conflict("template_exists", "a template with this id already exists");
    auto name = std::string(trim(command.name));
    auto subject = std::string(trim(command.subject));
    if (auto bad = check_content(command.kind, name, subject, command.body)) return *bad;
    return std::vector<events::Payload>{events::TemplateCreated{command.template_id, command.kind, name, subject, command.body, owner_id}};
}

Result<std::vector<events::Payload>> decide(const TemplateState& state, const ReviseTemplate& command, const UserState& owner) {
    if (!state.exists || !visible_to(command.actor, state.organization_id)) return not_found("template_not_found", "no such template");
    if (auto refused = may_keep(command.actor, state.owner_id, owner)) return *refused;
    if (!command.name && !command.subject && !command.body) return invalid("missing_field", "give at least one of name, subject, body");
    auto name = command.name ? std::string(trim(*command.name)) : state.name;
    auto subject = command.subject ? std::string(trim(*command.subject)) : state.subject;
    auto body = command.body.value_or(state.body);
    if (auto bad = check_content(state.kind, name, subject, body)) return *bad;
    if (name == state.name && subject == state.subject && body == state.body) return conflict("template_unchanged", "the revision changes nothing");
    return std::vector<events::Payload>{events::TemplateRevised{command.template_id, name, subject, body}};
}

void evolve(TemplateState& state, const events::TemplateCreated& created, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = m.organization_id;
    state.kind = created.kind;
    state.name = created.name;
    state.subject = created.subject;
    state.body = created.body;
    state.owner_id = created.owner_id;
}

void evolve(TemplateState& state, const events::TemplateRevised& revised, const events::Metadata&) {
    state.name = revised.name;
    state.subject = revised.subject;
    state.body = revised.body;
}

std::optional<TemplateState> system_template_state(std::string_view id, const OrganizationId& organization) {
    const auto* builtin = templates::system_default(id);
    if (!builtin) return std::nullopt;
    return TemplateState{true, 0, organization, std::string(builtin->kind), std::string(builtin->name), std::string(builtin->subject),
                         std::string(builtin->body), UserId{}};
}

}  // namespace debrief::commands
