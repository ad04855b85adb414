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
#include "bench/bench_history.hpp"
#include "commands/command_handler.hpp"
#include "events/codec.hpp"

using namespace debrief;
using namespace debrief::commands;
using Clock = std::chrono::steady_clock;

namespace {

double resident_mib() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
    const int sessions = argc > 1 ? std::atoi(argv[1]) : 10'000;
    if (sessions <= 0) return (std::fprintf(stderr, "usage: write_model_bench [sessions > 0]\n"), 2);
    auto started = Clock::now();
    const auto history = bench::generate(sessions);
    std::printf("generated %d sessions, %zu events in %.1f s\n", history.sessions, history.events.size(),
                std::chrono::duration<double>(Clock::now() - started).count());
    ::malloc_trim(0);  // the generator's model and log are gone: what stays resident from here is the new model

    const double before = resident_mib();
    WriteModel model;
    started = Clock::now();
    for (const auto& credential : history.credentials) model.apply(credential);
    for (std::size_t i = 0; i < history.events.size(); ++i) {
        auto event = events::decode(history.events[i], nullptr);
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
