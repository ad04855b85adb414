// Registering clients: who may, what a valid client is, and the unique name per coach that speaker matching needs.
#include "commands/client.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "commands/authorization.hpp"
#include "commands/organization.hpp"
#include "commands/text_rules.hpp"

namespace debrief::commands {

std::string client_name_key(std::string_view name) {
    std::string key;
    bool space = false;
    for (unsigned char c : trim(name)) {
        if (std::isspace(c)) {
            space = true;
            continue;
        }
        if (space && !key.empty()) key += ' ';
        space = false;
        key += static_cast<char>(std::tolower(c));
    }
    return key;
}

namespace {

Result<std::vector<std::string>> clean_tags(const std::vector<std::string>& tags) {
    if (tags.size() > max_client_tags) return invalid("too_many_tags", "a client has at most " + std::to_string(max_client_tags) + " tags");
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& tag : tags) {
        auto trimmed = std::string(trim(tag));
        if (trimmed.empty()) return invalid("invalid_tag", "tags must not be empty");
        if (trimmed.size() > max_tag_length) return invalid("invalid_tag", "a tag is at most " + std::to_string(max_tag_length) + " characters");
        if (std::any_of(trimmed.begin(), trimmed.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            return invalid("invalid_tag", "tags must not contain control characters");
        if (seen.insert(client_name_key(trimmed)).second) out.push_back(std::move(trimmed));
    }
    return out;
}

}  // namespace

Result<std::vector<events::Payload>> decide(const ClientState& client, const RegisterClient& command, const UserState& coach, bool name_taken) {
    if (auto refused = refusal_to_manage_client(command.actor, command.coach_id, coach)) return *refused;
    if (client.exists) return conflict("client_exists", "a client with this id already exists");
    if (auto bad = check_name("name", command.name)) return *bad;
    std::string email;
    if (!trim(command.email).empty()) {
        email = normalize_email(command.email);
        if (!looks_like_email(email)) return invalid("invalid_email", "email is not a valid e-mail address");
    }
    auto tags = clean_tags(command.tags);
    if (!tags) return tags.error();
    auto team = std::string(trim(command.team));
    if (!team.empty())
        if (auto bad = check_name("team", team)) return *bad;
    if (name_taken) return conflict("client_name_taken", "this coach already has a client named '" + std::string(trim(command.name)) + "'");
    return std::vector<events::Payload>{events::ClientRegistered{command.client_id, std::string(trim(command.name)), email, std::move(tags).value(),
                                                                 team, command.coach_id, command.source}};
}

Result<std::vector<events::Payload>> decide(const ClientState& client, const EraseClient& command) {
    if (!client.exists || !visible_to(command.actor, client.organization_id)) return not_found("client_not_found", "no such client");
    if (command.actor.role != "admin") return Error{ErrorKind::forbidden, "forbidden", "only an admin may erase a client"};
    if (client.erased) return conflict("client_erased", "the client is already erased");
    return std::vector<events::Payload>{events::ClientErased{command.client_id, command.subjects}};
}

void evolve(ClientState& state, const events::ClientErased&, const events::Metadata&) {
    state.erased = true;
    state.name.clear();
    state.email.clear();
    state.tags.clear();
    state.team.clear();
}

void evolve(ClientState& state, const events::ClientRegistered& registered, const events::Metadata& m) {
    state.exists = true;
    state.organization_id = m.organization_id;
    state.name = registered.name;
    state.email = registered.email;
    state.tags = registered.tags;
    state.team = registered.team;
    state.coach_id = registered.coach_id;
}

}  // namespace debrief::commands
