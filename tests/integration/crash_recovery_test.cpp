// A crash mid-stream (SIGKILL while commands and projections are in flight) loses no accepted command and
// applies no event twice: rows and offsets commit together, and the restarted process resumes from them.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "events/codec.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::string transcript_for(int n) {
    return "Coach Sam: Session " + std::to_string(n) + ", what went well?\nAgent " + std::to_string(n % 7) +
           ": The new greeting worked.\nCoach Sam: Good, keep it.\n";
}

// Every session, parse and participant the log holds for an organization, as the read models must show them.
struct LogTotals {
    std::set<std::string> sessions;
    std::set<std::string> parsed;
    std::size_t participants = 0;
};

LogTotals totals_in_log(const Deployment& deployment, const std::string& organization) {
    LogTotals totals;
    for (const auto& record : read_topic(deployment.events_topic)) {
        auto event = events::decode(record.value);
        REQUIRE(event.ok());
        if (event->metadata.organization_id.value != organization) continue;
        if (const auto* created = std::get_if<events::SessionCreated>(&event->payload)) totals.sessions.insert(created->session_id.value);
        if (const auto* parsed = std::get_if<events::TranscriptParsed>(&event->payload)) {
            totals.parsed.insert(parsed->session_id.value);
            totals.participants += parsed->participants.size();
        }
    }
    return totals;
}

// Caught up when the stored offsets are past the last event of each partition (transaction markers come after it).
bool projector_caught_up(const Deployment& deployment) {
    std::map<int, std::int64_t> ends;
    for (const auto& record : read_topic(deployment.events_topic)) ends[record.partition] = record.offset + 1;
    for (auto [partition, end] : ends) {
        auto stored = query(deployment, "select next_offset from projection_offsets where projector = 'postgres' and topic = $1 and partition = $2",
                            {deployment.events_topic, std::to_string(partition)});
        if (stored.empty() || std::stoll(stored[0][0]) < end) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("killing Debrief while it writes and projects, then restarting it, neither loses nor duplicates anything") {
    Deployment deployment("crash");
    // One event per transaction makes it likely that the kill lands between two projector commits.
    auto first = std::make_unique<DebriefProcess>(deployment, std::map<std::string, std::string>{{"DEBRIEF_PROJECTOR_BATCH_SIZE", "1"}});
    auto account = sign_up(first->client(), "Crashworthy Coaching");

    std::mutex mutex;
    std::vector<std::string> accepted;  // answered 201: these must survive
    std::atomic<bool> stop_writing{false};
    std::atomic<int> next{0};
    std::vector<std::thread> writers;
    const auto port = first->port();
    for (int w = 0; w < 3; ++w)
        writers.emplace_back([&, port] {
            HttpClient client(port);
            while (!stop_writing) {
                int n = next++;
                try {
                    auto response = client.post_json("/v1/sessions", session_body("plain", transcript_for(n)), account.access_token);
                    if (response.status == 201) {
                        std::lock_guard lock(mutex);
                        accepted.push_back(std::string(response.json().at("id").as_string()));
                    }
                } catch (const std::exception&) {
                    return;  // the server died under us: expected
                }
            }
        });
    const bool enough = eventually(std::chrono::seconds(60), [&] {
        std::lock_guard lock(mutex);
        return accepted.size() >= 60;
    });
    first->kill_hard();
    stop_writing = true;
    for (auto& writer : writers) writer.join();
    REQUIRE(enough);
    first.reset();

    DebriefProcess second(deployment);
    auto client = second.client();
    // One more command after the restart: once the new projector has applied it, it has applied everything before it
    // on the organization's partition, from wherever it resumed. Stored offsets alone would already look caught up.
    auto after = client.post_json("/v1/sessions", session_body("plain", transcript_for(-1)), account.access_token);
    REQUIRE(after.status == 201);
    accepted.push_back(std::string(after.json().at("id").as_string()));
    auto seen = client.get("/v1/sessions/" + accepted.back() + "?position=" + std::string(after.json().at("position").as_string()) +
                               "&wait_ms=30000",
                           account.access_token);
    REQUIRE_MESSAGE(seen.status == 200, seen.body);
    REQUIRE(eventually(std::chrono::seconds(60), [&] { return projector_caught_up(deployment); }));
    auto log = totals_in_log(deployment, account.organization_id);
    INFO("accepted " << accepted.size() << ", in the log " << log.sessions.size());

    // Nothing accepted is lost...
    for (const auto& id : accepted) CHECK(log.sessions.contains(id));
    CHECK(log.parsed == log.sessions);
    // ...and the read model holds exactly what the log holds: no row lost, none applied twice.
    const std::vector<std::string> org{account.organization_id};
    CHECK(query_number(deployment, "select count(*) from sessions where organization_id = $1", org) == static_cast<std::int64_t>(log.sessions.size()));
    CHECK(query_number(deployment, "select count(*) from sessions where organization_id = $1 and status = 'analysed'", org) ==
          static_cast<std::int64_t>(log.sessions.size()));
    CHECK(query_number(deployment, "select count(*) from session_participants where organization_id = $1", org) ==
          static_cast<std::int64_t>(log.participants));
    // The weekly counter is incremented once per SessionCreated: a replayed event would show here.
    CHECK(query_number(deployment, "select sum(sessions) from coach_weekly_stats where organization_id = $1", org) ==
          static_cast<std::int64_t>(log.sessions.size()));

    // The RocksDB read model caught up too: every accepted session's transcript is there.
    std::map<int, std::int64_t> last_event;
    for (const auto& record : read_topic(deployment.events_topic)) last_event[record.partition] = record.offset;
    for (auto [partition, offset] : last_event) {
        auto position = std::to_string(partition) + ":" + std::to_string(offset);
        auto read = client.get("/v1/sessions/" + accepted.front() + "/transcript?position=" + position + "&wait_ms=30000", account.access_token);
        CHECK(read.status == 200);
    }
    for (const auto& id : accepted) {
        auto read = client.get("/v1/sessions/" + id + "/transcript", account.access_token);
        CHECK(read.status == 200);
        if (read.status == 200) CHECK(read.json().at("segments").as_array().size() == 3);
    }
}
