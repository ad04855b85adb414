// Rate limits on the real server: each user's requests a minute, each address's logins, with 429, Retry-After and
// the RateLimit headers; one user's excess never refuses another's requests.
#include <doctest/doctest.h>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

TEST_CASE("rate limits: a user's requests beyond the limit get 429 with Retry-After; other users and addresses go on") {
    Deployment deployment("rate_limits");
    DebriefProcess debrief(deployment, {{"DEBRIEF_RATE_LIMITS", "on"}, {"DEBRIEF_RATE_LIMIT_PER_MINUTE", "5"}, {"DEBRIEF_AUTH_RATE_LIMIT_PER_MINUTE", "4"}});
    auto client = debrief.client();
    auto ada = sign_up(client, "Limited One");    // the address's first and second sign-up or login
    auto bob = sign_up(client, "Limited Two");

    for (int i = 0; i < 5; ++i) {
        auto answer = client.get("/v1/clients", ada.access_token);
        REQUIRE_MESSAGE(answer.status == 200, answer.body);
        CHECK(answer.header("ratelimit-policy") == "5;w=60");
        CHECK(answer.header("ratelimit").starts_with("limit=5, remaining=" + std::to_string(4 - i) + ","));
    }
    auto refused = client.get("/v1/clients", ada.access_token);
    CHECK(refused.status == 429);
    CHECK(std::string(refused.json().at("code").as_string()) == "rate_limited");
    CHECK(std::stoi(refused.header("retry-after")) >= 1);
    CHECK(refused.header("ratelimit").starts_with("limit=5, remaining=0,"));
    CHECK(client.get("/v1/clients", bob.access_token).status == 200);  // another user's bucket
    CHECK(client.get("/healthz").status == 200);                        // probes are never limited

    // Sign-ups, logins and refreshes by address: two sign-ups above, two more pass, the fifth is refused.
    auto login = [&] { return client.post_json("/v1/auth/login", json::object{{"email", ada.email}, {"password", ada.password}}); };
    CHECK(login().status == 200);
    CHECK(login().status == 200);
    auto too_many = login();
    CHECK(too_many.status == 429);
    CHECK(std::string(too_many.json().at("code").as_string()) == "rate_limited");

    auto scraped = client.get("/metrics");
    CHECK(scraped.body.find("debrief_rate_limited_total{scope=\"http\"} 2") != std::string::npos);
}
