// The pipelined write path under load on the real broker: 50 organizations send about 200 commands each at once,
// three at a time racing on the same action item with the same If-Match. Exactly one of each race wins, the versions
// of every aggregate in Kafka are 1..n without gap or repeat, every acknowledged command is in Kafka once at the
// position it was answered with, and nothing refused was folded.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "events/codec.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

constexpr int organizations = 50;
constexpr int items_per_organization = 5;
constexpr int rounds = 13;  // per item: 1 client + 5 items + 5 x 13 x 3 racers = 201 commands per organization
constexpr int racers = 3;

struct Win {
    std::string item;
    std::uint64_t version = 0;  // the item's version the winner made
    std::string position;
};

struct OrganizationRun {
    std::vector<std::string> aggregates;  // client and items, as created
    std::vector<Win> wins;
    int races = 0;
    int conflicts = 0;
    std::vector<std::string> unexpected;  // answers that were neither a win nor a version conflict
};

OrganizationRun drive(const HttpClient& client, const Account& account, int index) {
    OrganizationRun run;
    auto registered = client.post_json("/v1/clients", json::object{{"name", "Client " + std::to_string(index)}}, account.access_token);
    REQUIRE(registered.status == 201);
    const std::string client_id(registered.json().at("id").as_string());
    run.aggregates.push_back(client_id);
    std::vector<std::string> items;
    for (int i = 0; i < items_per_organization; ++i) {
        auto created = client.post_json("/v1/action-items", json::object{{"client_id", client_id}, {"title", "Task " + std::to_string(i)}},
                                        account.access_token);
        REQUIRE(created.status == 201);
        items.emplace_back(created.json().at("id").as_string());
        run.aggregates.push_back(items.back());
    }
    std::map<std::string, std::uint64_t> versions;
    for (const auto& item : items) versions[item] = 1;
    for (int round = 0; round < rounds; ++round) {
        // Every item's race of this round at once: racers per item with the same expected version.
        std::vector<std::pair<std::string, std::future<HttpResult>>> answers;
        for (const auto& item : items)
            for (int racer = 0; racer < racers; ++racer) {
                const auto due = std::to_string(2027 + round) + "-01-1" + std::to_string(racer);  // never the date it has
                answers.emplace_back(item, std::async(std::launch::async, [&client, &account, item, due, version = versions[item]] {
                                         return client.post_json("/v1/action-items/" + item + "/reschedule", json::object{{"due_date", due}},
                                                                 account.access_token, {{"If-Match", "\"" + std::to_string(version) + "\""}});
                                     }));
            }
        std::map<std::string, int> winners;
        for (auto& [item, answer] : answers) {
            auto result = answer.get();
            if (result.status == 200) {
                ++winners[item];
                run.wins.push_back({item, versions[item] + 1, std::string(result.json().at("position").as_string())});
            } else if (result.status == 409 && result.json().at("code").as_string() == "version_conflict") {
                ++run.conflicts;
            } else {
                run.unexpected.push_back(std::to_string(result.status) + " " + result.body);
            }
        }
        for (const auto& item : items) {
            ++run.races;
            if (winners[item] == 1) ++versions[item];
            else run.unexpected.push_back("race on " + item + " had " + std::to_string(winners[item]) + " winners");
        }
    }
    return run;
}

}  // namespace

TEST_CASE("50 organizations x 200 commands at once, racing on If-Match: one winner per race, versions 1..n, every acknowledged command in Kafka once") {
    Deployment deployment("pipelined_load");
    DebriefProcess debrief(deployment);
    auto client = debrief.client();
    std::vector<Account> accounts;
    for (int i = 0; i < organizations; ++i) accounts.push_back(sign_up(client, "Load " + std::to_string(i)));

    std::vector<std::future<OrganizationRun>> running;
    for (int i = 0; i < organizations; ++i)
        running.push_back(std::async(std::launch::async, [&client, &accounts, i] { return drive(client, accounts[i], i); }));
    std::vector<OrganizationRun> runs;
    for (auto& run : running) runs.push_back(run.get());

    std::set<std::string> ours;
    std::size_t wins = 0;
    for (const auto& run : runs) {
        CHECK_MESSAGE(run.unexpected.empty(), (run.unexpected.empty() ? std::string{} : run.unexpected.front()));
        CHECK(run.conflicts == run.races * (racers - 1));
        wins += run.wins.size();
        ours.insert(run.aggregates.begin(), run.aggregates.end());
    }
    CHECK(wins == static_cast<std::size_t>(organizations * items_per_organization * rounds));

    // Kafka: per aggregate, versions 1..n in log order; every event id once.
    std::map<std::string, std::vector<std::uint64_t>> versions;
    std::map<std::string, std::pair<std::string, std::uint64_t>> at_position;  // "p:o" -> aggregate, version
    std::set<std::string> event_ids;
    std::size_t duplicates = 0;
    for (const auto& record : read_topic(deployment.events_topic)) {
        auto event = events::decode(record.value, nullptr);  // metadata only
        REQUIRE(event.ok());
        const auto& metadata = event->metadata;
        if (!ours.contains(metadata.aggregate_id)) continue;
        if (!event_ids.insert(metadata.event_id).second) ++duplicates;
        versions[metadata.aggregate_id].push_back(metadata.aggregate_version);
        at_position[std::to_string(record.partition) + ":" + std::to_string(record.offset)] = {metadata.aggregate_id, metadata.aggregate_version};
    }
    CHECK(duplicates == 0);
    CHECK(versions.size() == ours.size());
    std::size_t gaps = 0;
    for (const auto& [aggregate, seen] : versions)
        for (std::size_t i = 0; i < seen.size(); ++i)
            if (seen[i] != i + 1) ++gaps;
    CHECK(gaps == 0);

    // Every win is in Kafka at the position it was answered with, as the version it made; and nothing else was folded.
    std::size_t misplaced = 0;
    std::map<std::string, std::size_t> wins_per_item;
    for (const auto& run : runs)
        for (const auto& win : run.wins) {
            ++wins_per_item[win.item];
            auto found = at_position.find(win.position);
            if (found == at_position.end() || found->second != std::pair{win.item, win.version}) ++misplaced;
        }
    CHECK(misplaced == 0);
    for (const auto& [item, count] : wins_per_item) CHECK(versions[item].size() == count + 1);  // created, then each win
    MESSAGE("acknowledged wins: " << wins << ", aggregates: " << ours.size() << ", events checked: " << event_ids.size());
}
