// `debrief serve`: every role in one process, stopped gracefully by SIGINT or SIGTERM.
#include <csignal>
#include <iostream>
#include <thread>

#include "app/config.hpp"
#include "app/logging.hpp"
#include "app/service.hpp"
#include "common/json_log.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> arguments(argv + 1, argv + argc);
    if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
        std::cout << debrief::app::usage();
        return arguments.empty() ? 2 : 0;
    }
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

    // Signals are taken by one thread with sigwait, so no handler runs in async-signal context.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    debrief::app::Service service(std::move(config).value());
    auto started = service.start();
    if (!started) {
        debrief::log_error("start_failed", {{"code", started.error().code}, {"error", started.error().message}});
        std::cerr << "debrief: could not start: " << started.error().message << "\n";
        return 1;
    }
    std::thread signal_waiter([&] {
        int received = 0;
        sigwait(&signals, &received);
        debrief::log_info("shutting_down", {{"signal", received}});
        service.stop();
    });
    signal_waiter.detach();
    service.run();
    debrief::log_info("stopped");
    return 0;
}
