// API key decisions: only admins create and revoke keys, with a name and known scopes, and a bounded number per
// organization.
#include "commands/api_key.hpp"

#include <algorithm>

#include "commands/authorization.hpp"
#include "commands/text_rules.hpp"

namespace debrief::commands {

bool ApiKeyState::has_scope(std::string_view scope) const { return std::find(scopes.begin(), scopes.end(), scope) != scopes.end(); }

std::string api_key_prefix(const ApiKeyId& id) {
    std::string hex;
    for (char c : id.value)
        if (c != '-' && hex.size() < 8) hex += c;
    return "dbk_" + hex;
}

Result<std::vector<events::Payload>> decide(const ApiKeyState& key, const CreateApiKey& command, std::size_t live_keys) {
    if (command.actor.role != "admin") return Error{ErrorKind::forbidden, "forbidden", "only an admin may create API keys"};
    if (key.exists) return conflict("api_key_exists", "an API key with this id already exists");
    auto name = std::string(trim(command.name));
    if (auto bad = check_name("name", name)) return *bad;
    if (name.size() > max_api_key_name_length) return invalid("field_too_long", "an API key's name is at most 100 characters");
    if (command.scopes.empty()) return invalid("invalid_scopes", "scopes must name at least one of: read, write");
    std::vector<std::string> scopes;
    for (std::string_view known : {"read", "write"})
        if (std::find(command.scopes.begin(), command.scopes.end(), known) != command.scopes.end()) scopes.emplace_back(known);
    for (const auto& scope : command.scopes)
        if (scope != "read" && scope != "write") return invalid("invalid_scopes", "unknown scope '" + scope + "'; known: read, write");
    if (live_keys >= max_api_keys_per_organization)
        return conflict("too_many_api_keys", "an organization has at most 100 API keys that are not revoked; revoke one first");
    return std::vector<events::Payload>{events::ApiKeyCreated{command.api_key_id, command.actor.organization_id, std::move(name),
                                                              std::move(scopes), api_key_prefix(command.api_key_id)}};
}

Result<std::vector<events::Payload>> decide(const ApiKeyState& key, const RevokeApiKey& command) {
    if (!key.exists || !visible_to(command.actor, key.organization_id)) return not_found("api_key_not_found", "no such API key");
    if (command.actor.role != "admin") return Error{ErrorKind::forbidden, "forbidden", "only an admin may revoke API keys"};
    if (key.revoked_at_ms != 0) return conflict("api_key_revoked", "the API key is already revoked");
    return std::vector<events::Payload>{events::ApiKeyRevoked{command.api_key_id}};
}

void evolve(ApiKeyState& state, const events::ApiKeyCreated& created, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = created.organization_id;
    state.name = created.name;
    state.scopes = created.scopes;
    state.prefix = created.prefix;
    state.created_by = m.cause.actor_id;
    state.created_at_ms = m.occurred_at_ms;
}

void evolve(ApiKeyState& state, const events::ApiKeyUsed&, const events::Metadata& m) { state.last_used_at_ms = m.occurred_at_ms; }

void evolve(ApiKeyState& state, const events::ApiKeyRevoked&, const events::Metadata& m) { state.revoked_at_ms = m.occurred_at_ms; }

}  // namespace debrief::commands
