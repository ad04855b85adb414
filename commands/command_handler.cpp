// The command loop: idempotency, the organization's lock, decide, append, fold.
#include "commands/command_handler.hpp"

#include <map>

#include "commands/organization.hpp"

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

bool CommandHandler::is_retry(const CommandContext& context) const {
    const auto& key = context.cause.idempotency_key;
    return !key.empty() && model_.idempotent_result(context.cause.actor_id, key).has_value();
}

}  // namespace debrief::commands
