// Folding events into the command side's state; one place, used both when catching up and after each append.
#include "commands/write_model.hpp"

#include <algorithm>
#include <mutex>

namespace debrief::commands {

std::string WriteModel::idempotency_scope(const UserId& actor, std::string_view key) {
    std::string scope = actor.value;
    scope += '\n';
    scope += key;
    return scope;
}

void WriteModel::apply(const events::Event& event, const events::Position& position) {
    std::unique_lock lock(mutex_);
    const auto& org = event.metadata.organization_id;
    const auto& payload = event.payload;
    auto type = events::aggregate_type(payload);
    const auto& id = events::aggregate_id(payload);
    if (type == "organization") {
        auto& state = organizations_[OrganizationId{id}];
        state = evolve(std::move(state), payload);
    } else if (type == "user") {
        auto& state = users_[UserId{id}];
        state = evolve(std::move(state), payload, org);
        if (const auto* registered = std::get_if<events::UserRegistered>(&payload)) users_by_email_[registered->email] = UserId{id};
    } else if (type == "client") {
        auto& state = clients_[ClientId{id}];
        state = evolve(std::move(state), payload, org);
        if (const auto* registered = std::get_if<events::ClientRegistered>(&payload)) {
            clients_by_coach_[registered->coach_id][client_name_key(registered->name)] = ClientId{id};
            clients_by_organization_[org].push_back(ClientId{id});
        }
    } else if (type == "template") {
        auto& state = templates_[TemplateId{id}];
        state = evolve(std::move(state), payload, org);
        if (std::holds_alternative<events::TemplateCreated>(payload)) templates_by_organization_[org].push_back(TemplateId{id});
    } else if (type == "follow_up") {
        auto& state = follow_ups_[FollowUpId{id}];
        state = evolve(std::move(state), payload, org);
    } else if (type == "metrics_import") {
        auto& state = metrics_imports_[MetricsImportId{id}];
        // A commit makes the staged rows the clients' metrics; evolve then lets go of them.
        if (std::holds_alternative<events::MetricsImportCommitted>(payload) && state.status == MetricsImportStatus::staged)
            for (const auto& row : state.rows) {
                auto& histories = client_metrics_[row.client_id];
                for (const auto& value : row.values) {
                    auto it = histories.find(value.metric);
                    auto folded = metrics::fold(it == histories.end() ? std::nullopt : std::optional(it->second), {row.date, value.value});
                    histories.insert_or_assign(value.metric, std::move(folded));
                }
            }
        state = evolve(std::move(state), payload, org);
    } else if (type == "note") {
        auto& state = notes_[NoteId{id}];
        state = evolve(std::move(state), payload, org);
    } else if (type == "action_item") {
        auto& state = action_items_[ActionItemId{id}];
        state = evolve(std::move(state), payload, org);
    } else if (type == "summary") {
        auto& state = summaries_[SummaryId{id}];
        state = evolve(std::move(state), payload, org);
    } else if (type == "session") {
        auto& state = sessions_[SessionId{id}];
        state = evolve(std::move(state), payload, org);
    }
    if (!event.metadata.cause.idempotency_key.empty()) {
        auto& record = idempotent_results_[idempotency_scope(event.metadata.cause.actor_id, event.metadata.cause.idempotency_key)];
        record.accepted.ids.emplace(std::string(type), id);
        record.accepted.position = std::max(record.accepted.position, position);
        record.accepted.replayed = true;
        record.request_hash = event.metadata.cause.request_hash;
    }
    ++event_count_;
}

void WriteModel::apply(const events::Credential& credential) {
    std::unique_lock lock(mutex_);
    credentials_by_user_[credential.user_id] = credential;
}

OrganizationState WriteModel::organization(const OrganizationId& id) const {
    std::shared_lock lock(mutex_);
    auto it = organizations_.find(id);
    return it == organizations_.end() ? OrganizationState{} : it->second;
}

UserState WriteModel::user(const UserId& id) const {
    std::shared_lock lock(mutex_);
    auto it = users_.find(id);
    return it == users_.end() ? UserState{} : it->second;
}

SessionState WriteModel::session(const SessionId& id) const {
    std::shared_lock lock(mutex_);
    auto it = sessions_.find(id);
    return it == sessions_.end() ? SessionState{} : it->second;
}

ClientState WriteModel::client(const ClientId& id) const {
    std::shared_lock lock(mutex_);
    auto it = clients_.find(id);
    return it == clients_.end() ? ClientState{} : it->second;
}

NoteState WriteModel::note(const NoteId& id) const {
    std::shared_lock lock(mutex_);
    auto it = notes_.find(id);
    return it == notes_.end() ? NoteState{} : it->second;
}

TemplateState WriteModel::message_template(const TemplateId& id) const {
    std::shared_lock lock(mutex_);
    auto it = templates_.find(id);
    return it == templates_.end() ? TemplateState{} : it->second;
}

TemplateState WriteModel::template_named(const OrganizationId& organization, const std::string& id) const {
    if (auto builtin = system_template_state(id, organization)) return *builtin;
    return message_template(TemplateId{id});
}

FollowUpState WriteModel::follow_up(const FollowUpId& id) const {
    std::shared_lock lock(mutex_);
    auto it = follow_ups_.find(id);
    return it == follow_ups_.end() ? FollowUpState{} : it->second;
}

std::string WriteModel::default_template(const OrganizationId& organization, const UserId& coach, std::string_view kind) const {
    std::shared_lock lock(mutex_);
    std::string organization_wide;
    if (auto list = templates_by_organization_.find(organization); list != templates_by_organization_.end()) {
        for (auto it = list->second.rbegin(); it != list->second.rend(); ++it) {
            const auto& state = templates_.at(*it);
            if (state.kind != kind) continue;
            if (state.owner_id == coach) return it->value;
            if (state.owner_id.empty() && organization_wide.empty()) organization_wide = it->value;
        }
    }
    return organization_wide.empty() ? "system:" + std::string(kind) : organization_wide;
}

std::vector<WriteModel::OutboxEntry> WriteModel::outbox_due(std::int64_t now_ms) const {
    std::shared_lock lock(mutex_);
    std::vector<OutboxEntry> due;
    for (const auto& [id, state] : follow_ups_)
        if (state.status == FollowUpStatus::scheduled && state.next_attempt_ms <= now_ms)
            due.push_back({state.organization_id, id, state.attempts + 1, state});
    std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.state.next_attempt_ms < b.state.next_attempt_ms; });
    return due;
}

std::optional<std::int64_t> WriteModel::next_outbox_time() const {
    std::shared_lock lock(mutex_);
    std::optional<std::int64_t> next;
    for (const auto& [id, state] : follow_ups_)
        if (state.status == FollowUpStatus::scheduled && (!next || state.next_attempt_ms < *next)) next = state.next_attempt_ms;
    return next;
}

MetricsImportState WriteModel::metrics_import(const MetricsImportId& id) const {
    std::shared_lock lock(mutex_);
    auto it = metrics_imports_.find(id);
    return it == metrics_imports_.end() ? MetricsImportState{} : it->second;
}

std::vector<std::pair<ClientId, ClientState>> WriteModel::clients_in(const OrganizationId& organization) const {
    std::shared_lock lock(mutex_);
    std::vector<std::pair<ClientId, ClientState>> out;
    if (auto it = clients_by_organization_.find(organization); it != clients_by_organization_.end())
        for (const auto& id : it->second)
            if (auto client = clients_.find(id); client != clients_.end()) out.emplace_back(id, client->second);
    return out;
}

std::map<std::string, metrics::MetricHistory> WriteModel::metric_histories(const ClientId& client) const {
    std::shared_lock lock(mutex_);
    auto it = client_metrics_.find(client);
    return it == client_metrics_.end() ? std::map<std::string, metrics::MetricHistory>{} : it->second;
}

ActionItemState WriteModel::action_item(const ActionItemId& id) const {
    std::shared_lock lock(mutex_);
    auto it = action_items_.find(id);
    return it == action_items_.end() ? ActionItemState{} : it->second;
}

SummaryState WriteModel::summary(const SummaryId& id) const {
    std::shared_lock lock(mutex_);
    auto it = summaries_.find(id);
    return it == summaries_.end() ? SummaryState{} : it->second;
}

std::optional<ClientId> WriteModel::client_named(const UserId& coach, std::string_view name) const {
    std::shared_lock lock(mutex_);
    auto coach_clients = clients_by_coach_.find(coach);
    if (coach_clients == clients_by_coach_.end()) return std::nullopt;
    auto it = coach_clients->second.find(client_name_key(name));
    if (it == coach_clients->second.end()) return std::nullopt;
    return it->second;
}

std::map<std::string, ClientId> WriteModel::clients_of(const UserId& coach) const {
    std::shared_lock lock(mutex_);
    auto it = clients_by_coach_.find(coach);
    return it == clients_by_coach_.end() ? std::map<std::string, ClientId>{} : it->second;
}

std::uint64_t WriteModel::version_of(const events::Payload& event) const {
    auto type = events::aggregate_type(event);
    const auto& id = events::aggregate_id(event);
    if (type == "organization") return organization(OrganizationId{id}).version;
    if (type == "user") return user(UserId{id}).version;
    if (type == "client") return client(ClientId{id}).version;
    if (type == "summary") return summary(SummaryId{id}).version;
    if (type == "action_item") return action_item(ActionItemId{id}).version;
    if (type == "note") return note(NoteId{id}).version;
    if (type == "template") return message_template(TemplateId{id}).version;
    if (type == "follow_up") return follow_up(FollowUpId{id}).version;
    if (type == "metrics_import") return metrics_import(MetricsImportId{id}).version;
    return session(SessionId{id}).version;
}

bool WriteModel::email_taken(std::string_view normalized_email) const {
    std::shared_lock lock(mutex_);
    return users_by_email_.contains(std::string(normalized_email));
}

std::optional<events::Credential> WriteModel::credential_by_email(std::string_view normalized_email) const {
    std::shared_lock lock(mutex_);
    // A credential counts only once its user is registered: a crash between the two leaves no usable login.
    auto user = users_by_email_.find(std::string(normalized_email));
    if (user == users_by_email_.end()) return std::nullopt;
    auto it = credentials_by_user_.find(user->second);
    if (it == credentials_by_user_.end()) return std::nullopt;
    return it->second;
}

std::optional<WriteModel::IdempotentRecord> WriteModel::idempotent_result(const UserId& actor, std::string_view key) const {
    std::shared_lock lock(mutex_);
    auto it = idempotent_results_.find(idempotency_scope(actor, key));
    if (it == idempotent_results_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::pair<OrganizationId, SessionId>> WriteModel::sessions_awaiting_parse() const {
    std::shared_lock lock(mutex_);
    std::vector<std::pair<OrganizationId, SessionId>> pending;
    for (const auto& [id, state] : sessions_)
        if (state.status == SessionStatus::uploaded) pending.emplace_back(state.organization_id, id);
    return pending;
}

std::size_t WriteModel::event_count() const {
    std::shared_lock lock(mutex_);
    return event_count_;
}

}  // namespace debrief::commands
