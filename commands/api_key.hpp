// The API key aggregate: an integrator's key to the HTTP API. An admin creates it with a name and scopes (read: the
// reads; write: the commands too), and it acts for the admin who created it, never beyond that admin's role; it is
// revoked by an admin, at once and for good. The secret is minted outside the domain (api/auth/api_key_token.hpp);
// only its hash is stored, as a private record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "commands/aggregate.hpp"
#include "common/result.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct ApiKeyState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    std::string name;
    std::vector<std::string> scopes;
    std::string prefix;
    UserId created_by;
    std::int64_t created_at_ms = 0;
    std::int64_t last_used_at_ms = 0;  // the newest ApiKeyUsed; 0 before the first
    std::int64_t revoked_at_ms = 0;    // 0 while it may be used
    bool has_scope(std::string_view scope) const;
};

inline constexpr std::size_t max_api_key_name_length = 100;
inline constexpr std::size_t max_api_keys_per_organization = 100;

struct CreateApiKey {
    ApiKeyId api_key_id;
    Actor actor;
    std::string name;
    std::vector<std::string> scopes;  // any order, repeats allowed
};

struct RevokeApiKey {
    ApiKeyId api_key_id;
    Actor actor;
};

// "dbk_" and the id's first 8 hex digits.
std::string api_key_prefix(const ApiKeyId& id);

// live_keys: how many keys of the organization are not revoked.
Result<std::vector<events::Payload>> decide(const ApiKeyState& key, const CreateApiKey& command, std::size_t live_keys);
Result<std::vector<events::Payload>> decide(const ApiKeyState& key, const RevokeApiKey& command);

void evolve(ApiKeyState& state, const events::ApiKeyCreated& event, const events::Metadata& metadata);
void evolve(ApiKeyState& state, const events::ApiKeyUsed& event, const events::Metadata& metadata);
void evolve(ApiKeyState& state, const events::ApiKeyRevoked& event, const events::Metadata& metadata);
using ApiKey = Aggregate<ApiKeyId, ApiKeyState>;

}  // namespace debrief::commands
