// Folding events into the command side's state; one place, used both when catching up and after each append.
#include "commands/write_model.hpp"

#include <algorithm>
#include <mutex>
#include <set>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "events/personal_data.hpp"

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
    std::vector<std::function<void()>>* undo = nullptr;  // for a pending fold: how to take each change back
    using Ignores = concat_t<events::IgnoreAggregates<OrganizationId, SessionId, SummaryId, ActionItemId, NoteId, FollowUpId>,
                             TypeList<events::ClientErased, events::ApiKeyUsed, events::ApiKeyRevoked, events::UserRoleChanged, events::UserDeactivated, events::UserReactivated, events::VoiceProfileSet,
                                      events::NotificationPreferencesSet, events::TemplateRevised, events::MetricsImportStaged,
                                      events::MetricsImportRowsStaged, events::MetricsImportDiscarded>>;

    // Sets map[key], remembering what it was when the fold is pending.
    template <typename Map>
    void assign(Map& map, const typename Map::key_type& key, typename Map::mapped_type value) {
        if (undo) {
            auto it = map.find(key);
            auto before = it == map.end() ? std::nullopt : std::optional(it->second);
            undo->push_back([&map, key, before = std::move(before)] {
                if (before) map[key] = *before;
                else map.erase(key);
            });
        }
        map.insert_or_assign(key, std::move(value));
    }
    template <typename List>
    void append(List& list, typename List::value_type value) {
        list.push_back(std::move(value));
        if (undo) undo->push_back([&list] { list.pop_back(); });
    }

    void on(const events::UserRegistered& registered, const events::Metadata&) { assign(model.users_by_email_, registered.email, registered.user_id); }
    void on(const events::ClientRegistered& registered, const events::Metadata& metadata) {
        assign(model.clients_by_coach_[registered.coach_id], client_name_key(registered.name), registered.client_id);
        append(model.clients_by_organization_[metadata.organization_id], registered.client_id);
    }
    void on(const events::TemplateCreated& created, const events::Metadata& metadata) {
        append(model.templates_by_organization_[metadata.organization_id], created.template_id);
    }
    void on(const events::ApiKeyCreated& created, const events::Metadata& metadata) {
        append(model.api_keys_by_organization_[metadata.organization_id], created.api_key_id);
    }
    // A commit makes the staged rows the clients' metrics.
    void on(const events::MetricsImportCommitted& committed, const events::Metadata&) {
        const auto& imports = model.store_of<MetricsImport>();
        auto import = imports.find(committed.import_id);
        if (import == imports.end() || import->second.status != MetricsImportStatus::staged) return;
        for (const auto& row : import->second.rows) {
            if (undo) {
                auto it = model.client_metrics_.find(row.client_id);
                assign(model.client_metrics_, row.client_id, it == model.client_metrics_.end() ? decltype(it->second){} : it->second);
            }
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
    if (const auto* erased = std::get_if<events::ClientErased>(&event.payload)) scrub(*erased);
    ++event_count_;
    advance(position);
}

std::vector<std::string> WriteModel::subjects_of_client(const ClientId& client) const {
    std::shared_lock lock(mutex_);
    std::vector<std::string> subjects{events::personal_data::subject_of(client)};
    for (const auto& [id, user] : store_of<User>())
        if (user.client_id == client) subjects.push_back(events::personal_data::subject_of(id));
    for (const auto& [id, session] : store_of<Session>()) {
        const bool spoke = std::find(session.client_ids.begin(), session.client_ids.end(), client) != session.client_ids.end();
        const bool mapped = std::any_of(session.speaker_clients.begin(), session.speaker_clients.end(),
                                        [&](const events::SpeakerClient& mapping) { return mapping.client_id == client; });
        if (spoke || mapped) subjects.push_back(events::personal_data::subject_of(id));
    }
    return subjects;
}

std::vector<FollowUpId> WriteModel::follow_ups_of_erased_clients() const {
    std::shared_lock lock(mutex_);
    std::vector<FollowUpId> out;
    const auto& clients = store_of<Client>();
    for (const auto& [id, follow_up] : store_of<FollowUp>())
        if (auto client = clients.find(follow_up.client_id); client != clients.end() && client->second.erased) out.push_back(id);
    return out;
}

void WriteModel::scrub(const events::ClientErased& erased) {
    const auto& client = erased.client_id;
    auto blank = [](const std::string&, std::string& value) { value.clear(); };
    std::set<std::string> subjects(erased.subjects.begin(), erased.subjects.end());
    for (auto& [id, session] : store_of<Session>()) {
        if (!subjects.contains(events::personal_data::subject_of(id))) continue;
        session.transcript_text.clear();
        session.coach_speaker.clear();
        for (auto& mapping : session.speaker_clients) mapping.speaker.clear();
    }
    for (auto& [id, summary] : store_of<Summary>()) {
        if (summary.client_id != client) continue;
        events::personal_data::content({}, summary.content, blank);
        events::personal_data::content({}, summary.drafted, blank);
        summary.last_reply.clear();
    }
    for (auto& [id, item] : store_of<ActionItem>())
        if (item.client_id == client) item.title.clear();
    for (auto& [id, follow_up] : store_of<FollowUp>()) {
        if (follow_up.client_id != client) continue;
        follow_up.recipient.clear();
        follow_up.subject.clear();
        follow_up.body.clear();
        follow_up.last_error.clear();
    }
    for (auto& [id, user] : store_of<User>()) {
        if (user.client_id != client) continue;
        const UserId login = id;  // a structured binding cannot be captured before C++20's clang 16
        std::erase_if(users_by_email_, [&](const auto& entry) { return entry.second == login; });
        credentials_by_user_.erase(id);
        user.name.clear();
        user.email.clear();
        user.active = false;
    }
    for (auto& [coach, names] : clients_by_coach_) std::erase_if(names, [&](const auto& entry) { return entry.second == client; });
}

void WriteModel::advance(const events::Position& position) {
    if (!position.valid()) return;
    auto& next = next_offsets_[position.partition];
    next = std::max(next, position.offset + 1);
}

std::map<int, std::int64_t> WriteModel::next_offsets() const {
    std::shared_lock lock(mutex_);
    return next_offsets_;
}

WriteModel::PendingFold WriteModel::fold_pending(const events::Event& event) {
    std::unique_lock lock(mutex_);
    std::vector<std::function<void()>> undo;
    Indexes indexes{*this, &undo};
    events::dispatch(indexes, event.payload, event.metadata);
    PendingFold pending;
    std::function<void(const events::Position&)> commit_aggregate;
    std::visit(
        [&](const auto& e) {
            using A = AggregateOf<events::AggregateIdOf<std::decay_t<decltype(e)>>>;
            auto id = e.aggregate_id();
            auto& store = store_of<A>();
            auto it = store.find(id);
            auto before = it == store.end() ? std::nullopt : std::optional(it->second);
            auto [shadow, first] = shadows_of<A>().try_emplace(id);
            if (first) {
                shadow->second.committed = before.value_or(typename A::State{});
                shadow->second.existed = before.has_value();
            }
            ++shadow->second.pending;
            auto& state = store[id];
            fold(state, e, event.metadata);
            undo.push_back([this, id, before = std::move(before)] {
                if (before) store_of<A>()[id] = *before;
                else store_of<A>().erase(id);
                release_shadow<A>(id, nullptr);
            });
            commit_aggregate = [this, id, after = state](const events::Position&) { release_shadow<A>(id, &after); };
        },
        event.payload);
    std::string scope;
    if (!event.metadata.cause.idempotency_key.empty()) {
        scope = idempotency_scope(event.metadata.cause.actor_id, event.metadata.cause.idempotency_key);
        auto it = idempotent_results_.find(scope);
        auto before = it == idempotent_results_.end() ? std::nullopt : std::optional(it->second);
        auto& record = idempotent_results_[scope];
        record.accepted.ids.emplace(std::string(events::aggregate_type(event.payload)), events::aggregate_id(event.payload));
        record.accepted.replayed = true;
        record.request_hash = event.metadata.cause.request_hash;
        record.pending = true;
        undo.push_back([this, scope, before = std::move(before)] {
            if (before) idempotent_results_[scope] = *before;
            else idempotent_results_.erase(scope);
        });
    }
    ++event_count_;
    undo.push_back([this] { --event_count_; });
    pending.revert = [undo = std::move(undo)] {
        for (auto it = undo.rbegin(); it != undo.rend(); ++it) (*it)();
    };
    pending.commit = [this, scope, commit_aggregate = std::move(commit_aggregate)](const events::Position& position) {
        commit_aggregate(position);
        if (scope.empty()) return;
        auto& record = idempotent_results_[scope];
        record.accepted.position = std::max(record.accepted.position, position);
        record.pending = false;
    };
    // Scrubbed once durable: a rolled-back erasure must leave the other aggregates as they were.
    if (const auto* erased = std::get_if<events::ClientErased>(&event.payload))
        pending.commit = [this, erased = *erased, commit = std::move(pending.commit)](const events::Position& position) {
            commit(position);
            scrub(erased);
        };
    return pending;
}

void WriteModel::commit_pending(std::vector<PendingFold>& folds, const std::vector<events::Position>& positions) {
    std::unique_lock lock(mutex_);
    for (std::size_t i = 0; i < folds.size(); ++i) {
        folds[i].commit(positions.at(i));
        advance(positions.at(i));
    }
    folds.clear();
}

void WriteModel::revert_pending(std::vector<PendingFold>& folds) {
    std::unique_lock lock(mutex_);
    for (auto it = folds.rbegin(); it != folds.rend(); ++it) it->revert();
    folds.clear();
}

template <typename A>
void WriteModel::release_shadow(const typename A::Id& id, const typename A::State* committed) {
    auto& shadows = shadows_of<A>();
    auto shadow = shadows.find(id);
    if (shadow == shadows.end()) return;
    if (--shadow->second.pending == 0) {
        shadows.erase(shadow);
    } else if (committed) {
        shadow->second.committed = *committed;
        shadow->second.existed = true;
    }
}

void WriteModel::apply(const events::Credential& credential) {
    std::unique_lock lock(mutex_);
    credentials_by_user_[credential.user_id] = credential;
}

void WriteModel::apply(const events::PrivateRecord& record) {
    std::visit(overloaded{[this](const events::Credential& credential) { apply(credential); },
                          [this](const events::LoginSessionRecord& session) { login_sessions_.apply(session); },
                          [this](const events::SessionsRevoked& revoked) { login_sessions_.apply(revoked); },
                          [this](const events::MfaEnrolment& enrolment) { mfa_.apply(enrolment); },
                          [this](const events::ApiKeySecret& secret) {
                              std::unique_lock lock(mutex_);
                              api_key_secret_hashes_[secret.api_key_id] = secret.secret_hash;
                          }},
               record);
}

bool WriteModel::mfa_required(const OrganizationId& organization, std::string_view role) const {
    std::shared_lock lock(mutex_);
    const auto& shadows = shadows_of<Organization>();
    if (auto shadow = shadows.find(organization); shadow != shadows.end()) return shadow->second.existed && commands::mfa_required(shadow->second.committed, role);
    const auto& store = store_of<Organization>();
    auto it = store.find(organization);
    return it != store.end() && commands::mfa_required(it->second, role);
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
    for (const auto& [id, pending_state] : store_of<FollowUp>()) {
        auto state = committed_of<FollowUp>(id);  // a follow-up is sent only once it is durable
        if (state.status == FollowUpStatus::scheduled && state.next_attempt_ms <= now_ms)
            due.push_back({state.organization_id, id, state.attempts + 1, state});
    }
    std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.state.next_attempt_ms < b.state.next_attempt_ms; });
    return due;
}

std::optional<std::int64_t> WriteModel::next_outbox_time() const {
    std::shared_lock lock(mutex_);
    std::optional<std::int64_t> next;
    for (const auto& [id, pending_state] : store_of<FollowUp>()) {
        auto state = committed_of<FollowUp>(id);
        if (state.status == FollowUpStatus::scheduled && (!next || state.next_attempt_ms < *next)) next = state.next_attempt_ms;
    }
    return next;
}

std::vector<std::pair<ApiKeyId, ApiKeyState>> WriteModel::api_keys_of(const OrganizationId& organization) const {
    std::shared_lock lock(mutex_);
    std::vector<std::pair<ApiKeyId, ApiKeyState>> out;
    if (auto it = api_keys_by_organization_.find(organization); it != api_keys_by_organization_.end())
        for (const auto& id : it->second)
            if (auto key = committed_of<ApiKey>(id); key.exists) out.emplace_back(id, std::move(key));
    return out;
}

std::size_t WriteModel::live_api_keys(const OrganizationId& organization) const {
    std::shared_lock lock(mutex_);
    std::size_t live = 0;
    if (auto it = api_keys_by_organization_.find(organization); it != api_keys_by_organization_.end())
        for (const auto& id : it->second)
            if (auto key = store_of<ApiKey>().find(id); key != store_of<ApiKey>().end() && key->second.revoked_at_ms == 0) ++live;
    return live;
}

std::optional<std::string> WriteModel::api_key_secret_hash(const ApiKeyId& key) const {
    std::shared_lock lock(mutex_);
    auto it = api_key_secret_hashes_.find(key);
    return it == api_key_secret_hashes_.end() ? std::nullopt : std::optional(it->second);
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

bool WriteModel::email_taken(std::string_view normalized_email, const UserId& registering) const {
    std::shared_lock lock(mutex_);
    const std::string email(normalized_email);
    if (users_by_email_.contains(email)) return true;
    auto reserved = reserved_emails_.find(email);
    return reserved != reserved_emails_.end() && reserved->second != registering;
}

bool WriteModel::reserve_email(std::string_view normalized_email, const UserId& registering) {
    std::unique_lock lock(mutex_);
    const std::string email(normalized_email);
    if (users_by_email_.contains(email)) return false;
    return reserved_emails_.try_emplace(email, registering).second;
}

void WriteModel::release_email(std::string_view normalized_email, const UserId& registering) {
    std::unique_lock lock(mutex_);
    auto reserved = reserved_emails_.find(std::string(normalized_email));
    if (reserved != reserved_emails_.end() && reserved->second == registering) reserved_emails_.erase(reserved);
}

std::optional<events::Credential> WriteModel::credential_by_email(std::string_view normalized_email) const {
    std::shared_lock lock(mutex_);
    // A credential counts only once its user is registered: a crash between the two leaves no usable login.
    auto user = users_by_email_.find(std::string(normalized_email));
    if (user == users_by_email_.end() || !committed_of<User>(user->second).exists) return std::nullopt;
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
