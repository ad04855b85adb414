// The command side's current state of every aggregate, folded from the log with the deciders' evolve functions.
#pragma once

#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/action_item.hpp"
#include "commands/client.hpp"
#include "commands/follow_up.hpp"
#include "commands/metrics/metric_trends.hpp"
#include "commands/metrics_import.hpp"
#include "commands/note.hpp"
#include "commands/organization.hpp"
#include "commands/session.hpp"
#include "commands/summary.hpp"
#include "commands/template.hpp"
#include "events/codec.hpp"
#include "events/event.hpp"

namespace debrief::commands {

// What an accepted command produced: the ids it created by aggregate type, and the last event's log position.
struct Accepted {
    std::map<std::string, std::string, std::less<>> ids;
    events::Position position;
    bool replayed = false;  // true when an Idempotency-Key matched an earlier command
    std::string id(std::string_view aggregate_type) const {
        auto it = ids.find(aggregate_type);
        return it == ids.end() ? std::string{} : it->second;
    }
};

class WriteModel {
public:
    // Folds one event that is durable in the log. Safe to call from any thread.
    void apply(const events::Event& event, const events::Position& position);
    void apply(const events::Credential& credential);

    OrganizationState organization(const OrganizationId& id) const;
    UserState user(const UserId& id) const;
    SessionState session(const SessionId& id) const;
    ClientState client(const ClientId& id) const;
    SummaryState summary(const SummaryId& id) const;
    ActionItemState action_item(const ActionItemId& id) const;
    NoteState note(const NoteId& id) const;
    TemplateState message_template(const TemplateId& id) const;
    // A template by the id a request names: a system default ("system:email") or one the organization keeps;
    // an empty state when there is none.
    TemplateState template_named(const OrganizationId& organization, const std::string& id) const;
    FollowUpState follow_up(const FollowUpId& id) const;
    // The template a coach's follow-ups use when none is named: the coach's newest of the kind, else the
    // organization's newest, else the system default ("system:<kind>").
    std::string default_template(const OrganizationId& organization, const UserId& coach, std::string_view kind) const;
    // Follow-ups in the outbox whose time has come, and when the next one is due (none when the outbox is empty).
    struct OutboxEntry {
        OrganizationId organization_id;
        FollowUpId follow_up_id;
        int attempt = 0;  // the attempt this delivery is
        FollowUpState state;
    };
    std::vector<OutboxEntry> outbox_due(std::int64_t now_ms) const;
    std::optional<std::int64_t> next_outbox_time() const;
    MetricsImportState metrics_import(const MetricsImportId& id) const;
    // Every client of an organization with its state.
    std::vector<std::pair<ClientId, ClientState>> clients_in(const OrganizationId& organization) const;
    // A client's two latest committed values of each metric, by metric name.
    std::map<std::string, metrics::MetricHistory> metric_histories(const ClientId& client) const;
    // The coach's client with this name (client_name_key), if any.
    std::optional<ClientId> client_named(const UserId& coach, std::string_view name) const;
    // Every client of the coach, by client_name_key.
    std::map<std::string, ClientId> clients_of(const UserId& coach) const;
    // The version of the aggregate an event belongs to (0 when it does not exist yet).
    std::uint64_t version_of(const events::Payload& event) const;
    bool email_taken(std::string_view normalized_email) const;
    std::optional<events::Credential> credential_by_email(std::string_view normalized_email) const;
    // An earlier command's result and the fingerprint of its request, by Idempotency-Key; keys are scoped by the
    // actor who sent them (the empty actor for sign-up).
    struct IdempotentRecord {
        Accepted accepted;
        std::string request_hash;
    };
    std::optional<IdempotentRecord> idempotent_result(const UserId& actor, std::string_view key) const;
    // Sessions whose transcript was uploaded but whose parse was never appended (e.g. a crash in between).
    std::vector<std::pair<OrganizationId, SessionId>> sessions_awaiting_parse() const;
    std::size_t event_count() const;

private:
    static std::string idempotency_scope(const UserId& actor, std::string_view key);

    mutable std::shared_mutex mutex_;
    std::unordered_map<OrganizationId, OrganizationState> organizations_;
    std::unordered_map<UserId, UserState> users_;
    std::unordered_map<SessionId, SessionState> sessions_;
    std::unordered_map<ClientId, ClientState> clients_;
    std::unordered_map<SummaryId, SummaryState> summaries_;
    std::unordered_map<ActionItemId, ActionItemState> action_items_;
    std::unordered_map<NoteId, NoteState> notes_;
    std::unordered_map<TemplateId, TemplateState> templates_;
    std::unordered_map<OrganizationId, std::vector<TemplateId>> templates_by_organization_;  // in creation order
    std::unordered_map<FollowUpId, FollowUpState> follow_ups_;
    std::unordered_map<MetricsImportId, MetricsImportState> metrics_imports_;
    std::unordered_map<ClientId, std::map<std::string, metrics::MetricHistory>> client_metrics_;
    std::unordered_map<OrganizationId, std::vector<ClientId>> clients_by_organization_;
    std::unordered_map<UserId, std::map<std::string, ClientId>> clients_by_coach_;
    std::unordered_map<std::string, UserId> users_by_email_;
    // By user, not by e-mail: an orphan credential (its sign-up failed after storing it) must never shadow a live one.
    std::unordered_map<UserId, events::Credential> credentials_by_user_;
    std::unordered_map<std::string, IdempotentRecord> idempotent_results_;
    std::size_t event_count_ = 0;
};

}  // namespace debrief::commands
