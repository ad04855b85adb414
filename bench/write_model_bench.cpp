// Benchmark: what the write model costs as history grows, the baseline for its snapshot (issue 8, point 6).
// Generates organizations with clients and sessions (with transcripts, parsed and drafted) through the command
// handler on an in-memory log, encodes the events as they would sit in Kafka, then folds them into a fresh write
// model as a start-up does: decode + apply each event, timed. Prints the write model's resident memory per 10,000
// sessions and the fold rate, and the start-up that rate gives for 1,000,000 events (reading Kafka not included);
// then the same state through its snapshot (encode, write to RocksDB, read back, restore), beside the fold.
// Usage: write_model_bench [sessions, default 10000]
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/snapshot_store.hpp"
#include "commands/command_handler.hpp"
#include "commands/people_commands.hpp"
#include "commands/session_commands.hpp"
#include "events/codec.hpp"
#include "events/memory_event_log.hpp"

using namespace debrief;
using namespace debrief::commands;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int sessions_per_organization = 100;
constexpr int clients_per_organization = 20;

double resident_mib() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

std::string transcript(int n, const std::string& client) {
    std::string text;
    for (int line = 0; line < 40; ++line) {
        char stamp[16];
        std::snprintf(stamp, sizeof stamp, "[00:%02d:%02d] ", line / 2, (line % 2) * 30);
        text += stamp;
        text += line % 2 ? "Coach: " : client + ": ";
        text += "Session " + std::to_string(n) + ", point " + std::to_string(line) +
                ": we talked about handle time, the supplier deal and what to practise before Friday.\n";
    }
    return text;
}

struct History {
    std::vector<std::string> events;  // encoded, as the values on the events topic
    std::vector<events::Credential> credentials;
    int sessions = 0;
};

History generate(int sessions) {
    History history;
    WriteModel model;
    events::MemoryEventLog log;
    int next_id = 0;
    CommandHandler handler{model, log, [] { return std::int64_t{1'800'000'000'000}; },
                           [&next_id] {
                               char id[37];
                               std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", ++next_id);
                               return std::string(id);
                           },
                           [](std::string_view password) { return "hashed:" + std::string(password); }};
    for (int organization = 0; history.sessions < sessions; ++organization) {
        const auto tag = std::to_string(organization);
        auto signed_up = sign_up(handler, {"Organization " + tag, "Coach", "coach" + tag + "@bench.example", "bench password 12345"}, {});
        if (!signed_up) std::exit((std::fprintf(stderr, "sign-up: %s\n", signed_up.error().message.c_str()), 1));
        Actor coach{UserId{signed_up->id("user")}, OrganizationId{signed_up->id("organization")}, "admin"};
        std::vector<std::string> clients;
        for (int c = 0; c < clients_per_organization; ++c) {
            RegisterClientInput client;
            client.name = "Client " + tag + "-" + std::to_string(c);
            if (!register_client(handler, coach, client, {})) std::exit((std::fprintf(stderr, "client refused\n"), 1));
            clients.push_back(client.name);
        }
        for (int s = 0; s < sessions_per_organization && history.sessions < sessions; ++s, ++history.sessions) {
            CreateSessionInput input{std::nullopt, "2026-11-20", "individual", "plain", transcript(history.sessions, clients[s % clients.size()]), {}, "Coach"};
            auto created = create_session(handler, coach, input, {});
            if (!created) std::exit((std::fprintf(stderr, "session refused: %s\n", created.error().message.c_str()), 1));
        }
    }
    for (const auto& event : log.events()) history.events.push_back(events::encode(event));
    history.credentials = log.credentials();
    return history;
}

}  // namespace

int main(int argc, char** argv) {
    const int sessions = argc > 1 ? std::atoi(argv[1]) : 10'000;
    if (sessions <= 0) return (std::fprintf(stderr, "usage: write_model_bench [sessions > 0]\n"), 2);
    auto started = Clock::now();
    const auto history = generate(sessions);
    std::printf("generated %d sessions, %zu events in %.1f s\n", history.sessions, history.events.size(),
                std::chrono::duration<double>(Clock::now() - started).count());
    ::malloc_trim(0);  // the generator's model and log are gone: what stays resident from here is the new model

    const double before = resident_mib();
    WriteModel model;
    started = Clock::now();
    for (const auto& credential : history.credentials) model.apply(credential);
    for (std::size_t i = 0; i < history.events.size(); ++i) {
        auto event = events::decode(history.events[i]);
        if (!event) return (std::fprintf(stderr, "event %zu does not decode\n", i), 1);
        model.apply(*event, events::Position{0, static_cast<std::int64_t>(i)});
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const double grown = resident_mib() - before;
    const double rate = static_cast<double>(history.events.size()) / seconds;
    std::printf("fold: %zu events in %.2f s, %.0f events/s\n", history.events.size(), seconds, rate);
    std::printf("write model resident: %.1f MiB for %d sessions, %.1f MiB per 10,000 sessions\n", grown, history.sessions,
                grown * 10'000.0 / history.sessions);
    std::printf("start-up for 1,000,000 events at this rate (decode + fold, without reading Kafka): %.1f s\n", 1'000'000.0 / rate);

    // The same state through its snapshot, as a start with one does: encode and write it, then read and restore it.
    const auto directory = std::filesystem::temp_directory_path() / ("debrief-bench-snapshot-" + std::to_string(::getpid()));
    auto store = app::SnapshotStore::open(directory.string());
    if (!store) return (std::fprintf(stderr, "snapshot store: %s\n", store.error().message.c_str()), 1);
    started = Clock::now();
    auto state = model.snapshot();
    if (!state) return (std::fprintf(stderr, "no snapshot\n"), 1);
    const double encode = std::chrono::duration<double>(Clock::now() - started).count();
    started = Clock::now();
    const auto mib = static_cast<double>(state->bytes.size()) / (1024.0 * 1024.0);
    if (!(*store)->save({"bench", state->next_offsets, state->events, 0, std::move(state->bytes)})) return (std::fprintf(stderr, "save failed\n"), 1);
    const double save = std::chrono::duration<double>(Clock::now() - started).count();
    started = Clock::now();
    auto loaded = (*store)->latest();
    if (!loaded) return (std::fprintf(stderr, "no snapshot read back\n"), 1);
    const double load = std::chrono::duration<double>(Clock::now() - started).count();
    WriteModel restored;
    started = Clock::now();
    if (!restored.restore(loaded->bytes)) return (std::fprintf(stderr, "snapshot refused\n"), 1);
    const double restore = std::chrono::duration<double>(Clock::now() - started).count();
    std::filesystem::remove_all(directory);
    std::printf("snapshot: %.1f MiB, encoded in %.2f s (commands wait that long), written in %.2f s\n", mib, encode, save);
    std::printf("start from the snapshot: read %.2f s + restore %.2f s = %.2f s, against %.2f s folding the log: %.1fx faster\n", load, restore,
                load + restore, seconds, seconds / (load + restore));
    return 0;
}
