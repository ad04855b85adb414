// A steady stream of commands from a few threads across many organizations (clients, notes, action items, sessions
// with transcripts), each 2xx answer recorded in a Ledger: the load the fault tests break things under.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/consistency_checker.hpp"
#include "tests/integration/harness.hpp"

namespace debrief::it {

// A plain-text transcript of a coach and one agent, different for every n.
std::string transcript_for(int n);

class CommandStream {
public:
    // Starts `threads` writers on the instance at `port`; each sends one command after another, round robin over
    // the organizations, until stop() or until the server stops answering (a crash: the writer ends quietly).
    CommandStream(unsigned short port, std::vector<Account> organizations, Ledger& ledger, int threads = 3);
    ~CommandStream();
    CommandStream(const CommandStream&) = delete;
    CommandStream& operator=(const CommandStream&) = delete;

    void stop();  // and join the writers
    std::size_t acknowledged() const { return acknowledged_; }
    // Answers that were neither 2xx nor a lost connection: none are expected; the first few are kept for the message.
    std::size_t refused() const { return refused_; }
    std::vector<std::string> refusals() const;
    bool connection_lost() const { return connection_lost_; }

private:
    void write(int writer);

    unsigned short port_;
    std::vector<Account> organizations_;
    Ledger& ledger_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> connection_lost_{false};
    std::atomic<std::size_t> acknowledged_{0};
    std::atomic<std::size_t> refused_{0};
    std::atomic<int> next_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> refusals_;
    std::vector<std::thread> writers_;
};

}  // namespace debrief::it
