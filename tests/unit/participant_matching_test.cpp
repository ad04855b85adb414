// Speaker matching: finding the coach, mapping speakers to the coach's clients, registering the unknown ones.
#include <doctest/doctest.h>

#include "commands/participant_matching.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {
MatchInput input_with(std::vector<std::string> speakers) {
    MatchInput input;
    input.speakers = std::move(speakers);
    input.coach_name = "Sam Okafor";
    input.spare_ids = {ClientId{"new-1"}, ClientId{"new-2"}, ClientId{"new-3"}};
    return input;
}
std::string coach_of(const std::vector<SpeakerMatch>& matches) {
    for (const auto& m : matches)
        if (m.is_coach) return m.speaker;
    return "";
}
}  // namespace

TEST_CASE("the coach speaker: named by the uploader, else by the coach's name, first name, title, else the first speaker") {
    auto named = input_with({"Agent Bo", "Sam", "Leader"});
    named.coach_speaker = "leader";
    CHECK(coach_of(match_participants(named).value()) == "Leader");
    CHECK(coach_of(match_participants(input_with({"Maria", "Sam Okafor"})).value()) == "Sam Okafor");
    CHECK(coach_of(match_participants(input_with({"Maria", "sam"})).value()) == "sam");
    CHECK(coach_of(match_participants(input_with({"Maria", "Team Lead (Ravi)"})).value()) == "Team Lead (Ravi)");
    CHECK(coach_of(match_participants(input_with({"Maria", "Coach"})).value()) == "Coach");
    CHECK(coach_of(match_participants(input_with({"Speaker 1", "Speaker 2"})).value()) == "Speaker 1");
    // "Coachella" is no title; a word boundary is.
    CHECK(coach_of(match_participants(input_with({"Maria", "Coachella Fan"})).value()) == "Maria");
}

TEST_CASE("a first name that is also a client's name is not taken for the coach") {
    auto input = input_with({"Sam", "Dana"});
    input.coach_clients = {{"sam", ClientId{"client-sam"}}};
    auto matches = match_participants(input).value();
    CHECK(coach_of(matches) == "Sam");  // still the first speaker by the last rule...
    input.speakers = {"Dana", "Sam", "Coach Lee"};
    matches = match_participants(input).value();
    CHECK(coach_of(matches) == "Coach Lee");  // ...but a title wins over a client's first name
    CHECK(matches[1].client_id.value == "client-sam");
}

TEST_CASE("speakers map to explicit clients first, then to the coach's clients by name, else become new clients") {
    auto input = input_with({"Coach", "Maria Lopez", "JON", "Priya", "Alex"});
    input.explicit_clients = {{"priya", ClientId{"client-priya"}}};
    input.coach_clients = {{"maria lopez", ClientId{"client-maria"}}, {"jon", ClientId{"client-jon"}}};
    auto matches = match_participants(input);
    REQUIRE(matches.ok());
    REQUIRE(matches->size() == 5);
    CHECK((*matches)[0].is_coach);
    CHECK((*matches)[0].client_id.empty());
    CHECK((*matches)[1].client_id.value == "client-maria");
    CHECK((*matches)[2].client_id.value == "client-jon");
    CHECK((*matches)[3].client_id.value == "client-priya");
    CHECK_FALSE((*matches)[3].new_client);
    CHECK((*matches)[4].client_id.value == "new-1");
    CHECK((*matches)[4].new_client);
}

TEST_CASE("a client explicitly mapped to one speaker is not also matched to another by name") {
    auto input = input_with({"Coach", "Maria", "Mystery Caller"});
    input.explicit_clients = {{"Mystery Caller", ClientId{"client-maria"}}};
    input.coach_clients = {{"maria", ClientId{"client-maria"}}};
    auto matches = match_participants(input).value();
    CHECK(matches[2].client_id.value == "client-maria");
    CHECK(matches[1].client_id.value == "new-1");
}

TEST_CASE("'Unknown' (a cue without a voice) is neither the coach nor a client") {
    auto matches = match_participants(input_with({"Coach", "Unknown", "Maria"})).value();
    CHECK_FALSE(matches[1].is_coach);
    CHECK(matches[1].client_id.empty());
    CHECK_FALSE(matches[1].new_client);
    CHECK(matches[2].client_id.value == "new-1");
}

TEST_CASE("more new speakers than spare ids is refused, not truncated") {
    auto input = input_with({"Coach", "A", "B", "C", "D"});
    auto matches = match_participants(input);
    REQUIRE_FALSE(matches.ok());
    CHECK(matches.error().code == "too_many_speakers");
}

TEST_CASE("mapping checks: unknown speakers, the coach as a client, doubles") {
    std::vector<std::string> speakers{"Coach", "Maria", "Jon"};
    CHECK_FALSE(check_speaker_mapping(speakers, {{"maria", ClientId{"c1"}}}, "coach").has_value());
    CHECK(check_speaker_mapping(speakers, {{"Zed", ClientId{"c1"}}}, "").value().code == "unknown_speaker");
    CHECK(check_speaker_mapping(speakers, {}, "Zed").value().code == "unknown_speaker");
    CHECK(check_speaker_mapping(speakers, {{"Coach", ClientId{"c1"}}}, "Coach").value().code == "invalid_field");
    CHECK(check_speaker_mapping(speakers, {{"Maria", ClientId{"c1"}}, {"MARIA", ClientId{"c2"}}}, "").value().code == "invalid_field");
    CHECK(check_speaker_mapping(speakers, {{"Maria", ClientId{"c1"}}, {"Jon", ClientId{"c1"}}}, "").value().code == "invalid_field");
}
