// One Debrief process with every role: command side, both projectors and the HTTP front. Used by main and tests.
#pragma once

#include <memory>
#include <vector>

#include "app/config.hpp"
#include "common/result.hpp"

namespace debrief::app {

// Shutdown has one owner: the thread that calls run() (or, when run() is never called, the destructor). stop()
// and the stop signals only ask for it.
class Service {
public:
    // stop_signals (main passes SIGINT and SIGTERM) are caught from here on, through an asio::signal_set on the
    // HTTP server's I/O context: they no longer end the process, and the first one calls stop() once run() serves
    // (one that arrives during start() waits for it).
    explicit Service(Config config, std::vector<int> stop_signals = {});
    // Stops and joins whatever still runs; after run() there is nothing left to do.
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Connects, creates topics, migrates, rebuilds the write model from the log and starts the projectors and
    // the HTTP listener. Returns the bound HTTP port. Commands are accepted only after this returns.
    Result<unsigned short> start();
    // Serves HTTP on the calling thread until stop(); then drains: stops accepting, closes idle connections, lets
    // requests in flight finish (at most DEBRIEF_DRAIN_SECONDS) while the projectors go on, then stops the
    // draft reviewer, the projectors, the outbox and the readiness probe and joins their threads. When it returns
    // no thread of the service runs any more.
    void run();
    // Asks run() to drain and return; does not wait for it. Idempotent, and safe from any thread (a signal handler
    // on the I/O thread, a test); a stop before run() makes run() drain at once.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::app
