// Benchmark: what sealing personal data costs the codec, side by side with the clear encoding, in one run (issue 9,
// point 8). A generated coaching history (bench/bench_history.hpp: transcripts, parses, drafts) is encoded as the
// log writer does (encode_sealed, every subject's key made once) and in clear, then decoded as a projector does
// (with the key ring) and in clear, then decoded and folded into a fresh write model as a start-up does. Prints
// events/s and MB/s of each and the sealed/clear ratios.
// Usage: sealing_bench [sessions, default 2000] [rounds, default 3]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "bench/bench_history.hpp"
#include "commands/write_model.hpp"
#include "events/codec.hpp"
#include "events/keyring.hpp"

using namespace debrief;
using Clock = std::chrono::steady_clock;

namespace {

// The best of rounds: the least disturbed by whatever else the machine does.
double best_seconds(int rounds, const std::function<void()>& work) {
    double best = 1e9;
    for (int i = 0; i < rounds; ++i) {
        const auto started = Clock::now();
        work();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - started).count());
    }
    return best;
}

void row(const char* what, std::size_t count, std::size_t bytes, double clear, double sealed) {
    std::printf("| %s | %.0f | %.0f | %.1f | %.1f | %.3f |\n", what, count / clear, count / sealed, bytes / clear / 1e6, bytes / sealed / 1e6,
                clear / sealed);
}

}  // namespace

int main(int argc, char** argv) {
    const int sessions = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
    if (sessions <= 0 || rounds <= 0) return (std::fprintf(stderr, "usage: sealing_bench [sessions > 0] [rounds > 0]\n"), 2);
    const auto history = bench::generate(sessions);
    std::vector<events::Event> all;
    all.reserve(history.events.size());
    for (const auto& bytes : history.events) all.push_back(events::decode(bytes, nullptr).value());

    events::KeyRing keys{events::MasterKey::from_text(std::string(64, '7')).value()};
    std::vector<std::string> clear(all.size()), sealed(all.size());
    std::size_t clear_bytes = 0, sealed_bytes = 0, key_records = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        clear[i] = events::encode(all[i]);
        auto made = events::encode_sealed(all[i], keys, 0);
        if (!made) return (std::fprintf(stderr, "event %zu: %s\n", i, made.error().code.c_str()), 1);
        for (const auto& record : made->new_keys) keys.stored(record.subject), ++key_records;
        sealed[i] = std::move(made->bytes);
        clear_bytes += clear[i].size();
        sealed_bytes += sealed[i].size();
    }
    std::printf("%d sessions: %zu events, %zu subject keys; %.1f MB in clear, %.1f MB sealed (%+.1f%%)\n\n", history.sessions, all.size(), key_records,
                clear_bytes / 1e6, sealed_bytes / 1e6, 100.0 * (static_cast<double>(sealed_bytes) / clear_bytes - 1));

    std::size_t sink = 0;
    const double encode_clear = best_seconds(rounds, [&] {
        for (const auto& event : all) sink += events::encode(event).size();
    });
    const double encode_sealed = best_seconds(rounds, [&] {
        for (const auto& event : all) sink += events::encode_sealed(event, keys, 0)->bytes.size();
    });
    const double decode_clear = best_seconds(rounds, [&] {
        for (const auto& bytes : clear) sink += events::decode(bytes, nullptr)->metadata.aggregate_version;
    });
    const double decode_sealed = best_seconds(rounds, [&] {
        for (const auto& bytes : sealed) sink += events::decode(bytes, &keys)->metadata.aggregate_version;
    });
    auto fold = [&](const std::vector<std::string>& encoded, const events::KeyRing* ring) {
        return best_seconds(rounds, [&] {
            commands::WriteModel model;
            for (const auto& credential : history.credentials) model.apply(credential);
            for (std::size_t i = 0; i < encoded.size(); ++i) model.apply(*events::decode(encoded[i], ring), events::Position{0, static_cast<std::int64_t>(i)});
            sink += model.event_count();
        });
    };
    const double fold_clear = fold(clear, nullptr);
    const double fold_sealed = fold(sealed, &keys);

    std::printf("| step (best of %d) | clear events/s | sealed events/s | clear MB/s | sealed MB/s | sealed / clear throughput |\n", rounds);
    std::printf("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    row("encode (the log writer)", all.size(), clear_bytes, encode_clear, encode_sealed);
    row("decode (a projector's read)", all.size(), clear_bytes, decode_clear, decode_sealed);
    row("decode + fold into the write model (a start)", all.size(), clear_bytes, fold_clear, fold_sealed);
    std::printf("\n(checksum %zu)\n", sink);
    return 0;
}
