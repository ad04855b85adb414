// Benchmark: a one-hour, ~10,000-word timed transcript through a plain read, transcript::parse and parse + analyse.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands/analysis/analyser.hpp"
#include "commands/transcript/transcript.hpp"

using namespace debrief;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int target_words = 10'000;
constexpr double target_seconds = 3600;
constexpr int runs = 25;
constexpr double min_run_ms = 20;  // a run repeats the work until it has lasted this long, then reports one pass

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string clock_text(double seconds) {
    auto total = static_cast<int>(seconds);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", total / 3600, total / 60 % 60, total % 60);
    return buffer;
}

int words_in(const std::string& text) {
    int words = 0;
    bool in_word = false;
    for (char c : text) {
        bool space = c == ' ' || c == '\n' || c == '\t';
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words;
}

struct Turn {
    std::string speaker, text;
};

// The fixtures' turns, round after round, with a round number woven into some turns so rounds differ, timestamped
// at a conversational pace that fills an hour.
std::string one_hour_transcript(const std::vector<Turn>& turns) {
    std::vector<Turn> script;
    int words = 0;
    for (int round = 1; words < target_words; ++round) {
        for (std::size_t i = 0; i < turns.size() && words < target_words; ++i) {
            auto text = turns[i].text;
            if (i % 7 == 0) text += " That was round " + std::to_string(round) + ", by the way.";
            words += words_in(text);
            script.push_back({turns[i].speaker, std::move(text)});
        }
    }
    double seconds_per_word = target_seconds / words;
    std::string out;
    double at = 0;
    for (const auto& turn : script) {
        out += "[" + clock_text(at) + "] " + turn.speaker + ": " + turn.text + "\n";
        at += words_in(turn.text) * seconds_per_word;
    }
    return out;
}

struct Timing {
    double best_ms = 0, median_ms = 0;
};

template <typename Work>
Timing measure(Work&& work) {
    std::vector<double> per_pass_ms;
    for (int r = 0; r < runs; ++r) {
        int passes = 0;
        auto start = Clock::now();
        double elapsed_ms = 0;
        do {
            work();
            ++passes;
            elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        } while (elapsed_ms < min_run_ms);
        per_pass_ms.push_back(elapsed_ms / passes);
    }
    std::sort(per_pass_ms.begin(), per_pass_ms.end());
    return {per_pass_ms.front(), per_pass_ms[per_pass_ms.size() / 2]};
}

}  // namespace

int main() {
    auto fixtures = std::filesystem::path(__FILE__).parent_path() / "../tests/fixtures/transcripts";
    const std::set<std::string> coaches{"Dana Whitfield", "Helen", "Rachel"};
    std::vector<Turn> turns;
    for (auto name : {"call_review_marcus.txt", "one_to_one_sam.txt", "group_workshop_deescalation.txt"}) {
        auto parsed = transcript::parse(transcript::Format::plain, read_file(fixtures / name));
        if (!parsed) {
            std::fprintf(stderr, "cannot read fixture %s: %s\n", name, parsed.error().message.c_str());
            return 1;
        }
        for (const auto& s : parsed->segments) turns.push_back({s.speaker, s.text});
    }
    const auto text = one_hour_transcript(turns);

    auto check = transcript::parse(transcript::Format::plain, text);
    if (!check || !check->timed) {
        std::fprintf(stderr, "the generated transcript does not parse as a timed transcript\n");
        return 1;
    }
    analysis::AnalysisInput input_shape;
    input_shape.session_date = "2026-03-04";
    input_shape.session_type = "group_workshop";
    int total_words = 0;
    for (const auto& p : check->participants) {
        (coaches.contains(p.name) ? input_shape.coach_speakers : input_shape.client_speakers).push_back(p.name);
        total_words += p.word_count;
    }

    volatile std::size_t sink = 0;  // keeps every measured result alive
    auto baseline = measure([&] {
        std::size_t lines = 0;
        for (char c : text) lines += c == '\n';
        sink = sink + lines;
    });
    auto parse_only = measure([&] {
        auto parsed = transcript::parse(transcript::Format::plain, text);
        sink = sink + parsed->segments.size();
    });
    std::size_t items = 0;
    auto parse_and_analyse = measure([&] {
        auto parsed = transcript::parse(transcript::Format::plain, text);
        auto input = input_shape;
        input.utterances.reserve(parsed->segments.size());
        for (auto& s : parsed->segments) input.utterances.push_back({std::move(s.speaker), s.start_seconds, s.end_seconds, std::move(s.text)});
        for (const auto& p : parsed->participants) input.participants.push_back({p.name, p.speaking_seconds, p.word_count, p.turn_count});
        auto drafts = analysis::analyse(input);
        items = 0;
        for (const auto& d : drafts) items += d.wins.size() + d.challenges.size() + d.action_items.size() + d.coach_recommendations.size();
        sink = sink + items;
    });

    double megabytes = text.size() / 1e6;
    std::printf("transcript: %d words, %zu turns, %.1f KB, %s of speech, %zu coaches, %zu clients; %zu summary items drafted\n",
                total_words, check->segments.size(), text.size() / 1e3, clock_text(check->segments.back().end_seconds.value_or(0)).c_str(),
                input_shape.coach_speakers.size(), input_shape.client_speakers.size(), items);
    std::printf("%d runs each, a run repeats the work for at least %.0f ms; times are per pass\n\n", runs, min_run_ms);
    std::printf("%-28s %10s %10s %14s %12s\n", "step", "best ms", "median ms", "MB/s (median)", "x baseline");
    auto row = [&](const char* name, const Timing& t) {
        std::printf("%-28s %10.3f %10.3f %14.1f %12.1f\n", name, t.best_ms, t.median_ms, megabytes / (t.median_ms / 1e3),
                    t.median_ms / baseline.median_ms);
    };
    row("read baseline (newlines)", baseline);
    row("transcript::parse", parse_only);
    row("parse + analyse", parse_and_analyse);
    std::printf("\nanalyse alone (median difference): %.3f ms\n", parse_and_analyse.median_ms - parse_only.median_ms);
    return sink == 0 ? 1 : 0;
}
