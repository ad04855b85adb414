// Events into search documents.
#include "projections/search/search_indexer.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <set>

#include "events/event_dispatch.hpp"
#include "events/personal_data.hpp"
#include "projections/search/index_keys.hpp"

namespace debrief::projections {
namespace json = boost::json;
namespace {

std::string day_of(std::int64_t ms) {
    const auto days = std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms)));
    const std::chrono::year_month_day ymd{days};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return text;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += "\n";
        out += item;
    }
    return out;
}

std::vector<std::string> strings_of(const json::value* value) {
    std::vector<std::string> out;
    if (value && value->is_array())
        for (const auto& v : value->as_array())
            if (v.is_string()) out.emplace_back(v.as_string());
    return out;
}
json::array array_of(const std::vector<std::string>& values) {
    json::array out;
    for (const auto& v : values) out.emplace_back(v);
    return out;
}
std::string string_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

void SearchIndexer::apply(const events::Event& event) {
    org_ = event.metadata.organization_id.value;
    today_ = day_of(event.metadata.occurred_at_ms);
    events::dispatch(*this, event.payload);
}

namespace {
// The indexer's own records and lists, as JSON under the index's keys.
json::object load(IndexWriter& index, const std::string& key) {
    auto stored = index.get(key);
    if (!stored) return {};
    try {
        return json::parse(*stored).as_object();
    } catch (const std::exception& e) {
        throw IndexDamaged("search index record " + key + ": " + e.what());
    }
}
// Lists of document numbers: 4 bytes each, big-endian.
std::vector<std::uint32_t> load_list(IndexWriter& index, const std::string& key) {
    std::vector<std::uint32_t> docs;
    auto stored = index.get(key);
    if (!stored) return docs;
    if (stored->size() % 4 != 0) throw IndexDamaged("search index list " + key + " is not whole numbers");
    for (std::size_t i = 0; i < stored->size(); i += 4) docs.push_back(index_keys::read_big_endian(std::string_view(*stored).substr(i, 4)));
    return docs;
}
void store_list(IndexWriter& index, const std::string& key, const std::vector<std::uint32_t>& docs) {
    if (docs.empty()) return index.erase(key);
    std::string out;
    for (auto d : docs) index_keys::append_big_endian(out, d);
    index.put(key, std::move(out));
}
}  // namespace

// A client's login keeps no name here: erasing the client reaches their client record, which is the name searched by.
void SearchIndexer::on(const events::UserRegistered& e) {
    json::object user{{"role", e.role}, {"lead", e.lead_id.value}};
    if (e.role != "client") user["name"] = e.name;
    index_.put(index_keys::record(org_, "user", e.user_id.value), json::serialize(user));
}

void SearchIndexer::on(const events::UserRoleChanged& e) {
    const auto key = index_keys::record(org_, "user", e.user_id.value);
    auto user = load(index_, key);
    user["role"] = e.role;
    user["lead"] = e.lead_id.value;
    index_.put(key, json::serialize(user));
}

void SearchIndexer::on(const events::ClientRegistered& e) {
    index_.put(index_keys::record(org_, "client", e.client_id.value),
               json::serialize(json::object{{"name", e.name}, {"coach", e.coach_id.value}, {"tags", array_of(e.tags)}}));
}

// Everything that concerns the client goes: their summaries, action items and notes, their own turns, and the
// coach's and unmatched speakers' turns of their sessions (as in the transcript documents); another client's turns
// in a group session stay. Their name goes from suggestions and name matching.
void SearchIndexer::on(const events::ClientErased& e) {
    const auto list = index_keys::client(org_, e.client_id.value);  // an index from before one key per document
    for (auto doc : load_list(index_, list)) index_.remove(org_, doc);
    index_.erase(list);
    const auto prefix = index_keys::client_documents(org_, e.client_id.value);
    for (const auto& key : index_.keys_under(prefix)) {
        index_.remove(org_, index_keys::read_big_endian(std::string_view(key).substr(prefix.size())));
        index_.erase(key);
    }
    index_.erase(index_keys::record(org_, "client", e.client_id.value));
}

void SearchIndexer::on(const events::SessionCreated& e) {
    index_.put(index_keys::record(org_, "session", e.session_id.value),
               json::serialize(json::object{{"coach", e.coach_id.value}, {"date", e.session_date}, {"type", e.session_type}, {"clients", json::array{}}}));
}

SearchDocument SearchIndexer::about_client(SearchField field, const std::string& id, const ClientId& client, const UserId& coach,
                                           const SessionId& session) {
    SearchDocument d;
    d.field = field;
    d.id = id;
    d.session_id = session.value;
    d.client_ids = {client.value};
    d.coach_id = coach.value;
    d.date = today_;
    if (!session.value.empty()) {
        const auto record = load(index_, index_keys::record(org_, "session", session.value));
        if (!record.empty()) {
            d.session_type = string_at(record, "type");
            d.date = string_at(record, "date");
        }
    }
    d.tags = strings_of(load(index_, index_keys::record(org_, "client", client.value)).if_contains("tags"));
    return d;
}

// Replaces the documents of one thing (a transcript, a summary, an action item, a note) with these.
// Each client's documents are keys of their own: a note for a client with 10,000 documents writes one key, where a
// list rewrote all of them (quadratic in the client's history).
void SearchIndexer::replace(const std::string& thing, const std::vector<SearchDocument>& documents) {
    const auto key = index_keys::thing(org_, thing);
    for (auto doc : load_list(index_, key))
        if (auto removed = index_.remove(org_, doc))
            for (const auto& client : removed->client_ids) index_.erase(index_keys::client_document(org_, client, doc));
    std::vector<std::uint32_t> docs;
    for (const auto& document : documents) {
        auto doc = index_.add(org_, document);
        if (!doc) continue;
        docs.push_back(*doc);
        for (const auto& client : document.client_ids) index_.put(index_keys::client_document(org_, client, *doc), {});
    }
    store_list(index_, key, docs);
}

void SearchIndexer::on(const events::TranscriptParsed& e) {
    const auto session_key = index_keys::record(org_, "session", e.session_id.value);
    auto session = load(index_, session_key);
    std::map<std::string, std::string> client_of;
    std::vector<std::string> clients;
    for (const auto& p : e.participants)
        if (!p.is_coach && !p.client_id.value.empty()) {
            client_of[p.name] = p.client_id.value;
            clients.push_back(p.client_id.value);
        }
    std::map<std::string, std::vector<std::string>> tags_of;
    std::set<std::string> all_tags;
    for (const auto& client : clients) {
        tags_of[client] = strings_of(load(index_, index_keys::record(org_, "client", client)).if_contains("tags"));
        all_tags.insert(tags_of[client].begin(), tags_of[client].end());
    }
    session["clients"] = array_of(clients);
    index_.put(session_key, json::serialize(session));
    std::vector<SearchDocument> documents;
    for (std::size_t i = 0; i < e.segments.size(); ++i) {
        const auto& segment = e.segments[i];
        SearchDocument d;
        d.field = SearchField::transcript;
        d.id = e.session_id.value;
        d.session_id = e.session_id.value;
        d.segment = static_cast<int>(i);
        d.speaker = segment.speaker;
        d.start_seconds = segment.start_seconds;
        d.coach_id = string_at(session, "coach");
        d.session_type = string_at(session, "type");
        d.date = string_at(session, "date");
        // A client's turn concerns that client; the coach's (and an unmatched speaker's) every client of the session.
        if (auto it = client_of.find(segment.speaker); it != client_of.end()) {
            d.client_ids = {it->second};
            d.tags = tags_of[it->second];
        } else {
            d.client_ids = clients;
            d.tags.assign(all_tags.begin(), all_tags.end());
        }
        d.text = segment.text;
        documents.push_back(std::move(d));
    }
    replace("transcript:" + e.session_id.value, documents);
}

void SearchIndexer::index_summary(const SummaryId& id, const events::SummaryContent& content, std::optional<bool> approved) {
    const auto key = index_keys::record(org_, "summary", id.value);
    auto summary = load(index_, key);
    if (summary.empty()) return;  // drafted before this index existed: nothing to file it under
    if (approved) summary["approved"] = *approved;
    index_.put(key, json::serialize(summary));
    const ClientId client{string_at(summary, "client")};
    const UserId coach{string_at(summary, "coach")};
    const SessionId session{string_at(summary, "session")};
    const bool visible = summary.contains("approved") && summary.at("approved").is_bool() && summary.at("approved").as_bool();
    std::vector<std::string> titles;
    for (const auto& item : content.action_items) titles.push_back(item.title);
    std::vector<SearchDocument> documents;
    for (auto [field, text] : {std::pair{SearchField::wins, join(content.wins)}, std::pair{SearchField::challenges, join(content.challenges)},
                               std::pair{SearchField::summary_action_items, join(titles)},
                               std::pair{SearchField::recommendations, join(content.coach_recommendations)}}) {
        auto d = about_client(field, id.value, client, coach, session);
        d.client_visible = visible;
        d.text = std::move(text);
        documents.push_back(std::move(d));
    }
    replace("summary:" + id.value, documents);
}

void SearchIndexer::on(const events::SummaryDrafted& e) {
    index_.put(index_keys::record(org_, "summary", e.summary_id.value),
               json::serialize(json::object{{"session", e.session_id.value}, {"client", e.client_id.value}, {"coach", e.coach_id.value}, {"approved", false}}));
    index_summary(e.summary_id, e.content, false);
}
void SearchIndexer::on(const events::SummaryRefined& e) { index_summary(e.summary_id, e.after, std::nullopt); }
void SearchIndexer::on(const events::SummaryApproved& e) { index_summary(e.summary_id, e.content, true); }

// Reopened: the same words, hidden from the client again until the next approval; the postings stay.
void SearchIndexer::on(const events::SummaryReopened& e) {
    const auto key = index_keys::record(org_, "summary", e.summary_id.value);
    auto summary = load(index_, key);
    if (summary.empty()) return;
    summary["approved"] = false;
    index_.put(key, json::serialize(summary));
    for (auto doc : load_list(index_, index_keys::thing(org_, "summary:" + e.summary_id.value)))
        if (auto document = index_.document(org_, doc)) {
            document->client_visible = false;
            index_.restore(org_, doc, *document);
        }
}

void SearchIndexer::on(const events::ActionItemCreated& e) {
    auto d = about_client(SearchField::action_item, e.action_item_id.value, e.client_id, e.coach_id, e.session_id);
    d.client_visible = true;  // a client sees their own action items
    d.text = e.title;
    replace("action_item:" + e.action_item_id.value, {d});
}

void SearchIndexer::on(const events::NoteAdded& e) {
    auto d = about_client(SearchField::note, e.note_id.value, e.client_id, e.coach_id, {});
    d.text = e.text;
    replace("note:" + e.note_id.value, {d});
}

}  // namespace debrief::projections
