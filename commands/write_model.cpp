// Folding events into the command side's state; one place, used both when catching up and after each append.
#include "commands/write_model.hpp"

#include <algorithm>
#include <mutex>

#include "events/event_dispatch.hpp"

namespace debrief::commands {

std::string WriteModel::idempotency_scope(const UserId& actor, std::string_view key) {
    std::string scope = actor.value;
    scope += '\n';
    scope += key;
    return scope;
}

// The lookups the deciders need beyond one aggregate's state. Runs before the event is folded: a commit reads the
// import's staged rows, which folding lets go of.
struct WriteModel::Indexes {
    WriteModel& model;
    using Ignores = concat_t<events::IgnoreAggregates<OrganizationId, SessionId, SummaryId, ActionItemId, NoteId, FollowUpId>,
                             TypeList<events::UserRoleChanged, events::UserDeactivated, events::UserReactivated, events::VoiceProfileSet,
                                      events::NotificationPreferencesSet, events::TemplateRevised, events::MetricsImportStaged,
                                      events::MetricsImportRowsStaged, events::MetricsImportDiscarded>>;

    void on(const events::UserRegistered& registered, const events::Metadata&) { model.users_by_email_[registered.email] = registered.user_id; }
    void on(const events::ClientRegistered& registered, const events::Metadata& metadata) {
        model.clients_by_coach_[registered.coach_id][client_name_key(registered.name)] = registered.client_id;
        model.clients_by_organization_[metadata.organization_id].push_back(registered.client_id);
    }
    void on(const events::TemplateCreated& created, const events::Metadata& metadata) {
        model.templates_by_organization_[metadata.organization_id].push_back(created.template_id);
    }
    // A commit makes the staged rows the clients' metrics.
    void on(const events::MetricsImportCommitted& committed, const events::Metadata&) {
        const auto& imports = model.store_of<MetricsImport>();
        auto import = imports.find(committed.import_id);
        if (import == imports.end() || import->second.status != MetricsImportStatus::staged) return;
        for (const auto& row : import->second.rows) {
            auto& histories = model.client_metrics_[row.client_id];
            for (const auto& value : row.values) {
                auto it = histories.find(value.metric);
                auto folded = metrics::fold(it == histories.end() ? std::nullopt : std::optional(it->second), {row.date, value.value});
                histories.insert_or_assign(value.metric, std::move(folded));
            }
        }
    }
};

void WriteModel::apply(const events::Event& event, const events::Position& position) {
    std::unique_lock lock(mutex_);
    Indexes indexes{*this};
    events::dispatch(indexes, event.payload, event.metadata);
    std::visit(
        [&](const auto& e) {
            using A = AggregateOf<events::AggregateIdOf<std::decay_t<decltype(e)>>>;
            fold(store_of<A>()[e.aggregate_id()], e, event.metadata);
        },
        event.payload);
    if (!event.metadata.cause.idempotency_key.empty()) {
        auto& record = idempotent_results_[idempotency_scope(event.metadata.cause.actor_id, event.metadata.cause.idempotency_key)];
        record.accepted.ids.emplace(std::string(events::aggregate_type(event.payload)), events::aggregate_id(event.payload));
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

TemplateState WriteModel::template_named(const OrganizationId& organization, const std::string& id) const {
    if (auto builtin = system_template_state(id, organization)) return *builtin;
    return state(TemplateId{id});
}

std::string WriteModel::default_template(const OrganizationId& organization, const UserId& coach, std::string_view kind) const {
    std::shared_lock lock(mutex_);
    std::string organization_wide;
    if (auto list = templates_by_organization_.find(organization); list != templates_by_organization_.end()) {
        for (auto it = list->second.rbegin(); it != list->second.rend(); ++it) {
            const auto& state = store_of<Template>().at(*it);
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
    for (const auto& [id, state] : store_of<FollowUp>())
        if (state.status == FollowUpStatus::scheduled && state.next_attempt_ms <= now_ms)
            due.push_back({state.organization_id, id, state.attempts + 1, state});
    std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.state.next_attempt_ms < b.state.next_attempt_ms; });
    return due;
}

std::optional<std::int64_t> WriteModel::next_outbox_time() const {
    std::shared_lock lock(mutex_);
    std::optional<std::int64_t> next;
    for (const auto& [id, state] : store_of<FollowUp>())
        if (state.status == FollowUpStatus::scheduled && (!next || state.next_attempt_ms < *next)) next = state.next_attempt_ms;
    return next;
}

std::vector<std::pair<ClientId, ClientState>> WriteModel::clients_in(const OrganizationId& organization) const {
    std::shared_lock lock(mutex_);
    std::vector<std::pair<ClientId, ClientState>> out;
    if (auto it = clients_by_organization_.find(organization); it != clients_by_organization_.end())
        for (const auto& id : it->second)
            if (auto client = store_of<Client>().find(id); client != store_of<Client>().end()) out.emplace_back(id, client->second);
    return out;
}

std::map<std::string, metrics::MetricHistory> WriteModel::metric_histories(const ClientId& client) const {
    std::shared_lock lock(mutex_);
    auto it = client_metrics_.find(client);
    return it == client_metrics_.end() ? std::map<std::string, metrics::MetricHistory>{} : it->second;
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
    return std::visit([&](const auto& e) { return state(e.aggregate_id()).version; }, event);
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
    for (const auto& [id, state] : store_of<Session>())
        if (state.status == SessionStatus::uploaded) pending.emplace_back(state.organization_id, id);
    return pending;
}

std::size_t WriteModel::event_count() const {
    std::shared_lock lock(mutex_);
    return event_count_;
}

}  // namespace debrief::commands
