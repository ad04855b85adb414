// One Debrief process with every role: command side, both projectors and the HTTP front. Used by main and tests.
#pragma once

#include <memory>

#include "app/config.hpp"
#include "common/result.hpp"

namespace debrief::app {

class Service {
public:
    explicit Service(Config config);
    ~Service();

    // Connects, creates topics, migrates, rebuilds the write model from the log and starts the projectors and
    // the HTTP listener. Returns the bound HTTP port. Commands are accepted only after this returns.
    Result<unsigned short> start();
    // Serves HTTP on the calling thread until stop().
    void run();
    // Graceful: stops accepting, drains requests in flight, stops the projectors. Safe from a signal-handling thread.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::app
