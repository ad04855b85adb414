// Speaker-to-person matching: names compared by client_name_key, so "maria  LOPEZ" is Maria Lopez.
#include "commands/participant_matching.hpp"

#include <array>
#include <set>

#include "commands/client.hpp"

namespace debrief::commands {
namespace {

bool has_coaching_title(std::string_view key) {
    constexpr std::array<std::string_view, 11> titles{"coach",      "facilitator", "trainer",    "team lead", "team leader", "supervisor",
                                                      "manager",    "interviewer", "host",       "tl",        "moderator"};
    for (auto title : titles) {
        for (auto at = key.find(title); at != std::string_view::npos; at = key.find(title, at + 1)) {
            bool starts = at == 0 || key[at - 1] == ' ' || key[at - 1] == '(';
            auto end = at + title.size();
            bool ends = end == key.size() || key[end] == ' ' || key[end] == ')' || key[end] == ':';
            if (starts && ends) return true;
        }
    }
    return false;
}

std::string first_word(std::string_view key) { return std::string(key.substr(0, key.find(' '))); }

std::optional<std::size_t> find_coach(const MatchInput& input) {
    const auto& speakers = input.speakers;
    if (speakers.empty()) return std::nullopt;
    auto find = [&](auto predicate) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < speakers.size(); ++i)
            if (predicate(client_name_key(speakers[i]))) return i;
        return std::nullopt;
    };
    if (!input.coach_speaker.empty()) return find([&](const std::string& key) { return key == client_name_key(input.coach_speaker); });
    auto coach_key = client_name_key(input.coach_name);
    if (!coach_key.empty()) {
        if (auto exact = find([&](const std::string& key) { return key == coach_key; })) return exact;
        // "Sam" in the transcript for the user "Sam Okafor"; only when the first name is not also a client's.
        if (auto first = find([&](const std::string& key) { return key == first_word(coach_key) && !input.coach_clients.contains(key); }))
            return first;
    }
    if (auto titled = find(has_coaching_title)) return titled;
    return 0;
}

}  // namespace

std::optional<Error> check_speaker_mapping(const std::vector<std::string>& speakers, const std::vector<events::SpeakerClient>& explicit_clients,
                                           const std::string& coach_speaker) {
    std::set<std::string> known;
    for (const auto& s : speakers) known.insert(client_name_key(s));
    if (!coach_speaker.empty() && !known.contains(client_name_key(coach_speaker)))
        return invalid("unknown_speaker", "coach_speaker '" + coach_speaker + "' does not speak in the transcript");
    std::set<std::string> mapped_speakers;
    std::set<ClientId> mapped_clients;
    for (const auto& m : explicit_clients) {
        auto key = client_name_key(m.speaker);
        if (!known.contains(key)) return invalid("unknown_speaker", "the speaker '" + m.speaker + "' in clients does not speak in the transcript");
        if (!coach_speaker.empty() && key == client_name_key(coach_speaker))
            return invalid("invalid_field", "the coach speaker '" + m.speaker + "' cannot also be a client");
        if (!mapped_speakers.insert(key).second) return invalid("invalid_field", "the speaker '" + m.speaker + "' is mapped twice");
        if (!mapped_clients.insert(m.client_id).second)
            return invalid("invalid_field", "the client '" + m.client_id.value + "' is mapped to two speakers");
    }
    return std::nullopt;
}

Result<std::vector<SpeakerMatch>> match_participants(const MatchInput& input) {
    auto coach = find_coach(input);
    std::map<std::string, ClientId> explicit_clients;
    std::set<ClientId> taken;  // a client is one speaker: explicitly mapped ones are never matched by name too
    for (const auto& m : input.explicit_clients) {
        explicit_clients[client_name_key(m.speaker)] = m.client_id;
        taken.insert(m.client_id);
    }
    std::vector<SpeakerMatch> matches;
    std::size_t spare = 0;
    for (std::size_t i = 0; i < input.speakers.size(); ++i) {
        const auto& speaker = input.speakers[i];
        auto key = client_name_key(speaker);
        if (coach && *coach == i && !explicit_clients.contains(key)) {
            matches.push_back({speaker, true, {}, false});
            continue;
        }
        SpeakerMatch match{speaker, false, {}, false};
        if (key == "unknown" && !explicit_clients.contains(key)) {  // a cue without a voice: nobody to register or summarise
            matches.push_back(std::move(match));
            continue;
        }
        if (auto it = explicit_clients.find(key); it != explicit_clients.end()) {
            match.client_id = it->second;
        } else if (auto known = input.coach_clients.find(key); known != input.coach_clients.end() && !taken.contains(known->second)) {
            match.client_id = known->second;
        } else {
            if (spare == input.spare_ids.size())
                return invalid("too_many_speakers", "a transcript may bring at most " + std::to_string(input.spare_ids.size()) + " new clients");
            match.client_id = input.spare_ids[spare++];
            match.new_client = true;
        }
        taken.insert(match.client_id);
        matches.push_back(std::move(match));
    }
    return matches;
}

}  // namespace debrief::commands
