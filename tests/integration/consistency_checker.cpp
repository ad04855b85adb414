// The exactly-once checker: reads the events topic with a plain consumer, the read models through SQL and HTTP, the
// dead letters through both, and compares them kind by kind.
#include "tests/integration/consistency_checker.hpp"

#include <doctest/doctest.h>

#include <iomanip>
#include <sstream>

#include "events/codec.hpp"

namespace debrief::it {
namespace json = boost::json;
namespace {

std::string kind_name(Kind kind) {
    switch (kind) {
        case Kind::client: return "clients";
        case Kind::note: return "notes";
        case Kind::action_item: return "action items";
        case Kind::session: return "sessions";
        case Kind::undecodable: return "undecodable records";
    }
    return "?";
}

using Place = std::pair<int, std::int64_t>;  // partition, offset

// What one record of the events topic is, as far as the checker counts it.
struct Entry {
    std::optional<events::Event> event;  // nothing: it does not decode
    std::string organization_id;         // the record's key
};

// The kind and id an event creates, and whether a command created it (not derived from a transcript or a summary).
struct Creation {
    Kind kind;
    std::string id;
    bool commanded;
};

std::optional<Creation> creation_of(const events::Event& event) {
    if (const auto* client = std::get_if<events::ClientRegistered>(&event.payload)) return Creation{Kind::client, client->client_id.value, client->source == "manual"};
    if (const auto* note = std::get_if<events::NoteAdded>(&event.payload)) return Creation{Kind::note, note->note_id.value, true};
    if (const auto* item = std::get_if<events::ActionItemCreated>(&event.payload))
        return Creation{Kind::action_item, item->action_item_id.value, item->source == "manual"};
    if (const auto* session = std::get_if<events::SessionCreated>(&event.payload)) return Creation{Kind::session, session->session_id.value, true};
    return std::nullopt;
}

// Caught up when the stored offsets are past the last event of each partition (transaction markers come after it).
bool postgres_caught_up(const Deployment& deployment, const std::map<int, std::int64_t>& last_offsets) {
    for (auto [partition, last] : last_offsets) {
        auto stored = query(deployment, "select next_offset from projection_offsets where projector = 'postgres' and topic = $1 and partition = $2",
                            {deployment.events_topic, std::to_string(partition)});
        if (stored.empty() || std::stoll(stored[0][0]) <= last) return false;
    }
    return true;
}

// A query with ?position= waits for both read models of the instance; a path that names no session answers 404 once
// they have applied the position, 504 if they did not in time.
bool instance_caught_up(const HttpClient& client, const std::string& token, const std::map<int, std::int64_t>& last_offsets,
                        std::chrono::milliseconds deadline) {
    for (auto [partition, last] : last_offsets) {
        auto waited = client.get("/v1/sessions/caught-up/transcript?position=" + std::to_string(partition) + ":" + std::to_string(last) +
                                     "&wait_ms=" + std::to_string(std::min<std::int64_t>(deadline.count(), 30'000)),
                                 token);
        if (waited.status != 404) return false;
    }
    return true;
}

std::int64_t count_rows(const Deployment& deployment, const std::string& sql) { return query_number(deployment, sql); }

}  // namespace

void Ledger::acknowledge(Kind kind, const std::string& id) {
    std::lock_guard lock(mutex_);
    if (ids_[kind].insert(id).second) ++size_;
}

std::map<Kind, std::set<std::string>> Ledger::snapshot() const {
    std::lock_guard lock(mutex_);
    return ids_;
}

std::size_t Ledger::size() const {
    std::lock_guard lock(mutex_);
    return size_;
}

std::string ConsistencyReport::text() const {
    std::ostringstream out;
    out << "consistency: " << kafka_records << " records in Kafka, " << duplicate_event_ids << " duplicate event ids, " << dead_letters_of_nothing
        << " dead letters of no record, " << api_postgres_dead << " PostgreSQL dead letters listed by the admin route\n";
    out << std::left << std::setw(20) << "kind" << std::right << std::setw(7) << "acked" << std::setw(6) << "lost" << std::setw(8) << "unacked"
        << std::setw(7) << "kafka" << std::setw(5) << "dup" << std::setw(10) << "postgres" << std::setw(6) << "dead" << std::setw(9) << "rocksdb"
        << std::setw(6) << "dead" << "\n";
    for (const auto& k : kinds) {
        out << std::left << std::setw(20) << k.kind << std::right << std::setw(7) << k.acknowledged << std::setw(6) << k.lost << std::setw(8)
            << k.unacknowledged << std::setw(7) << k.kafka << std::setw(5) << k.kafka_duplicates << std::setw(10) << k.postgres << std::setw(6)
            << k.postgres_dead;
        if (k.in_rocksdb) {
            out << std::setw(9) << k.rocksdb << std::setw(6) << k.rocksdb_dead;
        } else {
            out << std::setw(9) << "-" << std::setw(6) << "-";
        }
        out << "\n";
    }
    for (const auto& [name, values] : derived) out << name << ": PostgreSQL " << values.first << ", from the log " << values.second << "\n";
    return out.str();
}

ConsistencyReport check_consistency(const Deployment& deployment, const HttpClient& client, const std::vector<Account>& admins, const Ledger& ledger,
                                    const CheckOptions& options) {
    REQUIRE(!admins.empty());
    ConsistencyReport report;
    const auto records = read_topic(deployment.events_topic);
    report.kafka_records = records.size();
    std::map<int, std::int64_t> last_offsets;
    for (const auto& record : records) last_offsets[record.partition] = std::max(last_offsets[record.partition], record.offset);
    REQUIRE_MESSAGE(eventually(options.catch_up_deadline, [&] { return postgres_caught_up(deployment, last_offsets); }),
                    "the PostgreSQL projector did not reach the end of the log");
    REQUIRE_MESSAGE(eventually(options.catch_up_deadline, [&] { return instance_caught_up(client, admins.front().access_token, last_offsets, options.catch_up_deadline); }),
                    "the instance's read models did not reach the end of the log");

    std::map<Place, Entry> log;
    std::set<std::string> event_ids;
    const auto keys = deployment_keys(deployment);
    for (const auto& record : records) {
        Entry entry{std::nullopt, record.key};
        if (auto event = events::decode(record.value, keys.get())) {
            if (!event_ids.insert(event->metadata.event_id).second) ++report.duplicate_event_ids;
            entry.event = std::move(event).value();
        }
        log.emplace(Place{record.partition, record.offset}, std::move(entry));
    }
    // Undecodable records are told apart by their bytes: the test that writes them makes each one unique.
    std::map<Place, std::string> undecodable_ids;
    for (const auto& record : records)
        if (!log.at({record.partition, record.offset}).event) undecodable_ids[{record.partition, record.offset}] = record.value;

    // The dead letters: PostgreSQL's from its table and from the route, RocksDB's from the route only.
    std::set<Place> postgres_dead, rocksdb_dead;
    for (const auto& row : query(deployment, "select partition, \"offset\" from projection_dead_letters where projector = 'postgres' and topic = $1",
                                 {deployment.events_topic}))
        postgres_dead.insert({std::stoi(row[0]), std::stoll(row[1])});
    for (const auto& admin : admins) {
        auto listed = client.get("/v1/admin/dead-letters?limit=1000", admin.access_token);
        REQUIRE_MESSAGE(listed.status == 200, listed.body);
        const auto letters = listed.json();
        for (const auto& letter : letters.as_array()) {
            Place place{static_cast<int>(letter.at("partition").to_number<std::int64_t>()), letter.at("offset").to_number<std::int64_t>()};
            if (letter.at("projector").as_string() == "postgres") ++report.api_postgres_dead;
            if (letter.at("projector").as_string() == "rocksdb") rocksdb_dead.insert(place);
        }
    }
    for (const auto& dead : {&postgres_dead, &rocksdb_dead})
        for (const auto& place : *dead)
            if (!log.contains(place)) ++report.dead_letters_of_nothing;

    // Kafka's side, per kind: every event and its id, whether a command made it, and where it sits.
    const auto acknowledged = ledger.snapshot();
    std::map<Kind, std::map<std::string, std::vector<Place>>> in_kafka;
    std::map<Kind, std::set<std::string>> commanded;
    for (const auto& [place, entry] : log) {
        std::optional<Creation> created;
        if (!entry.event) {
            created = Creation{Kind::undecodable, undecodable_ids.at(place), true};
        } else {
            created = creation_of(*entry.event);
        }
        if (!created) continue;
        in_kafka[created->kind][created->id].push_back(place);
        if (created->commanded) commanded[created->kind].insert(created->id);
    }
    auto dead_ids = [&](Kind kind, const std::set<Place>& dead) {
        std::size_t n = 0;
        for (const auto& [id, places] : in_kafka[kind])
            if (std::any_of(places.begin(), places.end(), [&](const Place& p) { return dead.contains(p); })) ++n;
        return n;
    };

    // RocksDB's side: a session's transcript document, with as many segments as its parse had.
    std::map<std::string, std::string> token_of;
    for (const auto& admin : admins) token_of[admin.organization_id] = admin.access_token;
    std::map<std::string, std::size_t> parsed_segments;
    for (const auto& [place, entry] : log)
        if (entry.event)
            if (const auto* parsed = std::get_if<events::TranscriptParsed>(&entry.event->payload)) parsed_segments[parsed->session_id.value] = parsed->segments.size();
    std::size_t transcripts = 0;
    std::set<std::string> sessions_dead_in_rocksdb;
    for (const auto& [place, entry] : log) {
        if (!entry.event || !rocksdb_dead.contains(place)) continue;
        if (const auto* uploaded = std::get_if<events::TranscriptUploaded>(&entry.event->payload)) sessions_dead_in_rocksdb.insert(uploaded->session_id.value);
        if (const auto* parsed = std::get_if<events::TranscriptParsed>(&entry.event->payload)) sessions_dead_in_rocksdb.insert(parsed->session_id.value);
    }
    for (const auto& [session, places] : in_kafka[Kind::session]) {
        const auto& organization = log.at(places.front()).organization_id;
        REQUIRE_MESSAGE(token_of.contains(organization), "no admin account given for organization " << organization);
        auto read = client.get("/v1/sessions/" + session + "/transcript", token_of.at(organization));
        if (read.status != 200) continue;
        auto segments = read.json().at("segments").as_array().size();
        auto expected = parsed_segments.contains(session) ? parsed_segments.at(session) : 0;
        if (segments == expected) ++transcripts;
    }

    const std::map<Kind, std::string> tables{{Kind::client, "clients"}, {Kind::note, "notes"}, {Kind::action_item, "action_items"}, {Kind::session, "sessions"}};
    for (Kind kind : {Kind::client, Kind::note, Kind::action_item, Kind::session, Kind::undecodable}) {
        KindCounts counts;
        counts.kind = kind_name(kind);
        const auto& acked = acknowledged.contains(kind) ? acknowledged.at(kind) : std::set<std::string>{};
        counts.acknowledged = acked.size();
        for (const auto& id : acked)
            if (!in_kafka[kind].contains(id)) ++counts.lost;
        for (const auto& id : commanded[kind])
            if (!acked.contains(id)) ++counts.unacknowledged;
        counts.kafka = in_kafka[kind].size();
        for (const auto& [id, places] : in_kafka[kind]) counts.kafka_duplicates += places.size() - 1;
        counts.postgres = tables.contains(kind) ? static_cast<std::size_t>(count_rows(deployment, "select count(*) from " + tables.at(kind))) : 0;
        counts.postgres_dead = dead_ids(kind, postgres_dead);
        counts.in_rocksdb = kind == Kind::session || kind == Kind::undecodable;
        counts.rocksdb = kind == Kind::session ? transcripts : 0;
        counts.rocksdb_dead = kind == Kind::session ? sessions_dead_in_rocksdb.size() : dead_ids(kind, rocksdb_dead);
        report.kinds.push_back(counts);
    }

    // Increments and child rows that an event applied twice would inflate, from the events PostgreSQL applied.
    std::int64_t sessions_applied = 0, participants = 0;
    std::set<std::string> summaries, analysed;
    for (const auto& [place, entry] : log) {
        if (!entry.event || postgres_dead.contains(place)) continue;
        const auto& payload = entry.event->payload;
        if (std::holds_alternative<events::SessionCreated>(payload)) ++sessions_applied;
        if (const auto* parsed = std::get_if<events::TranscriptParsed>(&payload)) participants += static_cast<std::int64_t>(parsed->participants.size());
        if (const auto* drafted = std::get_if<events::SummaryDrafted>(&payload)) summaries.insert(drafted->summary_id.value);
        if (const auto* done = std::get_if<events::SessionAnalysed>(&payload)) analysed.insert(done->session_id.value);
    }
    report.derived = {
        {"coach_weekly_stats sessions", {count_rows(deployment, "select coalesce(sum(sessions), 0) from coach_weekly_stats"), sessions_applied}},
        {"session_participants", {count_rows(deployment, "select count(*) from session_participants"), participants}},
        {"summaries", {count_rows(deployment, "select count(*) from summaries"), static_cast<std::int64_t>(summaries.size())}},
        {"analysed sessions", {count_rows(deployment, "select count(*) from sessions where status = 'analysed'"), static_cast<std::int64_t>(analysed.size())}},
    };

    const auto table = report.text();
    MESSAGE(table);
    CHECK(report.duplicate_event_ids == 0);
    CHECK(report.dead_letters_of_nothing == 0);
    CHECK_MESSAGE(report.api_postgres_dead == postgres_dead.size(), "the admin route and projection_dead_letters disagree");
    for (const auto& k : report.kinds) {
        CHECK_MESSAGE(k.lost == 0, k.kind << ": acknowledged but not in Kafka");
        if (!options.answers_may_be_lost) CHECK_MESSAGE(k.unacknowledged == 0, k.kind << ": in Kafka but never acknowledged");
        CHECK_MESSAGE(k.kafka_duplicates == 0, k.kind << ": created twice in Kafka");
        CHECK_MESSAGE(k.kafka == k.postgres + k.postgres_dead, k.kind << ": in Kafka != in PostgreSQL + dead letters");
        if (k.in_rocksdb) CHECK_MESSAGE(k.kafka == k.rocksdb + k.rocksdb_dead, k.kind << ": in Kafka != in RocksDB + dead letters");
    }
    for (const auto& [name, values] : report.derived) CHECK_MESSAGE(values.first == values.second, name << ": PostgreSQL != the log");
    return report;
}

}  // namespace debrief::it
