// The one loop every command goes through: check the idempotency key, decide under the organization's lock against
// the write model (committed state plus what is pending), fold it as pending and queue it on the log, release the
// lock, and answer once the log has committed it (or failed it, and everything decided on top of it). The commands themselves live with their area, as free
// functions in commands/<area>_commands.* that build a command, gather its facts and call execute.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "commands/refinement/assistant.hpp"
#include "commands/write_model.hpp"
#include "common/result.hpp"
#include "events/event_log.hpp"

namespace debrief::commands {

struct CommandContext {
    events::Cause cause;                          // actor, correlation id, idempotency key
    std::optional<std::uint64_t> expected_version;  // of the target aggregate; a mismatch is a 409
    bool continues_request = false;  // a follow-up step of an admitted request: same key, no replay check
};

class CommandHandler {
public:
    using Clock = std::function<std::int64_t()>;                            // Unix epoch milliseconds
    using IdGenerator = std::function<std::string()>;                       // fresh UUIDs
    using PasswordHasher = std::function<std::string(std::string_view)>;    // Argon2id, outside the domain
    using Decision = Result<std::vector<events::Payload>>;

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

    // Runs decide under the organization's lock (every aggregate of a tenant lives on one partition, so this is its
    // order), checks the expected version against the first event's aggregate, folds the events as pending and queues
    // them, then parks its thread until the log has committed them (it holds no lock meanwhile).
    Result<Accepted> execute(const OrganizationId& organization, const CommandContext& context, const std::function<Decision()>& decide);
    // Stores a login credential, then runs the command that registers its user (sign-up, invite).
    Result<Accepted> register_login(const OrganizationId& organization, const UserId& user, std::string_view email, std::string_view password,
                                    const CommandContext& context, const std::function<Decision()>& decide);
    // Stores a private record (commands/login_session_commands.*) and folds it once it is durable.
    Result<events::Position> store_private(const events::PrivateRecord& record);
    // Whether the request's idempotency key already has an answer (a retry, which execute answers as before).
    bool is_retry(const CommandContext& context) const;

    // What the area commands read and use around execute.
    const WriteModel& model() const { return model_; }
    std::string new_id() const { return new_id_(); }
    std::int64_t now_ms() const { return clock_(); }
    refinement::Assistant* assistant() const { return assistant_; }
    std::optional<std::string> transcript(const OrganizationId& organization, const SessionId& session) const {
        return transcripts_ ? transcripts_(organization, session) : std::nullopt;
    }
    const DraftListener& draft_listener() const { return draft_listener_; }

private:
    struct PendingBatch;
    static Result<Accepted> replay(const WriteModel::IdempotentRecord& earlier, const CommandContext& context);
    std::size_t slot_of(const OrganizationId& organization) const;
    void on_appended(const std::shared_ptr<PendingBatch>& batch, Result<std::vector<events::Position>> outcome);

    WriteModel& model_;
    events::EventLog& log_;
    Clock clock_;
    IdGenerator new_id_;
    PasswordHasher hash_password_;
    refinement::Assistant* assistant_ = nullptr;
    TranscriptSource transcripts_;
    DraftListener draft_listener_;
    static constexpr std::size_t slots = 64;
    std::array<std::mutex, slots> organization_locks_;
    // Per lock slot, the batches decided but not committed yet, in decision order (which is the log's order).
    std::array<std::deque<std::shared_ptr<PendingBatch>>, slots> pending_;
};

}  // namespace debrief::commands
