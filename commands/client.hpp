// The client aggregate (a coachee or call-centre agent) and the command that registers one with its coach.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/aggregate.hpp"
#include "commands/actor.hpp"
#include "common/result.hpp"
#include "commands/user.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct ClientState {
    bool exists = false;
    std::uint64_t version = 0;
    OrganizationId organization_id;
    std::string name;
    std::string email;
    std::vector<std::string> tags;
    std::string team;
    UserId coach_id;
    bool erased = false;  // nothing of the person is kept: no name, e-mail or tags
};

struct RegisterClient {
    ClientId client_id;  // chosen by the handler
    Actor actor;
    std::string name;
    std::string email;  // optional
    std::vector<std::string> tags;
    std::string team;
    UserId coach_id;  // resolved by the handler: the request's coach_id, else the actor
    std::string source = "manual";
};

// subjects: the data subjects whose keys go with the client (WriteModel::subjects_of_client).
struct EraseClient {
    ClientId client_id;
    Actor actor;
    std::vector<std::string> subjects;
};

inline constexpr std::size_t max_client_tags = 20;
inline constexpr std::size_t max_tag_length = 50;

// coach: the state of command.coach_id; name_taken: the coach already has a client of this name (names are how
// transcript speakers are matched to clients, so they are unique per coach, ignoring case).
Result<std::vector<events::Payload>> decide(const ClientState& client, const RegisterClient& command, const UserState& coach, bool name_taken);
// What each event of the aggregate changes; commands/aggregate.hpp's fold() adds the version.
// Admins only; an erased client is gone for good.
Result<std::vector<events::Payload>> decide(const ClientState& client, const EraseClient& command);
void evolve(ClientState& state, const events::ClientRegistered& event, const events::Metadata& metadata);
void evolve(ClientState& state, const events::ClientErased& event, const events::Metadata& metadata);
using Client = Aggregate<ClientId, ClientState>;

// The key under which a coach's client names are unique: lower-cased ASCII, single spaces.
std::string client_name_key(std::string_view name);

}  // namespace debrief::commands
