// A generated coaching corpus for the search benchmark (issue 10, point 8): one organization of coaches and clients,
// sessions over two years (individual, group workshops, call reviews), each with a transcript of about 16 turns, a
// summary per client (wins, challenges, action items, recommendations), its action items, and now and then a quick
// note. Words are drawn by a Zipf law from a coaching and call-centre vocabulary, then a long tail of made-up words;
// clients' names and the Henderson account appear in the turns. The same corpus comes out twice: as the events the
// RocksDB projector applies, and as the documents (one per transcript turn, summary section, action item, note) a
// PostgreSQL table holds, with the same texts.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "events/event.hpp"

namespace debrief::bench {

inline const char* const coaching_words[] = {
        "the", "and", "to", "I", "you", "we", "that", "it", "a", "of", "is", "was", "so", "on", "for", "with", "this", "my", "be", "customer",
        "call", "time", "think", "really", "just", "about", "week", "team", "goal", "feel", "like", "can", "what", "know", "calls", "handle",
        "management", "struggled", "struggling", "progress", "feedback", "supplier", "renewal", "escalation", "de-escalation", "billing",
        "manager", "schedule", "priority", "coaching", "session", "action", "follow", "plan", "client", "quality", "score", "csat", "minutes",
        "listening", "empathy", "confidence", "workload", "stress", "breakthrough", "challenge", "win", "improved", "better", "worse", "tired",
        "deadline", "Friday", "Monday", "report", "project", "presentation", "meeting", "conversation", "difficult", "angry", "refund",
        "policy", "script", "hold", "transfer", "resolution", "first", "contact", "average", "target", "metrics", "review", "practice",
        "role-play", "objection", "pricing", "Henderson", "contract", "onboarding", "training", "mentor", "career", "promotion", "balance",
};

inline const char* const first_names[] = {"Marcus", "Nina", "Priya", "Tomasz", "Aiko", "Dmitri", "Sofia", "Kwame", "Lena", "Omar",
                                          "Grace", "Mateo", "Hana", "Ravi", "Elena", "Jonas", "Amara", "Felix", "Yara", "Liam"};
inline const char* const last_names[] = {"Lee", "Park", "Shah", "Nowak", "Tanaka", "Ivanov", "Rossi", "Mensah", "Berg", "Haddad",
                                         "Okafor", "Silva", "Kim", "Patel", "Costa", "Weber", "Diallo", "Novak", "Haddad", "Murphy"};
inline const char* const client_tags[] = {"renewal", "new-hire", "enterprise", "night-shift", "billing", "retention", "sales", "support"};

struct Zipf {
    std::vector<double> cumulative;
    Zipf(std::size_t n, double s) {
        double sum = 0;
        for (std::size_t i = 1; i <= n; ++i) cumulative.push_back(sum += 1.0 / std::pow(static_cast<double>(i), s));
        for (auto& c : cumulative) c /= sum;
    }
    std::size_t draw(std::mt19937_64& random) const {
        const double u = std::uniform_real_distribution<double>(0, 1)(random);
        return std::min(cumulative.size() - 1, static_cast<std::size_t>(std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin()));
    }
};

// Pronounceable and distinct: "bakelo", "tirumo", ...
inline std::string tail_word(std::size_t rank) {
    static const char* syllables[] = {"ba", "ke", "lo", "ti", "ru", "mo", "sa", "ne", "vi", "do", "pa", "gu", "fe", "ri", "zo", "ha"};
    std::string word;
    for (std::size_t r = rank + 16; r > 0; r /= 16) word += syllables[r % 16];
    return word;
}

// One document as the PostgreSQL side holds it: what Debrief's index makes of the same event.
struct CorpusDocument {
    std::string kind;   // transcript | summary | action_item | note
    std::string field;  // text | wins | challenges | action_items | recommendations | title
    std::string id;     // the session (a turn: "<session>:<turn>"), summary, action item or note
    std::string session_id, coach_id, session_type, date;
    std::vector<std::string> client_ids;
    std::string text;
};

struct Corpus {
    std::string organization;
    std::vector<std::string> words;  // the vocabulary, by rank
    std::vector<std::string> clients, coaches;
    std::vector<events::Payload> events;
    std::vector<std::int64_t> times_ms;  // each event's time: its session's day, noon UTC
    std::vector<CorpusDocument> documents;
    std::size_t sessions = 0, segments = 0;
    std::size_t text_bytes = 0;  // of the documents' texts
};

inline constexpr std::size_t corpus_vocabulary = 50'000;
inline constexpr int corpus_first_day = 20'089;  // 2025-01-01
inline constexpr int corpus_days = 700;

inline std::string date_of_day(int day) {
    const std::chrono::sys_days d{std::chrono::days{day}};
    const std::chrono::year_month_day ymd{d};
    char text[11];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return text;
}

inline Corpus generate_corpus(std::size_t sessions, std::uint64_t seed = 2026) {
    Corpus corpus;
    corpus.organization = "bench-search";
    const std::size_t common = sizeof coaching_words / sizeof coaching_words[0];
    for (std::size_t i = 0; i < corpus_vocabulary; ++i) corpus.words.push_back(i < common ? coaching_words[i] : tail_word(i));
    const Zipf zipf(corpus_vocabulary, 1.07);
    std::mt19937_64 random(seed);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };

    constexpr std::size_t coaches = 40, clients = 800;
    std::vector<std::string> client_names;
    for (std::size_t c = 0; c < coaches; ++c) {
        corpus.coaches.push_back("coach-" + std::to_string(c));
        corpus.events.push_back(events::UserRegistered{UserId{corpus.coaches.back()}, std::string(first_names[c % 20]) + " " + last_names[(c / 20 + 7) % 20],
                                                       "coach" + std::to_string(c) + "@bench.example", "coach", {}, {}});
    }
    for (std::size_t c = 0; c < clients; ++c) {
        corpus.clients.push_back("client-" + std::to_string(c));
        client_names.push_back(std::string(first_names[c % 20]) + " " + last_names[(c / 20) % 20]);
        corpus.events.push_back(events::ClientRegistered{ClientId{corpus.clients.back()}, client_names.back(), "", {client_tags[c % 8], client_tags[(c / 8) % 8]},
                                                         "", UserId{corpus.coaches[c % coaches]}, "manual"});
    }
    auto noon_of = [](int day) { return (static_cast<std::int64_t>(day) * 86'400 + 43'200) * 1000; };
    corpus.times_ms.resize(corpus.events.size(), noon_of(corpus_first_day));
    auto sentence = [&](std::size_t min_words, std::size_t max_words, const std::string& name) {
        std::string text;
        const auto length = min_words + pick(max_words - min_words + 1);
        for (std::size_t w = 0; w < length; ++w) {
            text += w ? " " : "";
            text += (!name.empty() && pick(40) == 0) ? name : corpus.words[zipf.draw(random)];
        }
        return text + ".";
    };
    auto add_document = [&](CorpusDocument d) {
        corpus.text_bytes += d.text.size();
        corpus.documents.push_back(std::move(d));
    };

    for (std::size_t s = 0; s < sessions; ++s) {
        const std::string session = "session-" + std::to_string(s);
        const auto type_draw = pick(10);
        const std::string type = type_draw < 7 ? "individual" : type_draw < 8 ? "group_workshop" : "call_review";
        const auto first_client = pick(clients);
        const std::string coach = corpus.coaches[first_client % coaches];
        std::vector<std::size_t> present{first_client};
        if (type == "group_workshop")
            for (std::size_t extra = 1; extra <= 2; ++extra) present.push_back((first_client + extra * coaches) % clients);  // same coach
        const int day = corpus_first_day + static_cast<int>(pick(corpus_days));
        const std::string date = date_of_day(day);
        corpus.events.push_back(events::SessionCreated{SessionId{session}, UserId{coach}, date, type});

        events::TranscriptParsed parsed;
        parsed.session_id = SessionId{session};
        parsed.participants.push_back({"Coach", 0, 0, 0, ClientId{}, true});
        std::vector<std::string> ids;
        for (auto c : present) {
            parsed.participants.push_back({client_names[c], 0, 0, 0, ClientId{corpus.clients[c]}, false});
            ids.push_back(corpus.clients[c]);
        }
        const auto turns = 15 + pick(3);
        for (std::size_t t = 0; t < turns; ++t) {
            const auto speaker_client = present[pick(present.size())];
            const bool coach_turn = t % 2 == 0;
            const std::string speaker = coach_turn ? "Coach" : client_names[speaker_client];
            const auto mention = pick(3) == 0 ? std::string(first_names[speaker_client % 20]) : pick(30) == 0 ? std::string("Henderson") : std::string{};
            parsed.segments.push_back({speaker, static_cast<double>(t * 30), static_cast<double>(t * 30 + 28), sentence(8, 40, mention)});
            add_document({"transcript", "text", session + ":" + std::to_string(t), session, coach, type, date,
                          coach_turn ? ids : std::vector<std::string>{corpus.clients[speaker_client]}, parsed.segments.back().text});
        }
        corpus.segments += turns;
        corpus.events.push_back(std::move(parsed));

        for (auto c : present) {
            const std::string summary = "summary-" + std::to_string(s) + "-" + std::to_string(c);
            events::SummaryDrafted drafted;
            drafted.summary_id = SummaryId{summary};
            drafted.session_id = SessionId{session};
            drafted.client_id = ClientId{corpus.clients[c]};
            drafted.coach_id = UserId{coach};
            drafted.content.wins = {sentence(8, 15, ""), sentence(8, 15, "")};
            drafted.content.challenges = {sentence(8, 15, ""), sentence(8, 15, "")};
            drafted.content.action_items = {{sentence(5, 10, ""), corpus.clients[c], ""}, {sentence(5, 10, ""), coach, ""}};
            drafted.content.coach_recommendations = {sentence(8, 15, "")};
            drafted.engagement = "medium";
            drafted.analyser = "bench";
            auto joined = [](const std::vector<std::string>& lines) {
                std::string out;
                for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
                return out;
            };
            const std::vector<std::string> one{corpus.clients[c]};
            add_document({"summary", "wins", summary, session, coach, type, date, one, joined(drafted.content.wins)});
            add_document({"summary", "challenges", summary, session, coach, type, date, one, joined(drafted.content.challenges)});
            add_document({"summary", "action_items", summary, session, coach, type, date, one,
                          drafted.content.action_items[0].title + "\n" + drafted.content.action_items[1].title});
            add_document({"summary", "recommendations", summary, session, coach, type, date, one, joined(drafted.content.coach_recommendations)});
            const auto items = drafted.content.action_items;
            corpus.events.push_back(std::move(drafted));
            for (std::size_t a = 0; a < items.size(); ++a) {
                const std::string id = "action-" + std::to_string(s) + "-" + std::to_string(c) + "-" + std::to_string(a);
                corpus.events.push_back(events::ActionItemCreated{ActionItemId{id}, ClientId{corpus.clients[c]}, UserId{coach}, items[a].title, items[a].owner_id,
                                                                  "", "summary", SessionId{session}, SummaryId{summary}});
                add_document({"action_item", "title", id, session, coach, type, date, one, items[a].title});
            }
        }
        if (s % 3 == 0) {
            const std::string note = "note-" + std::to_string(s);
            corpus.events.push_back(events::NoteAdded{NoteId{note}, ClientId{corpus.clients[first_client]}, UserId{coach}, sentence(10, 25, "")});
            // A note is filed on the day it was written: its event's time, the session's day.
            add_document({"note", "text", note, "", coach, "", date, {corpus.clients[first_client]}, std::get<events::NoteAdded>(corpus.events.back()).text});
        }
        corpus.times_ms.resize(corpus.events.size(), noon_of(day));
    }
    corpus.sessions = sessions;
    return corpus;
}

}  // namespace debrief::bench
