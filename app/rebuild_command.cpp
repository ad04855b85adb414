#include "app/rebuild_command.hpp"

#include "app/admin_client.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

namespace debrief::app {
namespace {

namespace json = boost::json;

constexpr const char* usage_text =
        "usage: debrief rebuild postgres|search [--url http://127.0.0.1:8080] --token <an admin's access token>\n"
        "Rebuilds the read model from the first event inside the running Debrief at --url, beside the live one, and switches\n"
        "to it once it has caught up; shows the progress until it is done.\n";

void draw(const json::object& status, bool terminal) {
    if (!terminal) {
        std::cout << json::serialize(status) << std::endl;
        return;
    }
    std::int64_t done = 0, total = 0;
    for (const auto& p : status.at("partitions").as_array()) {
        done += p.at("offset").to_number<std::int64_t>();
        total += p.at("end").to_number<std::int64_t>();
    }
    const double share = total > 0 ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total)) : 1.0;
    constexpr int width = 30;
    const int filled = static_cast<int>(share * width);
    const auto& eta = status.at("eta_seconds");
    std::printf("\r%-9s [%s%s] %5.1f%%  %lld/%lld  %.0f events/s  ETA %s   ", std::string(status.at("state").as_string()).c_str(),
                std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), share * 100, static_cast<long long>(done),
                static_cast<long long>(total), status.at("events_per_second").to_number<double>(),
                eta.is_null() ? "?" : (std::to_string(static_cast<long long>(eta.to_number<double>() + 0.5)) + " s").c_str());
    std::fflush(stdout);
}

int refuse(const std::string& message, int status) {
    std::cerr << message;
    return status;
}

}  // namespace

int rebuild_command(const std::vector<std::string>& arguments) {
    std::string read_model, url = "http://127.0.0.1:8080", token;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const auto& a = arguments[i];
        if ((a == "--url" || a == "--token") && i + 1 < arguments.size()) (a == "--url" ? url : token) = arguments[++i];
        else if (a.starts_with("--url=")) url = a.substr(6);
        else if (a.starts_with("--token=")) token = a.substr(8);
        else if (a == "--help" || a == "-h") {
            std::cout << usage_text;
            return 0;
        } else if (read_model.empty() && !a.starts_with("--")) read_model = a;
        else return refuse("debrief rebuild: unknown argument '" + a + "'\n" + usage_text, 2);
    }
    if (read_model.empty() || token.empty()) return refuse(usage_text, 2);
    const auto server = parse_admin_url(url);
    if (!server) return refuse("debrief rebuild: --url must be http://host:port, e.g. http://127.0.0.1:8080\n", 2);
    const bool terminal = ::isatty(STDOUT_FILENO) == 1;
    try {
        auto started = exchange(*server, "POST", "/v1/admin/rebuilds", token, json::serialize(json::object{{"read_model", read_model}}));
        if (started.status != 202) return refuse("debrief rebuild: " + detail_of(started) + "\n", 1);
        const auto id = std::string(json::parse(started.body).at("id").as_string());
        if (terminal) std::cout << "rebuild " << id << " of " << read_model << " (GET /v1/admin/rebuilds/" << id << ")\n";
        while (true) {
            auto polled = exchange(*server, "GET", "/v1/admin/rebuilds/" + id, token);
            if (polled.status != 200)
                return refuse("\ndebrief rebuild: " + detail_of(polled) + " (the rebuild goes on: GET /v1/admin/rebuilds/" + id + ")\n", 1);
            const auto status = json::parse(polled.body).as_object();
            draw(status, terminal);
            const auto state = std::string(status.at("state").as_string());
            if (state == "done" || state == "failed") {
                if (terminal) std::cout << "\n";
                if (state == "failed") return refuse("debrief rebuild: failed: " + std::string(status.at("error").as_string()) + "\n", 1);
                if (terminal) std::cout << "done; matches the live read model: " << json::serialize(status.at("matches_live")) << "\n";
                return 0;
            }
            std::this_thread::sleep_for(std::chrono::seconds(1));  // the refresh rate of the progress, not synchronisation
        }
    } catch (const std::exception& e) {
        std::cerr << "debrief rebuild: " << url << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace debrief::app
