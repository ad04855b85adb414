// `debrief serve`: every role in one process, stopped gracefully by SIGINT or SIGTERM; `debrief rebuild`: drives a
// rebuild of a read model in a running one (rebuild_command.hpp); `debrief export`: streams events out of a running
// one (export_command.hpp).
#include <csignal>
#include <iostream>

#include "app/config.hpp"
#include "app/export_command.hpp"
#include "app/logging.hpp"
#include "app/rebuild_command.hpp"
#include "app/service.hpp"
#include "common/json_log.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> arguments(argv + 1, argv + argc);
    if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
        std::cout << debrief::app::usage();
        return arguments.empty() ? 2 : 0;
    }
    if (arguments[0] == "rebuild") return debrief::app::rebuild_command({arguments.begin() + 1, arguments.end()});
    if (arguments[0] == "export") return debrief::app::export_command({arguments.begin() + 1, arguments.end()});
    if (arguments[0] != "serve") {
        std::cerr << "debrief: unknown command '" << arguments[0] << "'\n" << debrief::app::usage();
        return 2;
    }
    arguments.erase(arguments.begin());
    auto config = debrief::app::load_config(arguments);
    if (!config) {
        std::cerr << "debrief: " << config.error().message << "\n";
        return 2;
    }
    debrief::app::configure_logging(config->log_level);

    // From here on SIGINT and SIGTERM are the service's (an asio::signal_set, no handler in signal context): one
    // that arrives while it starts is acted on once it serves. run() returns after the drain, with every thread of
    // the service joined; the destructor has nothing left to stop.
    debrief::app::Service service(std::move(config).value(), {SIGINT, SIGTERM});
    auto started = service.start();
    if (!started) {
        debrief::log_error("start_failed", {{"code", started.error().code}, {"error", started.error().message}});
        std::cerr << "debrief: could not start: " << started.error().message << "\n";
        return 1;
    }
    service.run();
    debrief::log_info("stopped");
    return 0;
}
