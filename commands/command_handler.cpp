// Command handling: the one loop every command goes through, and the three commands of the first slice.
#include "commands/command_handler.hpp"

#include <algorithm>
#include <map>

#include "commands/templates/template_text.hpp"
#include "commands/authorization.hpp"

namespace debrief::commands {

CommandHandler::CommandHandler(WriteModel& model, events::EventLog& log, Clock clock, IdGenerator new_id, PasswordHasher hash_password)
    : model_(model), log_(log), clock_(std::move(clock)), new_id_(std::move(new_id)), hash_password_(std::move(hash_password)) {}

std::mutex& CommandHandler::lock_for(const OrganizationId& organization) {
    return organization_locks_[std::hash<OrganizationId>{}(organization) % organization_locks_.size()];
}

Result<Accepted> CommandHandler::replay(const WriteModel::IdempotentRecord& earlier, const CommandContext& context) {
    // The same key with another request is a client bug, not a retry: answering the first result would hide it.
    // Keys recorded before requests were fingerprinted carry no hash: they replay as before.
    if (!earlier.request_hash.empty() && earlier.request_hash != context.cause.request_hash)
        return invalid("idempotency_key_reused", "this Idempotency-Key was already used for a different request");
    return earlier.accepted;
}

Result<Accepted> CommandHandler::execute(const OrganizationId& organization, const CommandContext& context,
                                         const std::function<Decision()>& decide) {
    std::lock_guard lock(lock_for(organization));
    const auto& key = context.cause.idempotency_key;
    if (!key.empty() && !context.continues_request)
        if (auto earlier = model_.idempotent_result(context.cause.actor_id, key)) return replay(*earlier, context);

    auto decision = decide();
    if (!decision) return decision.error();
    auto& payloads = decision.value();
    if (payloads.empty()) return Error{ErrorKind::internal, "nothing_to_append", "the command produced no events"};

    // The first event names the target aggregate; its version is what the caller's expected version refers to.
    if (context.expected_version && *context.expected_version != model_.version_of(payloads.front()))
        return conflict("version_conflict", "expected version " + std::to_string(*context.expected_version) + " but the aggregate is at " +
                                                std::to_string(model_.version_of(payloads.front())));

    std::vector<events::Event> batch;
    batch.reserve(payloads.size());
    std::map<std::string, std::uint64_t> next_versions;
    Accepted accepted;
    const auto now_ms = clock_();
    for (auto& payload : payloads) {
        const auto& id = events::aggregate_id(payload);
        auto [it, inserted] = next_versions.try_emplace(id, 0);
        if (inserted) it->second = model_.version_of(payload);
        events::Metadata metadata{new_id_(), organization, id, ++it->second, now_ms, context.cause};
        accepted.ids.emplace(std::string(events::aggregate_type(payload)), id);
        batch.push_back({std::move(metadata), std::move(payload)});
    }

    auto appended = log_.append(batch);
    if (!appended) return appended.error();
    // Fold only what is durable.
    for (std::size_t i = 0; i < batch.size(); ++i) model_.apply(batch[i], appended.value()[i]);
    accepted.position = appended->back();
    return accepted;
}

Result<Accepted> CommandHandler::register_login(const OrganizationId& organization, const UserId& user, std::string_view email,
                                                std::string_view password, const CommandContext& context, const std::function<Decision()>& decide) {
    std::lock_guard login_lock(login_mutex_);
    if (!context.cause.idempotency_key.empty())
        if (auto earlier = model_.idempotent_result(context.cause.actor_id, context.cause.idempotency_key)) return replay(*earlier, context);
    // Validate before the (deliberately slow) password hash, and store the credential before the user exists:
    // a crash in between leaves an orphan credential that can never log in, never a user who cannot.
    auto check = decide();
    if (!check) return check.error();
    events::Credential credential{user, organization, normalize_email(email), hash_password_(password)};
    auto stored = log_.put_credential(credential);
    if (!stored) return stored.error();
    auto registered = execute(organization, context, decide);
    if (registered) model_.apply(credential);
    return registered;
}

Result<Accepted> CommandHandler::sign_up(const SignUpInput& input, const CommandContext& context) {
    SignUp command{OrganizationId{new_id_()}, UserId{new_id_()}, input.organization_name, input.name, input.email, input.password};
    return register_login(command.organization_id, command.user_id, input.email, input.password, context, [&]() -> Decision {
        return decide(model_.state(command.organization_id), command, model_.email_taken(normalize_email(input.email)));
    });
}

Result<Accepted> CommandHandler::invite_user(const Actor& actor, const InviteUserInput& input, const CommandContext& context) {
    InviteUser command{UserId{new_id_()}, actor, input.name, input.email, input.role, input.password, input.lead_id, input.client_id};
    return register_login(actor.organization_id, command.user_id, input.email, input.password, context, [&]() -> Decision {
        auto client = model_.state(command.client_id);
        InviteFacts facts{model_.email_taken(normalize_email(input.email)), model_.state(command.lead_id), client, model_.state(client.coach_id)};
        return decide(model_.state(command.user_id), command, facts);
    });
}

Result<Accepted> CommandHandler::register_client(const Actor& actor, const RegisterClientInput& input, const CommandContext& context) {
    RegisterClient command{ClientId{new_id_()}, actor, input.name, input.email, input.tags, input.team, input.coach_id.value_or(actor.user_id)};
    return execute(actor.organization_id, context, [&]() -> Decision {
        return decide(model_.state(command.client_id), command, model_.state(command.coach_id),
                      model_.client_named(command.coach_id, command.name).has_value());
    });
}

Result<Accepted> CommandHandler::create_session(const Actor& actor, const CreateSessionInput& input, const CommandContext& context) {
    CreateSession command{input.session_id.value_or(SessionId{new_id_()}), actor, input.session_date, input.session_type,
                          input.transcript_format, input.transcript_text, input.speaker_clients, input.coach_speaker};
    auto created = execute(actor.organization_id, context, [&]() -> Decision {
        auto existing = model_.state(command.session_id);
        if (existing.exists && existing.organization_id != actor.organization_id)
            return conflict("session_exists", "a session with this id already exists");
        std::map<ClientId, ClientState> mapped;
        for (const auto& m : command.speaker_clients) mapped[m.client_id] = model_.state(m.client_id);
        return decide(existing, command, mapped);
    });
    if (!created || created->replayed) return created;
    CommandContext parse_context{context.cause, std::nullopt, true};
    auto parsed = parse_transcript(actor.organization_id, command.session_id, parse_context);
    // The session is durable either way; a failed parse is retried at the next start (sessions_awaiting_parse).
    if (parsed) created->position = parsed->position;
    return created;
}

refinement::AssistantRequest CommandHandler::assistant_request(const SummaryState& summary, refinement::AssistantTask task,
                                                              std::string message, std::string transcript_excerpt) const {
    auto session = model_.state(summary.session_id);
    auto client = model_.state(summary.client_id);
    auto coach = model_.state(summary.coach_id);
    // A prompt template the coach or the organization keeps (not the built-in one, which says nothing the request
    // does not) and the coach's voice profile become standing instructions.
    std::string instructions;
    auto prompt_id = model_.default_template(summary.organization_id, summary.coach_id, "prompt");
    if (!prompt_id.starts_with(templates::system_prefix)) {
        auto values = template_values(summary.content, session, client, coach, model_.state(summary.organization_id).name);
        values["transcript"] = transcript_excerpt;
        values["message"] = message;
        instructions = templates::render(model_.state(TemplateId{prompt_id}).body, values);
    }
    instructions += voice_instructions(coach);
    return {task,
            std::move(message),
            summary.content,
            std::move(transcript_excerpt),
            session.session_date,
            session.session_type,
            client.name,
            coach.name,
            summary.client_id,
            summary.coach_id,
            std::move(instructions)};
}

Result<Accepted> CommandHandler::refine_summary(const Actor& actor, const SummaryId& summary, std::string message, const CommandContext& context) {
    // The assistant is slow and fallible: it is asked here, outside the organization's lock, and only for a request
    // that could be accepted now and is no retry of an earlier one. Its answer reaches decide as a fact.
    std::optional<AssistantAnswer> answer;
    if (assistant_) {
        auto state = model_.state(summary);
        const auto& key = context.cause.idempotency_key;
        bool retry = !key.empty() && model_.idempotent_result(context.cause.actor_id, key).has_value();
        if (!retry && !refusal_to_refine(state, actor, model_.state(state.coach_id), message)) {
            auto transcript = transcripts_ ? transcripts_(actor.organization_id, state.session_id) : std::nullopt;
            auto excerpt = transcript ? refinement::transcript_excerpt(*transcript) : std::string("(the transcript is not available)");
            auto proposal = assistant_->propose(assistant_request(state, refinement::AssistantTask::refine, message, std::move(excerpt)));
            answer = AssistantAnswer{proposal ? std::optional(std::move(proposal).value()) : std::nullopt, state.version};
        }
    }
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model_.state(summary);
        RefineSummary command{summary, actor, message, model_.state(state.session_id).session_date, answer};
        return decide(state, command, model_.state(state.coach_id));
    });
}

Result<Accepted> CommandHandler::review_draft(const OrganizationId& organization, const SummaryId& summary, std::string transcript_excerpt,
                                              const CommandContext& context) {
    if (!assistant_) return Error{ErrorKind::unavailable, "assistant_not_configured", "no writing assistant is configured"};
    auto state = model_.state(summary);
    if (!state.exists || state.organization_id != organization) return not_found("summary_not_found", "no such summary");
    auto proposal = assistant_->propose(assistant_request(state, refinement::AssistantTask::review, {}, std::move(transcript_excerpt)));
    if (!proposal) return proposal.error();
    return execute(organization, context, [&]() -> Decision {
        return decide(model_.state(summary), ReviewDraft{summary, proposal.value(), state.version});
    });
}

Result<Accepted> CommandHandler::approve_summary(const Actor& actor, const SummaryId& summary, const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model_.state(summary);
        ApproveSummary command{summary, actor, {}};
        for (std::size_t i = 0; i < state.content.action_items.size(); ++i) command.spare_ids.push_back(ActionItemId{new_id_()});
        return decide(state, command, model_.state(state.coach_id));
    });
}

Result<Accepted> CommandHandler::reopen_summary(const Actor& actor, const SummaryId& summary, std::string reason, const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model_.state(summary);
        return decide(state, ReopenSummary{summary, actor, reason}, model_.state(state.coach_id));
    });
}

Result<Accepted> CommandHandler::create_action_item(const Actor& actor, const CreateActionItemInput& input, const CommandContext& context) {
    CreateActionItem command{ActionItemId{new_id_()}, actor, input.client_id, input.title, input.owner_id, input.due_date};
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto client = model_.state(command.client_id);
        return decide(model_.state(command.action_item_id), command, client, model_.state(client.coach_id), model_.state(UserId{command.owner_id}));
    });
}

Result<Accepted> CommandHandler::change_action_item(const Actor& actor, const ActionItemId& item, ActionItemChangeKind kind, std::string value,
                                                   const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model_.state(item);
        ChangeActionItem command{item, actor, kind, value, model_.state(actor.user_id).client_id};
        return decide(state, command, model_.state(state.coach_id), model_.state(UserId{value}));
    });
}

Result<Accepted> CommandHandler::add_note(const Actor& actor, const ClientId& client, std::string text, const CommandContext& context) {
    AddNote command{NoteId{new_id_()}, actor, client, std::move(text)};
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto client_state = model_.state(client);
        return decide(model_.state(command.note_id), command, client_state, model_.state(client_state.coach_id));
    });
}

Result<Accepted> CommandHandler::address_note(const Actor& actor, const NoteId& note, const SessionId& session, const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model_.state(note);
        auto session_state = model_.state(session);
        bool took_part = std::find(session_state.client_ids.begin(), session_state.client_ids.end(), state.client_id) != session_state.client_ids.end();
        return decide(state, AddressNote{note, actor, session}, model_.state(state.coach_id), session_state, took_part);
    });
}

Result<Accepted> CommandHandler::change_role(const Actor& actor, const UserId& user, std::string role, const UserId& lead,
                                             const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        return decide(model_.state(user), ChangeRole{user, actor, role, lead}, model_.state(lead));
    });
}

Result<Accepted> CommandHandler::set_user_active(const Actor& actor, const UserId& user, bool active, std::string reason, const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision { return decide(model_.state(user), SetUserActive{user, actor, active, reason}); });
}

Result<Accepted> CommandHandler::set_voice_profile(const Actor& actor, const SetVoiceProfile& command, const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision { return decide(model_.state(command.user_id), command); });
}

Result<Accepted> CommandHandler::set_notification_preferences(const Actor& actor, const SetNotificationPreferences& command,
                                                              const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision { return decide(model_.state(command.user_id), command); });
}

Result<Accepted> CommandHandler::create_template(const Actor& actor, const CreateTemplateInput& input, const CommandContext& context) {
    CreateTemplate command{TemplateId{new_id_()}, actor, input.kind, input.name, input.subject, input.body, input.organization_wide, input.coach_id};
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto owner = input.organization_wide ? UserId{} : (input.coach_id.empty() ? actor.user_id : input.coach_id);
        return decide(model_.state(command.template_id), command, model_.state(owner));
    });
}

Result<Accepted> CommandHandler::revise_template(const Actor& actor, const TemplateId& id, const ReviseTemplateInput& input,
                                                 const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model_.state(id);
        return decide(state, ReviseTemplate{id, actor, input.name, input.subject, input.body}, model_.state(state.owner_id));
    });
}

Result<Accepted> CommandHandler::draft_follow_up(const Actor& actor, const DraftFollowUpInput& input, const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto summary = model_.state(input.summary_id);
        auto template_id = input.template_id.empty() ? model_.default_template(actor.organization_id, summary.coach_id, "email") : input.template_id;
        auto chosen = model_.template_named(actor.organization_id, template_id);
        auto organization_name = model_.state(actor.organization_id).name;
        auto session = model_.state(summary.session_id);
        auto client = model_.state(summary.client_id);
        auto coach = model_.state(summary.coach_id);
        DraftFollowUp command{FollowUpId{new_id_()}, actor, input.summary_id, template_id, input.recipient, input.subject, input.body};
        return decide(model_.state(command.follow_up_id), command, FollowUpFacts{summary, session, client, coach, organization_name, chosen});
    });
}

Result<Accepted> CommandHandler::send_follow_up(const Actor& actor, const FollowUpId& id, std::int64_t send_at_ms, const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model_.state(id);
        return decide(state, SendFollowUp{id, actor, clock_(), send_at_ms}, model_.state(state.coach_id));
    });
}

Result<Accepted> CommandHandler::record_delivery(const OrganizationId& organization, const FollowUpId& id, const DeliveryOutcome& outcome,
                                                 const RetryPolicy& policy) {
    CommandContext context;
    context.cause.correlation_id = id.value;  // a system action: no actor; the follow-up names the chain
    return execute(organization, context, [&]() -> Decision {
        RecordDelivery command{id, outcome.attempt, outcome.delivered, outcome.channel, outcome.error, clock_(), policy};
        return decide(model_.state(id), command);
    });
}

std::vector<metrics::Agent> CommandHandler::metrics_agents(const Actor& actor) const {
    std::vector<metrics::Agent> agents;
    if (refusal_to_import_metrics(actor)) return agents;
    for (const auto& [id, client] : model_.clients_in(actor.organization_id))
        if (!refusal_to_manage_client(actor, client.coach_id, model_.state(client.coach_id))) agents.push_back({id, client.name, client.email});
    return agents;
}

Result<Accepted> CommandHandler::stage_metrics_import(const Actor& actor, metrics::MetricsFile file, std::string file_name,
                                                      const CommandContext& context) {
    StageMetricsImport command{MetricsImportId{new_id_()}, actor, std::move(file_name), std::move(file)};
    return execute(actor.organization_id, context, [&]() -> Decision {
        std::map<ClientId, NamedClient> named;
        for (const auto& row : command.file.rows)
            if (!named.contains(row.client_id)) {
                auto client = model_.state(row.client_id);
                named.emplace(row.client_id, NamedClient{client, model_.state(client.coach_id)});
            }
        return decide(model_.state(command.import_id), command, named);
    });
}

Result<Accepted> CommandHandler::commit_metrics_import(const Actor& actor, const MetricsImportId& import, const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model_.state(import);
        return decide(state, CommitMetricsImport{import, actor}, model_.state(state.importer_id));
    });
}

Result<Accepted> CommandHandler::discard_metrics_import(const Actor& actor, const MetricsImportId& import, const CommandContext& context) {
    return execute(actor.organization_id, context, [&]() -> Decision {
        auto state = model_.state(import);
        return decide(state, DiscardMetricsImport{import, actor}, model_.state(state.importer_id));
    });
}

Result<Accepted> CommandHandler::parse_transcript(const OrganizationId& organization, const SessionId& session, const CommandContext& context) {
    std::vector<SummaryId> drafted;
    std::string excerpt;
    auto parsed = execute(organization, context, [&]() -> Decision {
        auto state = model_.state(session);
        if (draft_listener_) excerpt = refinement::transcript_excerpt(state.transcript_text);
        if (state.exists && state.organization_id != organization) return not_found("session_not_found", "no such session");
        ParseTranscript command{session, model_.state(state.coach_id).name, model_.clients_of(state.coach_id), {}, {}, {}};
        for (const auto& [key, client] : command.coach_clients)
            if (auto drops = metrics::drops_of(model_.metric_histories(client)); !drops.empty()) command.metric_drops[client] = std::move(drops);
        command.spare_ids.reserve(max_speakers_per_session);
        for (std::size_t i = 0; i < max_speakers_per_session; ++i) {
            command.spare_ids.push_back(ClientId{new_id_()});
            command.spare_summary_ids.push_back(SummaryId{new_id_()});
        }
        auto decision = decide(state, command);
        if (decision)
            for (const auto& event : decision.value())
                if (const auto* draft = std::get_if<events::SummaryDrafted>(&event)) drafted.push_back(draft->summary_id);
        return decision;
    });
    if (parsed && !parsed->replayed && draft_listener_)
        for (const auto& id : drafted) draft_listener_(organization, id, context.cause, excerpt);
    return parsed;
}

}  // namespace debrief::commands
