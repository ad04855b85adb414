// Follow-up decisions: drafting from a template, scheduling into the outbox, and recording delivery attempts.
#include "commands/follow_up.hpp"

#include <algorithm>
#include <optional>

#include "commands/authorization.hpp"
#include "commands/organization.hpp"
#include "commands/templates/template_text.hpp"
#include "commands/text_rules.hpp"
#include "commands/user_profile.hpp"

namespace debrief::commands {

std::string_view to_string(FollowUpStatus status) {
    switch (status) {
        case FollowUpStatus::draft: return "draft";
        case FollowUpStatus::scheduled: return "scheduled";
        case FollowUpStatus::sent: return "sent";
        case FollowUpStatus::failed: return "failed";
        case FollowUpStatus::none: break;
    }
    return "none";
}

std::int64_t RetryPolicy::delay_after(int attempt) const {
    std::int64_t delay = base_delay_ms;
    for (int i = 1; i < attempt && delay < max_delay_ms; ++i) delay *= 2;
    return std::min(delay, max_delay_ms);
}

namespace {

std::string bullets(const std::vector<std::string>& lines) {
    if (lines.empty()) return "- (none)";
    std::string out;
    for (const auto& line : lines) out += (out.empty() ? "- " : "\n- ") + line;
    return out;
}

std::string first_name(std::string_view name) {
    name = trim(name);
    auto space = name.find(' ');
    return std::string(space == std::string_view::npos ? name : name.substr(0, space));
}

std::optional<Error> check_access(const FollowUpState& state, const Actor& actor, const UserState& coach) {
    if (!state.exists || !visible_to(actor, state.organization_id)) return not_found("follow_up_not_found", "no such follow-up");
    if (actor.role == "client") return Error{ErrorKind::forbidden, "forbidden", "clients may not send follow-ups"};
    return refusal_to_act_for_coach(actor, state.coach_id, coach);
}

}  // namespace

std::map<std::string, std::string> template_values(const events::SummaryContent& content, const SessionState& session, const ClientState& client,
                                                   const UserState& coach, const std::string& organization_name) {
    std::vector<std::string> items;
    for (const auto& item : content.action_items) items.push_back(item.due_date.empty() ? item.title : item.title + " (by " + item.due_date + ")");
    std::string type = session.session_type;
    std::replace(type.begin(), type.end(), '_', ' ');
    return {{"client_name", client.name},
            {"client_first_name", first_name(client.name)},
            {"coach_name", coach.name},
            {"organization_name", organization_name},
            {"session_date", session.session_date},
            {"session_type", type},
            {"wins", bullets(content.wins)},
            {"challenges", bullets(content.challenges)},
            {"action_items", bullets(items)},
            {"coach_recommendations", bullets(content.coach_recommendations)},
            {"sign_off", sign_off_of(coach)}};
}

namespace {
// A template may render a summary's text when it is of the summary's organization, of the kind the use needs,
// and organization-wide or the summary's coach's own.
std::optional<Error> check_template_use(const TemplateState& chosen, std::string_view kind, const SummaryState& summary, std::string_view use) {
    if (!chosen.exists || chosen.organization_id != summary.organization_id) return not_found("template_not_found", "no such template");
    if (chosen.kind != kind)
        return invalid("template_kind", std::string(use) + " needs a template of kind '" + std::string(kind) + "', not '" + chosen.kind + "'");
    if (!chosen.owner_id.empty() && chosen.owner_id != summary.coach_id)
        return Error{ErrorKind::forbidden, "forbidden", "that template belongs to another coach"};
    return std::nullopt;
}
}  // namespace

Result<std::string> render_summary(const TemplateState& chosen, const SummaryState& summary, const SessionState& session, const ClientState& client,
                                   const UserState& coach, const std::string& organization_name) {
    if (auto refused = check_template_use(chosen, "summary", summary, "a summary document")) return *refused;
    return templates::render(chosen.body, template_values(summary.content, session, client, coach, organization_name));
}

std::string message_id_of(const FollowUpId& id) { return "<" + id.value + "@debrief.follow-up>"; }

Result<std::vector<events::Payload>> decide(const FollowUpState& state, const DraftFollowUp& command, const FollowUpFacts& facts) {
    const auto& summary = facts.summary;
    if (!summary.exists || !visible_to(command.actor, summary.organization_id)) return not_found("summary_not_found", "no such summary");
    if (command.actor.role == "client") return Error{ErrorKind::forbidden, "forbidden", "clients may not draft follow-ups"};
    if (auto refused = refusal_to_act_for_coach(command.actor, summary.coach_id, facts.coach)) return *refused;
    if (summary.status != SummaryStatus::approved)
        return conflict("summary_not_approved", "a follow-up is drafted from an approved summary; approve it first");
    if (state.exists) return conflict("follow_up_exists", "a follow-up with this id already exists");
    const auto& chosen = facts.chosen_template;
    if (auto refused = check_template_use(chosen, "email", summary, "a follow-up")) return *refused;

    auto recipient = std::string(trim(command.recipient.empty() ? facts.client.email : command.recipient));
    if (recipient.empty()) return invalid("recipient_missing", "the client has no e-mail address; give 'to'");
    if (!looks_like_email(recipient) || recipient.find_first_of("\r\n<>,;") != std::string::npos)
        return invalid("invalid_recipient", "'" + recipient + "' is not an e-mail address");

    auto values = template_values(summary.content, facts.session, facts.client, facts.coach, facts.organization_name);
    auto subject = command.subject ? std::string(trim(*command.subject)) : templates::render(chosen.subject, values);
    auto body = command.body ? *command.body : templates::render(chosen.body, values);
    if (subject.empty()) return invalid("missing_field", "subject must not be empty");
    if (subject.size() > max_template_subject_length || subject.find_first_of("\r\n") != std::string::npos)
        return invalid("invalid_field", "subject must be one line of at most 300 bytes");
    if (trim(body).empty()) return invalid("missing_field", "body must not be empty");
    if (body.size() > max_follow_up_body_length) return invalid("field_too_long", "a follow-up body is at most 50000 bytes");
    if (auto bad = check_text("subject", subject, TextKind::line)) return *bad;
    if (auto bad = check_text("body", body, TextKind::multiline)) return *bad;
    return std::vector<events::Payload>{events::FollowUpDrafted{command.follow_up_id, command.summary_id, summary.session_id, summary.client_id,
                                                                summary.coach_id, command.template_id, recipient, subject, body}};
}

Result<std::vector<events::Payload>> decide(const FollowUpState& state, const SendFollowUp& command, const UserState& coach) {
    if (auto refused = check_access(state, command.actor, coach)) return *refused;
    if (state.status == FollowUpStatus::scheduled) return conflict("follow_up_scheduled", "the follow-up is already in the outbox");
    if (state.status == FollowUpStatus::sent) return conflict("follow_up_sent", "the follow-up was already sent");
    if (command.send_at_ms > command.now_ms + max_schedule_ahead_ms) return invalid("invalid_send_at", "send_at must be within a year");
    return std::vector<events::Payload>{events::FollowUpScheduled{command.follow_up_id, std::max(command.send_at_ms, command.now_ms)}};
}

Result<std::vector<events::Payload>> decide(const FollowUpState& state, const RecordDelivery& command) {
    if (!state.exists) return not_found("follow_up_not_found", "no such follow-up");
    if (state.status != FollowUpStatus::scheduled || command.attempt != state.attempts + 1)
        return conflict("delivery_stale", "the follow-up is not waiting for this delivery attempt");
    if (command.delivered)
        return std::vector<events::Payload>{events::FollowUpSent{command.follow_up_id, command.attempt, command.channel, message_id_of(command.follow_up_id)}};
    bool gave_up = command.attempt >= command.policy.max_attempts;
    auto retry_at = gave_up ? 0 : command.now_ms + command.policy.delay_after(command.attempt);
    auto error = command.error.substr(0, 1000);
    return std::vector<events::Payload>{events::FollowUpDeliveryFailed{command.follow_up_id, command.attempt, error, retry_at, gave_up, state.client_id}};
}

void evolve(FollowUpState& state, const events::FollowUpDrafted& e, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = m.organization_id;
    state.summary_id = e.summary_id;
    state.client_id = e.client_id;
    state.coach_id = e.coach_id;
    state.recipient = e.recipient;
    state.subject = e.subject;
    state.body = e.body;
    state.status = FollowUpStatus::draft;
}

void evolve(FollowUpState& state, const events::FollowUpScheduled& e, const events::Metadata&) {
    state.status = FollowUpStatus::scheduled;
    state.next_attempt_ms = e.send_at_ms;
    state.attempts = 0;
}

void evolve(FollowUpState& state, const events::FollowUpSent& e, const events::Metadata&) {
    state.status = FollowUpStatus::sent;
    state.attempts = e.attempt;
}

void evolve(FollowUpState& state, const events::FollowUpDeliveryFailed& e, const events::Metadata&) {
    state.attempts = e.attempt;
    state.last_error = e.error;
    if (e.gave_up) state.status = FollowUpStatus::failed;
    else state.next_attempt_ms = e.retry_at_ms;
}

}  // namespace debrief::commands
