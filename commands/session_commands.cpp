#include "commands/session_commands.hpp"

#include <map>

#include "commands/metrics/metric_trends.hpp"
#include "commands/session.hpp"
#include "common/json_log.hpp"

namespace debrief::commands {
using Decision = CommandHandler::Decision;

namespace {

// A session that can never be parsed says so (status failed, with the refusal) instead of waiting for a parse that
// every start would try again.
void record_processing_failure(CommandHandler& handler, const OrganizationId& organization, const SessionId& session,
                               const CommandContext& context, const Error& refusal) {
    CommandContext same_request{context.cause, std::nullopt, true};
    auto recorded = handler.execute(organization, same_request, [&]() -> Decision {
        return decide(handler.model().state(session), FailProcessing{session, "parse", refusal});
    });
    log_error("session_processing_failed", {{"organization_id", organization.value},
                                            {"session_id", session.value},
                                            {"stage", "parse"},
                                            {"code", refusal.code},
                                            {"recorded", recorded ? "true" : recorded.error().code}});
}

}  // namespace

Result<Accepted> create_session(CommandHandler& handler, const Actor& actor, const CreateSessionInput& input, const CommandContext& context) {
    const auto& model = handler.model();
    CreateSession command{input.session_id.value_or(SessionId{handler.new_id()}), actor, input.session_date, input.session_type,
                          input.transcript_format, input.transcript_text, input.speaker_clients, input.coach_speaker};
    auto created = handler.execute(actor.organization_id, context, [&]() -> Decision {
        auto existing = model.state(command.session_id);
        if (existing.exists && existing.organization_id != actor.organization_id)
            return conflict("session_exists", "a session with this id already exists");
        std::map<ClientId, ClientState> mapped;
        for (const auto& m : command.speaker_clients) mapped[m.client_id] = model.state(m.client_id);
        return decide(existing, command, mapped);
    });
    if (!created || created->replayed) return created;
    CommandContext parse_context{context.cause, std::nullopt, true};
    auto parsed = parse_transcript(handler, actor.organization_id, command.session_id, parse_context);
    // The session is durable either way: a parse that failed for want of Kafka is retried at the next start
    // (sessions_awaiting_parse); one refused for good is recorded as failed by parse_transcript.
    if (parsed) created->position = parsed->position;
    return created;
}

Result<Accepted> parse_transcript(CommandHandler& handler, const OrganizationId& organization, const SessionId& session,
                                  const CommandContext& context) {
    const auto& model = handler.model();
    const auto& draft_listener = handler.draft_listener();
    std::vector<SummaryId> drafted;
    std::string excerpt;
    auto parsed = handler.execute(organization, context, [&]() -> Decision {
        auto state = model.state(session);
        if (draft_listener) excerpt = refinement::transcript_excerpt(state.transcript_text);
        if (state.exists && state.organization_id != organization) return not_found("session_not_found", "no such session");
        ParseTranscript command{session, model.state(state.coach_id).name, model.clients_of(state.coach_id), {}, {}, {}};
        for (const auto& [key, client] : command.coach_clients)
            if (auto drops = metrics::drops_of(model.metric_histories(client)); !drops.empty()) command.metric_drops[client] = std::move(drops);
        command.spare_ids.reserve(max_speakers_per_session);
        for (std::size_t i = 0; i < max_speakers_per_session; ++i) {
            command.spare_ids.push_back(ClientId{handler.new_id()});
            command.spare_summary_ids.push_back(SummaryId{handler.new_id()});
        }
        auto decision = decide(state, command);
        if (decision)
            for (const auto& event : decision.value())
                if (const auto* draft = std::get_if<events::SummaryDrafted>(&event)) drafted.push_back(draft->summary_id);
        return decision;
    });
    if (parsed && !parsed->replayed && draft_listener)
        for (const auto& id : drafted) draft_listener(organization, id, context.cause, excerpt);
    if (!parsed && fails_for_good(parsed.error())) record_processing_failure(handler, organization, session, context, parsed.error());
    return parsed;
}

}  // namespace debrief::commands
