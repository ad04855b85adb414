// A throw-away PostgreSQL 15 cluster of one test, on a free port of 127.0.0.1, that the test may crash and start
// again at will. The shared test server (DEBRIEF_TEST_POSTGRES_URL) must never be stopped: other runs use it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace debrief::it {

class TestPostgresServer {
public:
    // initdb into a fresh temporary directory and start; as root the cluster runs as the system user `debrief-pg`,
    // the way ops/pg-up runs the shared one. Throws std::runtime_error with PostgreSQL's log when it cannot.
    TestPostgresServer();
    // Stops the server (immediate) and deletes its directory.
    ~TestPostgresServer();
    TestPostgresServer(const TestPostgresServer&) = delete;
    TestPostgresServer& operator=(const TestPostgresServer&) = delete;

    // Starts the stopped server again on the same port and waits until it accepts connections (after crash recovery).
    void start();
    // `pg_ctl stop -m immediate`: every backend is killed at once, no checkpoint, no goodbye to clients; the next start
    // recovers from the WAL, as after a crash.
    void stop_immediate();
    void restart();
    bool running() const { return running_; }

    // Of the `postgres` maintenance database; a Deployment creates its own database from it.
    std::string url() const;
    unsigned short port() const { return port_; }
    std::string log_tail(std::size_t bytes = 4000) const;

private:
    void pg_ctl(const std::vector<std::string>& arguments);

    std::filesystem::path directory_;
    unsigned short port_ = 0;
    bool running_ = false;
};

}  // namespace debrief::it
