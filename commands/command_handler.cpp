// The command loop: idempotency, the organization's lock, decide, fold as pending, queue, answer after the commit.
#include "commands/command_handler.hpp"

#include <algorithm>
#include <map>

#include "common/signal.hpp"

#include "commands/organization.hpp"

namespace debrief::commands {

CommandHandler::CommandHandler(WriteModel& model, events::EventLog& log, Clock clock, IdGenerator new_id, PasswordHasher hash_password)
    : model_(model), log_(log), clock_(std::move(clock)), new_id_(std::move(new_id)), hash_password_(std::move(hash_password)) {}

// One command's events between deciding and the log's answer.
struct CommandHandler::PendingBatch {
    OrganizationId organization;
    std::vector<WriteModel::PendingFold> folds;
    std::shared_ptr<events::QueuedAppend> append;
    Accepted accepted;
    std::optional<Error> error;
    Signal answered;
};

std::size_t CommandHandler::slot_of(const OrganizationId& organization) const { return std::hash<OrganizationId>{}(organization) % slots; }

Result<Accepted> CommandHandler::replay(const WriteModel::IdempotentRecord& earlier, const CommandContext& context) {
    // The same key with another request is a client bug, not a retry: answering the first result would hide it.
    // Keys recorded before requests were fingerprinted carry no hash: they replay as before.
    if (!earlier.request_hash.empty() && earlier.request_hash != context.cause.request_hash)
        return invalid("idempotency_key_reused", "this Idempotency-Key was already used for a different request");
    return earlier.accepted;
}

Result<Accepted> CommandHandler::execute(const OrganizationId& organization, const CommandContext& context,
                                         const std::function<Decision()>& decide) {
    auto batch = std::make_shared<PendingBatch>();
    batch->organization = organization;
    {
        const auto slot = slot_of(organization);
        std::lock_guard lock(organization_locks_[slot]);
        const auto& key = context.cause.idempotency_key;
        if (!key.empty() && !context.continues_request)
            if (auto earlier = model_.idempotent_result(context.cause.actor_id, key)) {
                if (earlier->pending) {
                    auto busy = conflict("idempotency_key_in_progress", "a request with this Idempotency-Key is still being committed; retry");
                    busy.retry_after_seconds = 1;
                    return busy;
                }
                return replay(*earlier, context);
            }

        auto decision = decide();
        if (!decision) return decision.error();
        auto& payloads = decision.value();
        if (payloads.empty()) return Error{ErrorKind::internal, "nothing_to_append", "the command produced no events"};

        // The first event names the target aggregate; its version is what the caller's expected version refers to.
        if (context.expected_version && *context.expected_version != model_.version_of(payloads.front()))
            return conflict("version_conflict", "expected version " + std::to_string(*context.expected_version) + " but the aggregate is at " +
                                                    std::to_string(model_.version_of(payloads.front())));

        std::vector<events::Event> events;
        events.reserve(payloads.size());
        std::map<std::string, std::uint64_t> next_versions;
        const auto now_ms = clock_();
        for (auto& payload : payloads) {
            const auto& id = events::aggregate_id(payload);
            auto [it, inserted] = next_versions.try_emplace(id, 0);
            if (inserted) it->second = model_.version_of(payload);
            events::Metadata metadata{new_id_(), organization, id, ++it->second, now_ms, context.cause};
            batch->accepted.ids.emplace(std::string(events::aggregate_type(payload)), id);
            events.push_back({std::move(metadata), std::move(payload)});
        }

        // Folded before it is queued: the log may commit it (and call on_appended, which waits for this lock) at once.
        for (const auto& event : events) batch->folds.push_back(model_.fold_pending(event));
        batch->append = std::make_shared<events::QueuedAppend>();
        // Weak: the append must not own its batch (a cycle); the caller holds the batch until it is answered.
        batch->append->done = [this, weak = std::weak_ptr(batch)](Result<std::vector<events::Position>> outcome) {
            if (auto owner = weak.lock()) on_appended(owner, std::move(outcome));
        };
        if (auto refused = log_.enqueue(events, batch->append)) {
            model_.revert_pending(batch->folds);
            return *refused;
        }
        pending_[slot].push_back(batch);
    }
    batch->answered.wait();
    if (batch->error) return *batch->error;
    return batch->accepted;
}

// On the log's thread, in log order. A failure also fails every later batch of the organization: it was decided on top
// of this one. They are reverted newest first and withdrawn from the log's queue before its next transaction.
void CommandHandler::on_appended(const std::shared_ptr<PendingBatch>& batch, Result<std::vector<events::Position>> outcome) {
    std::vector<std::shared_ptr<PendingBatch>> answered;
    {
        const auto slot = slot_of(batch->organization);
        std::lock_guard lock(organization_locks_[slot]);
        auto& pending = pending_[slot];
        auto at = std::find(pending.begin(), pending.end(), batch);
        if (outcome) {
            model_.commit_pending(batch->folds, outcome.value());
            batch->accepted.position = outcome.value().back();
            if (at != pending.end()) pending.erase(at);
            answered.push_back(batch);
        } else {
            std::vector<std::shared_ptr<PendingBatch>> failed;
            for (auto it = at; it != pending.end();)
                if ((*it)->organization == batch->organization) {
                    failed.push_back(*it);
                    it = pending.erase(it);
                } else {
                    ++it;
                }
            for (auto it = failed.rbegin(); it != failed.rend(); ++it) {
                model_.revert_pending((*it)->folds);
                if (*it != batch) {
                    (*it)->append->withdrawn = true;
                    (*it)->error = Error{ErrorKind::unavailable, "event_log_unavailable",
                                         "an earlier command of the organization could not be committed: " + outcome.error().message, {},
                                         outcome.error().retry_after_seconds};
                }
            }
            batch->error = outcome.error();
            answered = std::move(failed);
        }
    }
    for (const auto& done : answered) done->answered.set();
}

Result<Accepted> CommandHandler::register_login(const OrganizationId& organization, const UserId& user, std::string_view email,
                                                std::string_view password, const CommandContext& context, const std::function<Decision()>& decide) {
    if (!context.cause.idempotency_key.empty())
        if (auto earlier = model_.idempotent_result(context.cause.actor_id, context.cause.idempotency_key); earlier && !earlier->pending)
            return replay(*earlier, context);
    // Validate before the (deliberately slow) password hash, and store the credential before the user exists:
    // a crash in between leaves an orphan credential that can never log in, never a user who cannot. The address
    // is reserved meanwhile (e-mail addresses are unique across organizations), so no lock is held while hashing
    // or waiting for Kafka; a second registration of it is refused as taken.
    auto check = decide();
    if (!check) return check.error();
    const auto normalized = normalize_email(email);
    if (!model_.reserve_email(normalized, user)) return conflict("email_taken", "a user with this e-mail address already exists");
    struct Release {
        WriteModel& model;
        const std::string& email;
        const UserId& user;
        ~Release() { model.release_email(email, user); }
    } release{model_, normalized, user};
    events::Credential credential{user, organization, normalized, hash_password_(password)};
    auto stored = log_.put_private(credential);
    if (!stored) return stored.error();
    auto registered = execute(organization, context, decide);
    if (registered) model_.apply(credential);
    return registered;
}

Result<events::Position> CommandHandler::store_private(const events::PrivateRecord& record) {
    auto stored = log_.put_private(record);
    if (stored) model_.apply(record);
    return stored;
}

bool CommandHandler::is_retry(const CommandContext& context) const {
    const auto& key = context.cause.idempotency_key;
    return !key.empty() && model_.idempotent_result(context.cause.actor_id, key).has_value();
}

}  // namespace debrief::commands
