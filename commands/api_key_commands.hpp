// The API key area's commands: create a key (its secret's hash stored first, as a private record), revoke it, and
// record that it was used.
#pragma once

#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "commands/command_handler.hpp"

namespace debrief::commands {

// secret_hash: of the secret the caller minted and will show once. The hash is stored before the key exists: a crash
// in between leaves a hash no key names, never a key without its hash.
Result<Accepted> create_api_key(CommandHandler& handler, const Actor& actor, const ApiKeyId& id, std::string name, std::vector<std::string> scopes,
                                std::string secret_hash, const CommandContext& context);
Result<Accepted> revoke_api_key(CommandHandler& handler, const Actor& actor, const ApiKeyId& id, const CommandContext& context);
// The key authenticated a request, acting as `actor` (its creator).
Result<Accepted> record_api_key_use(CommandHandler& handler, const Actor& actor, const ApiKeyId& id, const CommandContext& context);

}  // namespace debrief::commands
