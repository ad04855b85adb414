// The write model's snapshot: its committed state and the offsets it covers, written by reflection over the state
// structs. The layout string goes first, so that a build whose state differs refuses an older snapshot and reads
// the whole log instead: the snapshot is a cache, the log stays the source of truth.
#include <mutex>

#include "commands/write_model.hpp"
#include "common/binary_codec.hpp"

namespace debrief::commands {
namespace {

// Raised by hand when what a field means changes without its type changing (the layout would not show it).
constexpr std::uint32_t snapshot_format = 1;

}  // namespace

std::string WriteModel::snapshot_layout() {
    std::string out = "debrief.write_model." + std::to_string(snapshot_format) + ":";
    binary::describe<std::size_t>(out);
    binary::describe<decltype(next_offsets_)>(out);
    [&]<typename... As>(TypeList<As...>) { (binary::describe<Store<As>>(out), ...); }(Aggregates{});
    binary::describe<decltype(templates_by_organization_)>(out);
    binary::describe<decltype(api_keys_by_organization_)>(out);
    binary::describe<decltype(client_metrics_)>(out);
    binary::describe<decltype(clients_by_organization_)>(out);
    binary::describe<decltype(clients_by_coach_)>(out);
    binary::describe<decltype(users_by_email_)>(out);
    binary::describe<decltype(idempotent_results_)>(out);
    return out;
}

std::optional<WriteModel::Snapshot> WriteModel::snapshot() const {
    static const auto layout = snapshot_layout();
    std::shared_lock lock(mutex_);
    const bool pending = std::apply([](const auto&... shadows) { return (!shadows.empty() || ...); }, shadows_);
    if (pending) return std::nullopt;
    binary::Writer out;
    out.put(layout);
    out.put(event_count_);
    out.put(next_offsets_);
    std::apply([&](const auto&... stores) { (out.put(stores), ...); }, stores_);
    out.put(templates_by_organization_);
    out.put(api_keys_by_organization_);
    out.put(client_metrics_);
    out.put(clients_by_organization_);
    out.put(clients_by_coach_);
    out.put(users_by_email_);
    out.put(idempotent_results_);
    return Snapshot{std::move(out.bytes()), next_offsets_, event_count_};
}

bool WriteModel::restore(std::string_view bytes) {
    static const auto layout = snapshot_layout();
    binary::Reader in(bytes);
    std::string written_for;
    in.get(written_for);
    if (!in.ok() || written_for != layout) return false;
    decltype(event_count_) event_count = 0;
    decltype(next_offsets_) next_offsets;
    decltype(stores_) stores;
    decltype(templates_by_organization_) templates_by_organization;
    decltype(api_keys_by_organization_) api_keys_by_organization;
    decltype(client_metrics_) client_metrics;
    decltype(clients_by_organization_) clients_by_organization;
    decltype(clients_by_coach_) clients_by_coach;
    decltype(users_by_email_) users_by_email;
    decltype(idempotent_results_) idempotent_results;
    in.get(event_count);
    in.get(next_offsets);
    std::apply([&](auto&... each) { (in.get(each), ...); }, stores);
    in.get(templates_by_organization);
    in.get(api_keys_by_organization);
    in.get(client_metrics);
    in.get(clients_by_organization);
    in.get(clients_by_coach);
    in.get(users_by_email);
    in.get(idempotent_results);
    if (!in.ok() || !in.at_end()) return false;

    std::unique_lock lock(mutex_);
    event_count_ = event_count;
    next_offsets_ = std::move(next_offsets);
    stores_ = std::move(stores);
    std::apply([](auto&... shadows) { (shadows.clear(), ...); }, shadows_);
    templates_by_organization_ = std::move(templates_by_organization);
    api_keys_by_organization_ = std::move(api_keys_by_organization);
    client_metrics_ = std::move(client_metrics);
    clients_by_organization_ = std::move(clients_by_organization);
    clients_by_coach_ = std::move(clients_by_coach);
    users_by_email_ = std::move(users_by_email);
    idempotent_results_ = std::move(idempotent_results);
    return true;
}

}  // namespace debrief::commands
