// A session that can never be parsed (accepted by an older, looser build) is not retried at every start for ever:
// the parse that resumes it at start refuses it for good, appends debrief.session.processing_failed, and the
// session answers `failed` with the reason; the next start leaves it alone.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/kafka_event_log.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;

namespace {

std::size_t failures_on_topic(const Deployment& deployment) {
    std::size_t count = 0;
    for (const auto& record : read_topic(deployment.events_topic)) {
        auto type = record.headers.find("ce_type");
        if (type != record.headers.end() && type->second == "debrief.session.processing_failed") ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("a stored session that can never be parsed becomes failed at start, says why, and is left alone after") {
    Deployment deployment("session_failed");
    Account acme;
    {
        DebriefProcess debrief(deployment);
        acme = sign_up(debrief.client(), "Acme");
        REQUIRE(debrief.stop() == 0);
    }
    // As an older build could have written it: more speakers than a parse may register clients for.
    const std::string session_id = "5d0f8a3c-1b2e-4c6d-9e8f-0a1b2c3d4e5f";
    std::string text;
    for (int i = 0; i < 102; ++i) text += "Speaker " + std::to_string(i) + ": hello\n";
    auto older_build = other_writer(deployment, "older-build");
    const OrganizationId organization{acme.organization_id};
    std::vector<events::Event> legacy{
        {{"legacy-1", organization, session_id, 1, 1'800'000'000'000, {}}, events::SessionCreated{SessionId{session_id}, UserId{acme.user_id}, "2026-11-20", "group_workshop"}},
        {{"legacy-2", organization, session_id, 2, 1'800'000'000'000, {}}, events::TranscriptUploaded{SessionId{session_id}, "plain", text, {}, ""}},
    };
    REQUIRE(older_build->append(legacy).ok());
    older_build.reset();

    {
        DebriefProcess debrief(deployment);
        auto client = debrief.client();
        const auto& token = acme.access_token;  // the deployment keeps its signing secret across restarts
        HttpResult session;
        REQUIRE(eventually(std::chrono::seconds(30), [&] {
            session = client.get("/v1/sessions/" + session_id, token);
            return session.status == 200 && session.json().at("status").as_string() == "failed";
        }));
        const auto body = session.json();
        const auto& failure = body.at("failure").as_object();
        CHECK(failure.at("stage").as_string() == "parse");
        CHECK_FALSE(failure.at("code").as_string().empty());
        CHECK_FALSE(failure.at("reason").as_string().empty());
        CHECK(failures_on_topic(deployment) == 1);
        REQUIRE(debrief.stop() == 0);
    }
    {
        // The next start does not parse it again: still one failure on the topic, the session still failed.
        DebriefProcess debrief(deployment);
        auto client = debrief.client();
        const auto& token = acme.access_token;  // the deployment keeps its signing secret across restarts
        auto session = client.get("/v1/sessions/" + session_id, token);
        REQUIRE(session.status == 200);
        CHECK(session.json().at("status").as_string() == "failed");
        CHECK(failures_on_topic(deployment) == 1);
    }
}
