// The command side's current state of every aggregate, folded from the log with the deciders' evolve functions.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "commands/aggregates.hpp"
#include "commands/login_sessions.hpp"
#include "commands/mfa.hpp"
#include "commands/metrics/metric_trends.hpp"
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
    // A record of the private credentials topic: a credential, or a login session's state.
    void apply(const events::PrivateRecord& record);
    // The login sessions (refresh-token families) and sign-out cut-offs, folded from the private records.
    LoginSessions& login_sessions() { return login_sessions_; }
    const LoginSessions& login_sessions() const { return login_sessions_; }
    // Every user's second factor (TOTP), folded from the private records.
    const MfaEnrolments& mfa() const { return mfa_; }
    // Whether the organization's committed MFA policy requires a second factor of this role (no copy of its state:
    // every authenticated request asks).
    bool mfa_required(const OrganizationId& organization, std::string_view role) const;

    // An event folded before it is durable (a command decided, its transaction not committed yet): deciders see it
    // at once, so the next command of the organization decides on top of it, while readers of committed state
    // (committed_state, the outbox, logins) do not. It is then either committed or reverted, newest first.
    struct PendingFold {
        std::function<void()> revert;                           // puts back what the fold changed
        std::function<void(const events::Position&)> commit;    // the event is durable at this position
    };
    PendingFold fold_pending(const events::Event& event);
    void commit_pending(std::vector<PendingFold>& folds, const std::vector<events::Position>& positions);
    void revert_pending(std::vector<PendingFold>& folds);  // in reverse order

    // The current state of one aggregate, by its id's type (a NoteId answers a NoteState); an empty state when there is none.
    template <typename Id>
    typename AggregateOf<Id>::State state(const Id& id) const {
        std::shared_lock lock(mutex_);
        const auto& store = store_of<AggregateOf<Id>>();
        auto it = store.find(id);
        return it == store.end() ? typename AggregateOf<Id>::State{} : it->second;
    }
    // The state as far as it is durable: what a read answers, never an event whose transaction may still fail.
    template <typename Id>
    typename AggregateOf<Id>::State committed_state(const Id& id) const {
        std::shared_lock lock(mutex_);
        return committed_of<AggregateOf<Id>>(id);
    }
    // A template by the id a request names: a system default ("system:email") or one the organization keeps;
    // an empty state when there is none.
    TemplateState template_named(const OrganizationId& organization, const std::string& id) const;
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
    // Every API key of an organization, in creation order, as far as it is durable.
    std::vector<std::pair<ApiKeyId, ApiKeyState>> api_keys_of(const OrganizationId& organization) const;
    // How many keys of the organization are not revoked (pending ones included: what a decision counts).
    std::size_t live_api_keys(const OrganizationId& organization) const;
    // The hash of the key's secret, from its private record; nullopt when there is none.
    std::optional<std::string> api_key_secret_hash(const ApiKeyId& key) const;
    // Every client of an organization with its state.
    std::vector<std::pair<ClientId, ClientState>> clients_in(const OrganizationId& organization) const;
    // A client's two latest committed values of each metric, by metric name.
    std::map<std::string, metrics::MetricHistory> metric_histories(const ClientId& client) const;
    // The coach's client with this name (client_name_key), if any.
    std::optional<ClientId> client_named(const UserId& coach, std::string_view name) const;
    // The data subjects whose keys go when the client is erased: the client, their logins, and every session they
    // spoke in (its raw transcript mixes everyone's words).
    std::vector<std::string> subjects_of_client(const ClientId& client) const;
    // The follow-ups of every erased client: the outbox's copies of their messages must go too.
    std::vector<FollowUpId> follow_ups_of_erased_clients() const;
    // Every client of the coach, by client_name_key.
    std::map<std::string, ClientId> clients_of(const UserId& coach) const;
    // The version of the aggregate an event belongs to (0 when it does not exist yet).
    std::uint64_t version_of(const events::Payload& event) const;
    // Taken by a registered user (or one being registered), or reserved for another user's registration in progress.
    bool email_taken(std::string_view normalized_email, const UserId& registering = {}) const;
    // Holds an address for a registration from before its password is hashed until its events are pending; false
    // when it is taken or already reserved.
    bool reserve_email(std::string_view normalized_email, const UserId& registering);
    void release_email(std::string_view normalized_email, const UserId& registering);
    std::optional<events::Credential> credential_by_email(std::string_view normalized_email) const;
    // An earlier command's result and the fingerprint of its request, by Idempotency-Key; keys are scoped by the
    // actor who sent them (the empty actor for sign-up).
    struct IdempotentRecord {
        Accepted accepted;
        std::string request_hash;
        bool pending = false;  // its command's transaction has not committed yet
    };
    std::optional<IdempotentRecord> idempotent_result(const UserId& actor, std::string_view key) const;
    // Sessions whose transcript was uploaded but whose parse was never appended (e.g. a crash in between).
    std::vector<std::pair<OrganizationId, SessionId>> sessions_awaiting_parse() const;
    std::size_t event_count() const;

    // The committed state in a compact binary form (commands/write_model_snapshot.cpp), with the log offsets it
    // covers, so that a start reads only the log after them. Empty while a fold is pending: the lookups beyond the
    // aggregates then hold entries that are not durable and have no committed copy.
    struct Snapshot {
        std::string bytes;
        std::map<int, std::int64_t> next_offsets;  // as the bytes hold them
        std::size_t events = 0;
    };
    std::optional<Snapshot> snapshot() const;
    // Replaces the state (all but credentials and reservations) with a snapshot's; false, and nothing changed, when
    // the bytes are corrupt or were written for another layout of the state.
    bool restore(std::string_view bytes);
    // partition -> the offset after the last event folded: where reading the log resumes after a snapshot.
    std::map<int, std::int64_t> next_offsets() const;
    // How the snapshot lays out the state: a snapshot of another layout is refused.
    static std::string snapshot_layout();

private:
    static std::string idempotency_scope(const UserId& actor, std::string_view key);

    template <typename A>
    using Store = std::unordered_map<typename A::Id, typename A::State>;
    // An aggregate with pending folds: its committed state, and how many folds are pending on it.
    template <typename State>
    struct Shadow {
        State committed;
        bool existed = false;
        int pending = 0;
    };
    template <typename A>
    using Shadows = std::unordered_map<typename A::Id, Shadow<typename A::State>>;
    template <typename A>
    Shadows<A>& shadows_of() { return std::get<Shadows<A>>(shadows_); }
    template <typename A>
    const Shadows<A>& shadows_of() const { return std::get<Shadows<A>>(shadows_); }
    template <typename A>
    typename A::State committed_of(const typename A::Id& id) const {
        const auto& shadows = shadows_of<A>();
        if (auto shadow = shadows.find(id); shadow != shadows.end()) return shadow->second.existed ? shadow->second.committed : typename A::State{};
        const auto& store = store_of<A>();
        auto it = store.find(id);
        return it == store.end() ? typename A::State{} : it->second;
    }
    template <typename A>
    void release_shadow(const typename A::Id& id, const typename A::State* committed);
    // Once a ClientErased is committed: what the other aggregates hold of the person goes too (caller holds the lock).
    void scrub(const events::ClientErased& erased);
    template <typename A>
    Store<A>& store_of() { return std::get<Store<A>>(stores_); }
    template <typename A>
    const Store<A>& store_of() const { return std::get<Store<A>>(stores_); }
    struct Indexes;  // the lookups beyond an aggregate's own state, kept by their own exhaustive consumer
    template <typename List>
    struct StoresOf;
    template <typename... As>
    struct StoresOf<TypeList<As...>> {
        using type = std::tuple<Store<As>...>;
        using shadows = std::tuple<Shadows<As>...>;
    };

    mutable std::shared_mutex mutex_;
    StoresOf<Aggregates>::type stores_;
    StoresOf<Aggregates>::shadows shadows_;
    std::unordered_map<std::string, UserId> reserved_emails_;
    std::unordered_map<OrganizationId, std::vector<TemplateId>> templates_by_organization_;  // in creation order
    std::unordered_map<OrganizationId, std::vector<ApiKeyId>> api_keys_by_organization_;    // in creation order
    std::unordered_map<ClientId, std::map<std::string, metrics::MetricHistory>> client_metrics_;
    std::unordered_map<OrganizationId, std::vector<ClientId>> clients_by_organization_;
    std::unordered_map<UserId, std::map<std::string, ClientId>> clients_by_coach_;
    std::unordered_map<std::string, UserId> users_by_email_;
    // By user, not by e-mail: an orphan credential (its sign-up failed after storing it) must never shadow a live one.
    std::unordered_map<UserId, events::Credential> credentials_by_user_;
    std::unordered_map<ApiKeyId, std::string> api_key_secret_hashes_;  // private records, like the credentials
    LoginSessions login_sessions_;  // its own lock: an access token's check never waits for the write model
    MfaEnrolments mfa_;             // its own lock too
    std::unordered_map<std::string, IdempotentRecord> idempotent_results_;
    std::size_t event_count_ = 0;
    std::map<int, std::int64_t> next_offsets_;
    void advance(const events::Position& position);
};

}  // namespace debrief::commands
