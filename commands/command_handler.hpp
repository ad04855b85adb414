// The generic command loop: check the idempotency key, load state, decide, append durably, fold, answer.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "commands/actor.hpp"
#include "commands/client.hpp"
#include "commands/organization.hpp"
#include "commands/refinement/assistant.hpp"
#include "common/result.hpp"
#include "commands/session.hpp"
#include "commands/user_profile.hpp"
#include "commands/write_model.hpp"
#include "events/event_log.hpp"

namespace debrief::commands {

struct CommandContext {
    events::Cause cause;                          // actor, correlation id, idempotency key
    std::optional<std::uint64_t> expected_version;  // of the target aggregate; a mismatch is a 409
    bool continues_request = false;  // a follow-up step of an admitted request: same key, no replay check
};

struct SignUpInput {
    std::string organization_name;
    std::string name;
    std::string email;
    std::string password;
};

struct InviteUserInput {
    std::string name;
    std::string email;
    std::string role;
    std::string password;
    UserId lead_id;      // optional
    ClientId client_id;  // role client
};

struct RegisterClientInput {
    std::string name;
    std::string email;  // optional
    std::vector<std::string> tags;
    std::string team;
    std::optional<UserId> coach_id;  // default: the actor
};

struct CreateActionItemInput {
    ClientId client_id;
    std::string title;
    std::string owner_id;  // optional: the client
    std::string due_date;  // optional
};

struct CreateTemplateInput {
    std::string kind;
    std::string name;
    std::string subject;
    std::string body;
    bool organization_wide = false;
    UserId coach_id;  // optional: the coach it is for, default the actor
};

struct ReviseTemplateInput {
    std::optional<std::string> name;
    std::optional<std::string> subject;
    std::optional<std::string> body;
};

struct DraftFollowUpInput {
    SummaryId summary_id;
    std::string template_id;  // optional
    std::string recipient;    // optional: the client's e-mail
    std::optional<std::string> subject;
    std::optional<std::string> body;
};

// What the delivery adapter made of one attempt.
struct DeliveryOutcome {
    int attempt = 0;
    bool delivered = false;
    std::string channel;
    std::string error;
};

struct CreateSessionInput {
    std::optional<SessionId> session_id;  // a client may choose the id (a UUID) so that retries are natural
    std::string session_date;
    std::string session_type;
    std::string transcript_format;
    std::string transcript_text;
    std::vector<events::SpeakerClient> speaker_clients;  // "clients": {"<speaker>": "<client id>"}
    std::string coach_speaker;                           // optional
};


class CommandHandler {
public:
    using Clock = std::function<std::int64_t()>;                            // Unix epoch milliseconds
    using IdGenerator = std::function<std::string()>;                       // fresh UUIDs
    using PasswordHasher = std::function<std::string(std::string_view)>;    // Argon2id, outside the domain

    // Told of every summary the parse drafted, after it is durable (the automatic review queues it), with the
    // transcript excerpt the assistant gets: the write model keeps no transcript once it is parsed.
    using DraftListener = std::function<void(const OrganizationId&, const SummaryId&, const events::Cause&, const std::string& transcript_excerpt)>;
    // A parsed session's transcript text, from a read model; nullopt when it is not there (yet).
    using TranscriptSource = std::function<std::optional<std::string>(const OrganizationId&, const SessionId&)>;

    CommandHandler(WriteModel& model, events::EventLog& log, Clock clock, IdGenerator new_id, PasswordHasher hash_password);

    // Optional, set before the first command: the writing assistant asked first by refine_summary and review_draft.
    void set_assistant(refinement::Assistant* assistant, TranscriptSource transcripts) {
        assistant_ = assistant;
        transcripts_ = std::move(transcripts);
    }
    void set_draft_listener(DraftListener listener) { draft_listener_ = std::move(listener); }

    Result<Accepted> sign_up(const SignUpInput& input, const CommandContext& context);
    Result<Accepted> invite_user(const Actor& actor, const InviteUserInput& input, const CommandContext& context);
    Result<Accepted> register_client(const Actor& actor, const RegisterClientInput& input, const CommandContext& context);
    // Appends the session and its transcript, then parses it in the same request: the answer's position is the parse.
    Result<Accepted> create_session(const Actor& actor, const CreateSessionInput& input, const CommandContext& context);
    Result<Accepted> refine_summary(const Actor& actor, const SummaryId& summary, std::string message, const CommandContext& context);
    Result<Accepted> approve_summary(const Actor& actor, const SummaryId& summary, const CommandContext& context);
    Result<Accepted> reopen_summary(const Actor& actor, const SummaryId& summary, std::string reason, const CommandContext& context);
    Result<Accepted> create_action_item(const Actor& actor, const CreateActionItemInput& input, const CommandContext& context);
    Result<Accepted> change_action_item(const Actor& actor, const ActionItemId& item, ActionItemChangeKind kind, std::string value,
                                        const CommandContext& context);
    Result<Accepted> add_note(const Actor& actor, const ClientId& client, std::string text, const CommandContext& context);
    Result<Accepted> address_note(const Actor& actor, const NoteId& note, const SessionId& session, const CommandContext& context);
    Result<Accepted> change_role(const Actor& actor, const UserId& user, std::string role, const UserId& lead, const CommandContext& context);
    Result<Accepted> set_user_active(const Actor& actor, const UserId& user, bool active, std::string reason, const CommandContext& context);
    Result<Accepted> set_voice_profile(const Actor& actor, const SetVoiceProfile& command, const CommandContext& context);
    Result<Accepted> set_notification_preferences(const Actor& actor, const SetNotificationPreferences& command, const CommandContext& context);
    Result<Accepted> create_template(const Actor& actor, const CreateTemplateInput& input, const CommandContext& context);
    Result<Accepted> revise_template(const Actor& actor, const TemplateId& id, const ReviseTemplateInput& input, const CommandContext& context);
    Result<Accepted> draft_follow_up(const Actor& actor, const DraftFollowUpInput& input, const CommandContext& context);
    // send_at_ms: 0 sends at once.
    Result<Accepted> send_follow_up(const Actor& actor, const FollowUpId& id, std::int64_t send_at_ms, const CommandContext& context);
    // The outbox's record of a delivery attempt: sent, or failed and retried per policy.
    Result<Accepted> record_delivery(const OrganizationId& organization, const FollowUpId& id, const DeliveryOutcome& outcome,
                                     const RetryPolicy& policy);
    // The clients a metrics file of this actor may name: those the actor may manage.
    std::vector<metrics::Agent> metrics_agents(const Actor& actor) const;
    // file: already read and checked whole (metrics::read_metrics_file); decide checks roles and every named client.
    Result<Accepted> stage_metrics_import(const Actor& actor, metrics::MetricsFile file, std::string file_name, const CommandContext& context);
    Result<Accepted> commit_metrics_import(const Actor& actor, const MetricsImportId& import, const CommandContext& context);
    Result<Accepted> discard_metrics_import(const Actor& actor, const MetricsImportId& import, const CommandContext& context);
    Result<Accepted> parse_transcript(const OrganizationId& organization, const SessionId& session, const CommandContext& context);
    // Asks the assistant to review the analyser's draft and appends its proposal when it changes the draft. Errors:
    // the assistant's failure (nothing appended), refinement_no_change, summary_changed (the coach was quicker).
    Result<Accepted> review_draft(const OrganizationId& organization, const SummaryId& summary, std::string transcript_excerpt,
                                  const CommandContext& context);

private:
    using Decision = Result<std::vector<events::Payload>>;
    // Runs under the organization's lock: every aggregate of a tenant lives on one partition, so this is its order.
    Result<Accepted> execute(const OrganizationId& organization, const CommandContext& context,
                             const std::function<Decision()>& decide);
    // Stores a login credential, then runs the command that registers its user (sign-up, invite).
    Result<Accepted> register_login(const OrganizationId& organization, const UserId& user, std::string_view email, std::string_view password,
                                    const CommandContext& context, const std::function<Decision()>& decide);
    // What the assistant is told about a summary: its content, the transcript, who is who. Reads the write model only.
    refinement::AssistantRequest assistant_request(const SummaryState& summary, refinement::AssistantTask task, std::string message,
                                                   std::string transcript_excerpt) const;
    static Result<Accepted> replay(const WriteModel::IdempotentRecord& earlier, const CommandContext& context);
    std::mutex& lock_for(const OrganizationId& organization);

    WriteModel& model_;
    events::EventLog& log_;
    Clock clock_;
    IdGenerator new_id_;
    PasswordHasher hash_password_;
    refinement::Assistant* assistant_ = nullptr;
    TranscriptSource transcripts_;
    DraftListener draft_listener_;
    std::mutex login_mutex_;  // e-mail addresses are unique across organizations
    std::array<std::mutex, 64> organization_locks_;
};

}  // namespace debrief::commands
