// The judged relevance set of the search (tests/fixtures/search/judged.json, issue 10 point 9): a fixed corpus of
// transcript turns, summary sections, action items and notes, and queries each with the documents that should come
// first. Read by the recall test and by the search benchmark (which scores PostgreSQL's ranking on the same set).
// Also how both feed events to a RocksDB read model without Kafka: as the projector's batches.
#pragma once

#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "events/event.hpp"
#include "projections/search/transcript_store.hpp"

namespace debrief::testing {

// Applies the events (each with its time) as one batch of the RocksDB projector, at the offsets after next_offset;
// an empty string, or why the batch did not apply.
inline std::string apply_search_batch(projections::TranscriptStore& store, const std::string& organization, std::span<const events::Payload> payloads,
                                      std::span<const std::int64_t> times_ms, std::int64_t& next_offset) {
    std::vector<events::Record> records(payloads.size());
    std::vector<projections::BatchItem> batch;
    batch.reserve(payloads.size());
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        records[i].position = {0, next_offset++};
        events::Event event;
        event.metadata.organization_id = OrganizationId{organization};
        event.metadata.occurred_at_ms = times_ms[i];
        event.metadata.event_id = organization + "-" + std::to_string(next_offset);
        event.payload = payloads[i];
        batch.push_back({&records[i], std::move(event)});
    }
    auto prepared = store.prepare(batch, "debrief.events", {{0, next_offset}}, times_ms.empty() ? 0 : times_ms.back());
    if (!prepared.dead.empty()) return "a dead letter: " + prepared.dead.front().error;
    auto committed = store.commit(prepared);
    return committed ? std::string{} : committed.error().message;
}

struct JudgedDocument {
    std::string id, kind, section, client, speaker, text;
};
struct JudgedQuery {
    std::string q;
    std::vector<std::string> relevant;  // most relevant first
};
struct JudgedSet {
    std::vector<JudgedDocument> documents;
    std::vector<JudgedQuery> queries;
};

inline JudgedSet load_judged_set(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    const auto root = boost::json::parse(text.str()).as_object();
    auto string_of = [](const boost::json::object& o, const char* key) {
        auto it = o.find(key);
        return it == o.end() ? std::string{} : std::string(it->value().as_string());
    };
    JudgedSet set;
    for (const auto& d : root.at("documents").as_array()) {
        const auto& o = d.as_object();
        set.documents.push_back({string_of(o, "id"), string_of(o, "kind"), string_of(o, "section"), string_of(o, "client"), string_of(o, "speaker"), string_of(o, "text")});
    }
    for (const auto& q : root.at("queries").as_array()) {
        JudgedQuery query{string_of(q.as_object(), "q"), {}};
        for (const auto& id : q.as_object().at("relevant").as_array()) query.relevant.emplace_back(id.as_string());
        set.queries.push_back(std::move(query));
    }
    return set;
}

inline const std::string judged_coach = "judged-coach";

// The events that file the set's documents under one coach: its clients, a session per transcript turn (the
// session's id is the turn's), a summary per summary section (with that section only), action items and notes.
// A hit's document id is then the judged document's id.
inline std::vector<events::Payload> judged_events(const JudgedSet& set) {
    std::vector<events::Payload> out;
    out.push_back(events::UserRegistered{UserId{judged_coach}, "Judy Coach", "judy@judged.example", "coach", {}, {}});
    std::set<std::string> clients;
    for (const auto& d : set.documents) clients.insert(d.client);
    auto name_of = [](std::string client) {
        if (!client.empty()) client[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(client[0])));
        return client;
    };
    for (const auto& c : clients) out.push_back(events::ClientRegistered{ClientId{c}, name_of(c), "", {}, "", UserId{judged_coach}, "manual"});
    int day = 0;
    for (const auto& d : set.documents) {
        const auto date = "2026-10-" + std::string(day % 28 < 9 ? "0" : "") + std::to_string(day % 28 + 1);
        ++day;
        const ClientId client{d.client};
        if (d.kind == "transcript") {
            out.push_back(events::SessionCreated{SessionId{d.id}, UserId{judged_coach}, date, "individual"});
            events::TranscriptParsed parsed;
            parsed.session_id = SessionId{d.id};
            parsed.participants = {{"Coach", 0, 0, 0, ClientId{}, true}, {name_of(d.client), 0, 0, 0, client, false}};
            parsed.segments = {{d.speaker == "Coach" ? "Coach" : name_of(d.client), std::nullopt, std::nullopt, d.text}};
            out.push_back(std::move(parsed));
        } else if (d.kind == "summary") {
            const SessionId session{"session-of-" + d.id};
            out.push_back(events::SessionCreated{session, UserId{judged_coach}, date, "individual"});
            events::SummaryDrafted drafted;
            drafted.summary_id = SummaryId{d.id};
            drafted.session_id = session;
            drafted.client_id = client;
            drafted.coach_id = UserId{judged_coach};
            if (d.section == "wins") drafted.content.wins = {d.text};
            else if (d.section == "challenges") drafted.content.challenges = {d.text};
            else if (d.section == "recommendations") drafted.content.coach_recommendations = {d.text};
            else throw std::runtime_error("judged document " + d.id + ": section must be wins, challenges or recommendations");
            drafted.engagement = "medium";
            drafted.analyser = "judged";
            out.push_back(std::move(drafted));
        } else if (d.kind == "action_item") {
            out.push_back(events::ActionItemCreated{ActionItemId{d.id}, client, UserId{judged_coach}, d.text, d.client, "", "manual", {}, {}});
        } else if (d.kind == "note") {
            out.push_back(events::NoteAdded{NoteId{d.id}, client, UserId{judged_coach}, d.text});
        } else {
            throw std::runtime_error("judged document " + d.id + ": unknown kind " + d.kind);
        }
    }
    return out;
}

// Of the relevant documents, the share in the first ten of the ranking.
inline double recall_at_10(const std::vector<std::string>& ranked, const std::vector<std::string>& relevant) {
    std::size_t found = 0;
    for (const auto& id : relevant)
        for (std::size_t i = 0; i < ranked.size() && i < 10; ++i)
            if (ranked[i] == id) ++found;
    return relevant.empty() ? 1.0 : static_cast<double>(found) / relevant.size();
}

// 1 / the rank of the first relevant document within the first ten, else 0.
inline double reciprocal_rank_at_10(const std::vector<std::string>& ranked, const std::vector<std::string>& relevant) {
    for (std::size_t i = 0; i < ranked.size() && i < 10; ++i)
        for (const auto& id : relevant)
            if (ranked[i] == id) return 1.0 / static_cast<double>(i + 1);
    return 0.0;
}

}  // namespace debrief::testing
