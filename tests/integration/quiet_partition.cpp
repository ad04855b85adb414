#include "tests/integration/quiet_partition.hpp"

#include <doctest/doctest.h>

#include <chrono>

namespace debrief::it {
namespace json = boost::json;
using namespace std::chrono_literals;

QuietPartition sign_up_alone(const Deployment& deployment, const HttpClient& client) {
    auto response = client.post_json("/v1/signup", json::object{{"organization", "Quiet Coaching"}, {"name", "Ada Admin"},
                                                                {"email", "ada@quiet.example.com"}, {"password", "correct horse battery staple"}});
    REQUIRE(response.status == 201);
    QuietPartition quiet;
    quiet.token = std::string(response.json().at("access_token").as_string());
    auto position = std::string(response.json().at("position").as_string());
    quiet.partition = std::stoi(position.substr(0, position.find(':')));
    quiet.last = std::stoll(position.substr(position.find(':') + 1));
    // The broker writes the commit marker just after the commit: wait until the log's end is past it.
    REQUIRE(eventually(10s, [&] { return topic_ends(deployment.events_topic)[quiet.partition] == quiet.end(); }));
    return quiet;
}

std::string position_target(int partition, std::int64_t offset, int wait_ms) {
    return "/v1/clients?position=" + std::to_string(partition) + ":" + std::to_string(offset) + "&wait_ms=" + std::to_string(wait_ms);
}

}  // namespace debrief::it
