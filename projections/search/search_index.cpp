// Queries over the search index: one plan per field (its cursors, their weights, its statistics), run by block-max
// WAND or a document-at-a-time walk, merged across fields by score or date.
#include "projections/search/search_index.hpp"

#include <rocksdb/db.h>

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <deque>
#include <shared_mutex>
#include <unordered_map>

#include "projections/search/index_keys.hpp"
#include "projections/search/posting_cursor.hpp"
#include "projections/search/text_analyzer.hpp"
#include "projections/search/top_k.hpp"

namespace debrief::projections {
namespace {

constexpr std::int32_t no_day = INT32_MIN;
constexpr std::size_t max_prefix_terms = 64;
constexpr std::size_t similar_query_terms = 25;      // MoreLikeThis's default max_query_terms
constexpr std::uint64_t similar_min_documents = 2;     // a term no other turn holds finds nothing
constexpr std::size_t similar_turns_read = 200;        // the best turns grouped into sessions
constexpr std::size_t similar_terms_shown = 8;
constexpr std::size_t max_suggestion_scan = 20'000;  // words read per coach for one suggestion: a bound on its time  // a prefix stands for its most frequent terms, as Lucene's top-terms rewrite

// Strings of one organization's columns as small numbers.
class Interner {
public:
    std::uint32_t id(const std::string& value) {
        auto [it, added] = ids_.try_emplace(value, static_cast<std::uint32_t>(values_.size()));
        if (added) values_.push_back(value);
        return it->second;
    }
    std::optional<std::uint32_t> find(const std::string& value) const {
        auto it = ids_.find(value);
        return it == ids_.end() ? std::nullopt : std::optional(it->second);
    }
    const std::string& value(std::uint32_t id) const { return values_[id]; }

private:
    std::map<std::string, std::uint32_t> ids_;
    std::vector<std::string> values_;
};

struct Column {
    bool live = false;
    bool client_visible = false;
    std::uint8_t field = 0;
    std::int32_t day = no_day;
    std::uint32_t coach = 0;
    std::uint32_t session_type = 0;
    std::uint32_t session = 0;
    std::vector<std::uint32_t> clients, tags;
};

// A user or a client the indexer keeps a record of: who may be named in a query.
struct Person {
    std::string id, name;
    bool client = false;
    std::string role;   // a user's
    std::string coach;  // a client's coach
    std::string lead;   // a user's coach lead
};

struct Columns {
    std::shared_mutex mutex;
    bool loaded = false;
    Interner strings;
    std::vector<Column> docs;              // by document number
    std::optional<std::vector<Person>> people;  // loaded when first asked for, dropped when a batch changes one

    void set(std::uint32_t doc, const std::optional<SearchDocument>& document) {
        if (docs.size() <= doc) docs.resize(doc + 1);
        auto& c = docs[doc];
        if (!document) {
            c = Column{};
            return;
        }
        c.live = true;
        c.client_visible = document->client_visible;
        c.field = static_cast<std::uint8_t>(document->field);
        c.day = day_number(document->date).value_or(no_day);
        c.coach = strings.id(document->coach_id);
        c.session_type = strings.id(document->session_type);
        c.session = strings.id(document->session_id);
        c.clients.clear();
        for (const auto& client : document->client_ids) c.clients.push_back(strings.id(client));
        c.tags.clear();
        for (const auto& tag : document->tags) c.tags.push_back(strings.id(tag));
    }
};

bool shares(const std::vector<std::uint32_t>& values, const std::vector<std::uint32_t>& wanted) {
    for (auto v : values)
        if (std::find(wanted.begin(), wanted.end(), v) != wanted.end()) return true;
    return false;
}

// The filters and the scope, in the columns' numbers: which documents a query may answer.
struct Admission {
    bool none = false;  // a filter names what this organization does not have
    bool everything = false;
    std::vector<std::uint32_t> scope_coaches;
    std::optional<std::uint32_t> scope_client;
    std::vector<std::uint32_t> clients, coaches, tags;
    bool any_clients = false, any_coaches = false, any_tags = false;
    std::optional<std::uint32_t> session_type;
    std::vector<std::uint32_t> excluded_sessions;
    std::int32_t from = INT32_MIN, to = INT32_MAX;

    // Whether it turns any document away (a filter, or a scope narrower than the organization).
    bool narrows() const {
        return none || !everything || any_clients || any_coaches || any_tags || session_type || !excluded_sessions.empty() || from != INT32_MIN ||
               to != INT32_MAX;
    }

    static Admission of(const SearchRequest& request, const Interner& strings) {
        Admission a;
        auto ids = [&](const std::vector<std::string>& values, std::vector<std::uint32_t>& out) {
            for (const auto& v : values)
                if (auto id = strings.find(v)) out.push_back(*id);
            return !values.empty();
        };
        a.everything = request.scope.everything;
        std::vector<std::string> coaches(request.scope.coach_ids.begin(), request.scope.coach_ids.end());
        ids(coaches, a.scope_coaches);
        if (!request.scope.client_id.empty()) {
            auto id = strings.find(request.scope.client_id);
            if (!id) a.none = true;
            a.scope_client = id;
        }
        a.any_clients = ids(request.filters.client_ids, a.clients);
        a.any_coaches = ids(request.filters.coach_ids, a.coaches);
        a.any_tags = ids(request.filters.tags, a.tags);
        if ((a.any_clients && a.clients.empty()) || (a.any_coaches && a.coaches.empty()) || (a.any_tags && a.tags.empty())) a.none = true;
        if (!request.filters.session_type.empty()) {
            a.session_type = strings.find(request.filters.session_type);
            if (!a.session_type) a.none = true;
        }
        ids(std::vector<std::string>(request.filters.excluded_sessions.begin(), request.filters.excluded_sessions.end()), a.excluded_sessions);
        if (request.filters.from_day) a.from = *request.filters.from_day;
        if (request.filters.to_day) a.to = *request.filters.to_day;
        if (!a.everything && a.scope_coaches.empty() && !a.scope_client) a.none = true;
        return a;
    }

    bool admits(const Column& c) const {
        if (!c.live) return false;
        if (!everything) {
            const bool by_coach = std::find(scope_coaches.begin(), scope_coaches.end(), c.coach) != scope_coaches.end();
            const bool own = scope_client && c.client_visible && std::find(c.clients.begin(), c.clients.end(), *scope_client) != c.clients.end();
            if (!by_coach && !own) return false;
        }
        if (any_clients && !shares(c.clients, clients)) return false;
        if (any_coaches && std::find(coaches.begin(), coaches.end(), c.coach) == coaches.end()) return false;
        if (any_tags && !shares(c.tags, tags)) return false;
        if (session_type && c.session_type != *session_type) return false;
        if (std::find(excluded_sessions.begin(), excluded_sessions.end(), c.session) != excluded_sessions.end()) return false;
        if (from != INT32_MIN || to != INT32_MAX) {
            if (c.day == no_day || c.day < from || c.day > to) return false;
        }
        return true;
    }
};

// A walk over the documents that match one part of a query, in document order.
class Matcher {
public:
    virtual ~Matcher() = default;
    virtual std::uint32_t doc() const = 0;
    virtual void advance(std::uint32_t target) = 0;  // to the first match at or after target
    virtual double score() = 0;                       // of the match it stands on
};

class TermMatcher : public Matcher {
public:
    explicit TermMatcher(PostingCursor cursor) : cursor_(std::move(cursor)) {}
    std::uint32_t doc() const override { return cursor_.doc(); }
    void advance(std::uint32_t target) override {
        if (cursor_.doc() < target) cursor_.advance(target);
    }
    double score() override { return cursor_.score(); }

private:
    PostingCursor cursor_;
};

// Every live document of one field, for a query of filters only.
class EveryMatcher : public Matcher {
public:
    EveryMatcher(const std::vector<Column>& docs, SearchField field) : docs_(docs), field_(static_cast<std::uint8_t>(field)) { find(0); }
    std::uint32_t doc() const override { return doc_; }
    void advance(std::uint32_t target) override {
        if (doc_ < target) find(target);
    }
    double score() override { return 0; }

private:
    void find(std::uint32_t target) {
        while (target < docs_.size() && !(docs_[target].live && docs_[target].field == field_)) ++target;
        doc_ = target < docs_.size() ? target : no_more_docs;
    }
    const std::vector<Column>& docs_;
    std::uint8_t field_;
    std::uint32_t doc_ = no_more_docs;
};

class PhraseMatcher : public Matcher {
public:
    PhraseMatcher(std::vector<PostingCursor> cursors, Phrase phrase) : cursors_(std::move(cursors)), phrase_(std::move(phrase)) { find(0); }
    std::uint32_t doc() const override { return doc_; }
    void advance(std::uint32_t target) override {
        if (doc_ < target) find(target);
    }
    double score() override { return phrase_.bm25.score(phrase_.weight, frequency_, cursors_.front().length(), phrase_.average_length); }

private:
    void find(std::uint32_t target) {
        while (true) {
            bool agreed = true;
            for (auto& cursor : cursors_) {
                if (cursor.doc() < target) cursor.advance(target);
                if (cursor.doc() == no_more_docs) {
                    doc_ = no_more_docs;
                    return;
                }
                if (cursor.doc() != target) {
                    target = cursor.doc();
                    agreed = false;
                }
            }
            if (!agreed) continue;
            frequency_ = phrase_frequency(cursors_, phrase_.offsets);
            if (frequency_ > 0) {
                doc_ = target;
                return;
            }
            target += 1;
        }
    }
    std::vector<PostingCursor> cursors_;
    Phrase phrase_;
    std::uint32_t doc_ = no_more_docs;
    std::uint32_t frequency_ = 0;
};

// Any of its parts: a prefix's terms.
class AnyMatcher : public Matcher {
public:
    explicit AnyMatcher(std::vector<std::unique_ptr<Matcher>> parts) : parts_(std::move(parts)) {}
    std::uint32_t doc() const override {
        std::uint32_t doc = no_more_docs;
        for (const auto& part : parts_) doc = std::min(doc, part->doc());
        return doc;
    }
    void advance(std::uint32_t target) override {
        for (auto& part : parts_) part->advance(target);
    }
    double score() override {
        const auto at = doc();
        double score = 0;
        for (auto& part : parts_)
            if (part->doc() == at) score += part->score();
        return score;
    }

private:
    std::vector<std::unique_ptr<Matcher>> parts_;
};

// One field's part of a query: the postings its cursors walk (kept here: a cursor holds a reference) and its parts.
struct FieldPlan {
    SearchField field = SearchField::transcript;
    bool impossible = false;  // a required part has no postings here
    std::deque<TermPostings> postings;
    std::vector<std::unique_ptr<Matcher>> required, optional, excluded;
    std::vector<PostingCursor> plain;  // the optional words as bare cursors, for WAND, when they are all there is
    bool only_words = true;
};

struct Reader {
    rocksdb::DB& db;
    rocksdb::ReadOptions options;
    const std::string& org;

    std::optional<std::string> get(const std::string& key) const {
        std::string value;
        auto status = db.Get(options, key, &value);
        if (!status.ok()) return std::nullopt;
        return value;
    }
    Result<std::optional<TermEntry>> entry(SearchField field, const std::string& term) const {
        auto stored = get(index_keys::term(org, field, term));
        if (!stored) return std::optional<TermEntry>{};
        auto decoded = decode_term_entry(*stored);
        if (!decoded) return decoded.error();
        return std::optional<TermEntry>(std::move(decoded).value());
    }
    TermPostings postings(SearchField field, const std::string& term, const TermEntry& entry) const {
        TermPostings p;
        p.document_frequency = entry.document_frequency;
        p.impacts = entry.impacts();
        std::vector<std::string> keys;
        for (const auto& block : entry.blocks) {
            p.blocks.push_back(block.meta);
            keys.push_back(index_keys::block(org, field, term, block.id));
        }
        p.load = [this, keys = std::move(keys)](std::size_t i) {
            auto stored = get(keys.at(i));
            if (!stored) throw IndexDamaged("a search block the dictionary names is missing");
            auto block = PostingBlock::decode(std::make_shared<const std::string>(std::move(*stored)));
            if (!block) throw IndexDamaged(block.error().message);
            return std::move(block).value();
        };
        return p;
    }
    // The dictionary's terms that start with prefix, most frequent first.
    std::vector<std::pair<std::string, TermEntry>> terms_starting(SearchField field, const std::string& prefix) const {
        std::vector<std::pair<std::string, TermEntry>> found;
        const auto base = index_keys::terms(org, field);
        const auto start = base + prefix;
        auto iterate = options;
        iterate.total_order_seek = true;  // a range of the dictionary, not one prefix of the extractor
        std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(iterate));
        for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
            auto entry = decode_term_entry(std::string_view(it->value().data(), it->value().size()));
            if (entry) found.emplace_back(it->key().ToString().substr(base.size()), std::move(entry).value());
        }
        std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.second.document_frequency > b.second.document_frequency; });
        if (found.size() > max_prefix_terms) found.resize(max_prefix_terms);
        return found;
    }
};

struct Ranked {
    SearchField field;
    std::uint32_t doc;
    double score;
    std::int32_t day;
};

bool before(const Ranked& a, const Ranked& b, SearchSort sort) {
    if (sort == SearchSort::date && a.day != b.day) return a.day > b.day;
    if (a.score != b.score) return a.score > b.score;
    if (a.field != b.field) return a.field < b.field;
    return a.doc < b.doc;
}
SearchPlace place_of(const Ranked& r) { return {r.score, r.day, static_cast<std::uint8_t>(r.field), r.doc}; }
Ranked ranked_of(const SearchPlace& p) { return {static_cast<SearchField>(p.field), p.doc, p.score, p.day}; }

}  // namespace

struct SearchIndex::Impl {
    explicit Impl(rocksdb::DB& database) : db(database) {}
    rocksdb::DB& db;
    mutable std::mutex columns_mutex;
    mutable std::map<std::string, std::unique_ptr<Columns>> columns;

    Columns& columns_of(const std::string& org) const {
        std::lock_guard lock(columns_mutex);
        auto& slot = columns[org];
        if (!slot) slot = std::make_unique<Columns>();
        return *slot;
    }
    void load(Columns& c, const std::string& org) const {
        const auto prefix = index_keys::documents(org);
        rocksdb::ReadOptions options;
        options.total_order_seek = true;
        std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(options));
        for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
            const auto key = it->key();
            if (key.size() != prefix.size() + 4) continue;
            try {
                c.set(index_keys::read_big_endian(std::string_view(key.data() + prefix.size(), 4)), decode_document(it->value().ToStringView()));
            } catch (const std::exception&) {
                // a damaged document is never answered
            }
        }
        c.loaded = true;
    }
    void load_people(Columns& c, const std::string& org) const {
        std::vector<Person> people;
        rocksdb::ReadOptions options;
        options.total_order_seek = true;
        std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(options));
        for (const char* kind : {"user", "client"}) {
            const auto prefix = index_keys::records(org, kind);
            for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
                try {
                    const auto record = boost::json::parse(it->value().ToStringView()).as_object();
                    auto text = [&](const char* key) {
                        const auto* v = record.if_contains(key);
                        return v && v->is_string() ? std::string(v->as_string()) : std::string{};
                    };
                    people.push_back({it->key().ToString().substr(prefix.size()), text("name"), kind == std::string_view("client"), text("role"),
                                      text("coach"), text("lead")});
                } catch (const std::exception&) {
                    // a damaged record names no one
                }
            }
        }
        c.people = std::move(people);
    }
    // The organization's columns and people, loaded if need be; read under the returned lock.
    std::pair<Columns&, std::shared_lock<std::shared_mutex>> ready(const std::string& org, bool with_people) const {
        auto& c = columns_of(org);
        {
            std::unique_lock lock(c.mutex);
            if (!c.loaded) load(c, org);
            if (with_people && !c.people) load_people(c, org);
        }
        return {c, std::shared_lock(c.mutex)};
    }
};

SearchIndex::SearchIndex(rocksdb::DB& db) : impl_(std::make_unique<Impl>(db)) {}
SearchIndex::~SearchIndex() = default;

void SearchIndex::apply(const std::vector<IndexWriter::DocumentChange>& changes, const std::set<std::string>& people_changed) {
    for (const auto& change : changes) {
        auto& c = impl_->columns_of(change.org);
        std::unique_lock lock(c.mutex);
        if (c.loaded) c.set(change.doc, change.document);  // else the first query loads what is committed
    }
    for (const auto& org : people_changed) {
        auto& c = impl_->columns_of(org);
        std::unique_lock lock(c.mutex);
        c.people.reset();  // the next query that needs them reads what is committed
    }
}

std::set<std::string> SearchIndex::coaches_led_by(const std::string& organization, const std::string& lead) const {
    const auto ready = impl_->ready(organization, true);
    const auto& columns = ready.first;
    std::set<std::string> coaches;
    for (const auto& person : *columns.people)
        if (!person.client && person.lead == lead) coaches.insert(person.id);
    return coaches;
}

std::vector<KnownName> SearchIndex::known_names(const std::string& organization, const SearchScope& scope) const {
    const auto ready = impl_->ready(organization, true);
    const auto& columns = ready.first;
    std::vector<KnownName> names;
    for (const auto& person : *columns.people) {
        if (person.name.empty()) continue;
        if (person.client && (scope.everything || scope.coach_ids.contains(person.coach)))
            names.push_back({person.name, "client", person.id});
        else if (!person.client && (person.role == "coach" || person.role == "coach_lead") && (scope.everything || scope.coach_ids.contains(person.id)))
            names.push_back({person.name, "coach", person.id});
    }
    return names;
}

std::vector<Suggestion> SearchIndex::suggest(const std::string& organization, const SearchScope& scope, std::string_view prefix,
                                            std::size_t limit) const {
    const auto folded = TextAnalyzer::fold(prefix);
    std::vector<Suggestion> out;
    if (folded.empty() || limit == 0) return out;
    std::vector<std::string> owners;
    if (scope.everything) owners.emplace_back(index_keys::whole_organization);
    else owners.assign(scope.coach_ids.begin(), scope.coach_ids.end());
    std::map<std::string, std::uint64_t> words;
    rocksdb::ReadOptions options;
    options.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(impl_->db.NewIterator(options));
    for (const auto& owner : owners) {
        const auto base = index_keys::words(organization, owner);
        const auto start = base + folded;
        std::size_t read = 0;
        for (it->Seek(start); it->Valid() && it->key().starts_with(start) && read < max_suggestion_scan; it->Next(), ++read) {
            std::uint64_t count = 0;
            const auto value = it->value();
            if (std::from_chars(value.data(), value.data() + value.size(), count).ptr != value.data() + value.size()) continue;
            words[it->key().ToString().substr(base.size())] += count;
        }
    }
    for (auto& [word, count] : words) out.push_back({word, "term", count});

    // Names: any of their words may start with the prefix ("lee" finds Marcus Lee); weighed by the documents that
    // concern them, counted in one pass over the columns.
    auto starts_a_word = [&](const std::string& name) {
        for (std::size_t at = 0; at < name.size(); ++at)
            if ((at == 0 || name[at - 1] == ' ' || name[at - 1] == '-') && std::string_view(name).substr(at).starts_with(folded)) return true;
        return false;
    };
    const auto names = known_names(organization, scope);
    const auto ready = impl_->ready(organization, false);
    const auto& columns = ready.first;
    std::map<std::uint32_t, std::size_t> client_slot, coach_slot;  // interned id -> its suggestion
    for (const auto& name : names) {
        if (!starts_a_word(TextAnalyzer::fold(name.name))) continue;
        if (const auto id = columns.strings.find(name.id)) (name.kind == "coach" ? coach_slot : client_slot)[*id] = out.size();
        out.push_back({name.name, name.kind, 0, name.id});
    }
    if (!client_slot.empty() || !coach_slot.empty())
        for (const auto& c : columns.docs) {
            if (!c.live) continue;
            if (auto it = coach_slot.find(c.coach); it != coach_slot.end()) ++out[it->second].weight;
            for (auto client : c.clients)
                if (auto it = client_slot.find(client); it != client_slot.end()) ++out[it->second].weight;
        }
    std::sort(out.begin(), out.end(), [](const Suggestion& a, const Suggestion& b) {
        if (a.weight != b.weight) return a.weight > b.weight;
        if (a.text != b.text) return a.text < b.text;
        return a.kind < b.kind;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

Result<std::optional<std::vector<SimilarSession>>> SearchIndex::similar_sessions(const std::string& organization, const SearchScope& scope,
                                                                                const std::string& session_id, std::size_t limit) const try {
    using Found = std::optional<std::vector<SimilarSession>>;
    thread_local TextAnalyzer analyzer;
    auto& db = impl_->db;
    auto get = [&](const std::string& key) -> std::optional<std::string> {
        std::string value;
        if (!db.Get(rocksdb::ReadOptions{}, key, &value).ok()) return std::nullopt;
        return value;
    };
    const auto record = get(index_keys::record(organization, "session", session_id));
    if (!record) return Found{};
    const auto session = boost::json::parse(*record).as_object();
    const auto* coach = session.if_contains("coach");
    const std::string coach_id = coach && coach->is_string() ? std::string(coach->as_string()) : std::string{};
    if (!scope.everything && !scope.coach_ids.contains(coach_id)) return Found{};

    // The session's terms, how often its turns say them, and the word each was said as most often.
    std::map<std::string, std::uint32_t> frequency;
    std::map<std::string, std::map<std::string, std::uint32_t>> said_as;
    if (const auto list = get(index_keys::thing(organization, "transcript:" + session_id)))
        for (std::size_t i = 0; i + 4 <= list->size(); i += 4) {
            const auto stored = get(index_keys::document(organization, index_keys::read_big_endian(std::string_view(*list).substr(i, 4))));
            if (!stored) continue;
            const auto document = decode_document(*stored);
            for (const auto& token : analyzer.analyze(document.text)) {
                ++frequency[token.term];
                ++said_as[token.term][TextAnalyzer::fold(std::string_view(document.text).substr(token.start, token.end - token.start))];
            }
        }
    IndexCounters counters;
    counters.fields.resize(search_field_count);
    if (auto stored = get(index_keys::meta(organization))) {
        auto decoded = decode_counters(*stored);
        if (!decoded) return decoded.error();
        counters = std::move(decoded).value();
    }
    const auto documents = counters.fields[static_cast<std::size_t>(SearchField::transcript)].documents;
    std::vector<std::pair<double, std::string>> weighted;
    for (const auto& [term, tf] : frequency) {
        const auto stored = get(index_keys::term(organization, SearchField::transcript, term));
        if (!stored) continue;
        auto entry = decode_term_entry(*stored);
        if (!entry) return entry.error();
        if (entry->document_frequency < similar_min_documents) continue;
        weighted.emplace_back(tf * Bm25::idf(documents, entry->document_frequency), term);
    }
    std::sort(weighted.begin(), weighted.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    if (weighted.size() > similar_query_terms) weighted.resize(similar_query_terms);
    if (weighted.empty()) return Found{std::vector<SimilarSession>{}};

    SearchRequest request;
    request.organization = organization;
    request.scope = scope;
    request.filters.fields = {SearchField::transcript};
    request.filters.excluded_sessions = {session_id};
    for (const auto& [weight, term] : weighted) request.terms.analysed.push_back(term);
    request.limit = similar_turns_read;
    auto answer = search(request);
    if (!answer) return answer.error();

    std::map<std::string, SimilarSession> sessions;
    std::map<std::string, std::set<std::string>> shared;
    const std::set<std::string> query(request.terms.analysed.begin(), request.terms.analysed.end());
    for (const auto& hit : answer->hits) {
        auto& similar = sessions[hit.document.session_id];
        similar.session_id = hit.document.session_id;
        similar.score += hit.score;
        for (const auto& token : analyzer.analyze(hit.document.text))
            if (query.contains(token.term)) shared[hit.document.session_id].insert(token.term);
    }
    std::vector<SimilarSession> out;
    for (auto& [id, similar] : sessions) {
        // Its shared words in the order of their weight in the query, as this session said them.
        for (const auto& [weight, term] : weighted)
            if (shared[id].contains(term) && similar.terms.size() < similar_terms_shown) {
                const auto& forms = said_as[term];
                similar.terms.push_back(std::max_element(forms.begin(), forms.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->first);
            }
        out.push_back(std::move(similar));
    }
    std::sort(out.begin(), out.end(), [](const SimilarSession& a, const SimilarSession& b) {
        return a.score != b.score ? a.score > b.score : a.session_id < b.session_id;
    });
    if (out.size() > limit) out.resize(limit);
    for (auto& similar : out)
        if (const auto stored = get(index_keys::record(organization, "session", similar.session_id))) {
            const auto other = boost::json::parse(*stored).as_object();
            auto text = [&](const char* key) {
                const auto* v = other.if_contains(key);
                return v && v->is_string() ? std::string(v->as_string()) : std::string{};
            };
            similar.coach_id = text("coach");
            similar.date = text("date");
            similar.session_type = text("type");
            if (const auto* clients = other.if_contains("clients"); clients && clients->is_array())
                for (const auto& c : clients->as_array())
                    if (c.is_string()) similar.client_ids.emplace_back(c.as_string());
        }
    return Found{std::move(out)};
} catch (const IndexDamaged& e) {
    return Error{ErrorKind::internal, "search_index_damaged", e.what()};
} catch (const std::exception& e) {
    return Error{ErrorKind::internal, "search_index_damaged", std::string("a search record does not decode: ") + e.what()};
}

SearchTerms search_terms(const SearchQuery& query, bool all) {
    SearchTerms terms;
    for (const auto& clause : query.clauses) {
        using Kind = QueryClause::Kind;
        if (clause.kind == Kind::phrase) (clause.excluded ? terms.excluded_phrases : terms.phrases).push_back(clause.text);
        else if (clause.kind == Kind::prefix && !clause.excluded) terms.prefixes.push_back(clause.text);
        else (clause.excluded ? terms.excluded_words : terms.words).push_back(clause.text);
    }
    terms.all = all;
    return terms;
}

Result<SearchAnswer> SearchIndex::search(const SearchRequest& request) const try {
    thread_local TextAnalyzer analyzer;
    SearchAnswer answer;
    auto ready = impl_->ready(request.organization, false);  // (no structured binding: lambdas below capture it)
    auto& columns = ready.first;
    const auto admission = Admission::of(request, columns.strings);
    if (admission.none) return answer;

    const rocksdb::Snapshot* snapshot = impl_->db.GetSnapshot();
    struct Release {
        rocksdb::DB& db;
        const rocksdb::Snapshot* s;
        ~Release() { db.ReleaseSnapshot(s); }
    } release{impl_->db, snapshot};
    Reader reader{impl_->db, rocksdb::ReadOptions{}, request.organization};
    reader.options.snapshot = snapshot;
    IndexCounters counters;
    counters.fields.resize(search_field_count);
    if (auto stored = reader.get(index_keys::meta(request.organization))) {
        auto decoded = decode_counters(*stored);
        if (!decoded) return decoded.error();
        counters = std::move(decoded).value();
    }

    // The query's words as terms, and its phrases as terms at their offsets.
    auto terms_of = [&](const std::vector<std::string>& words) {
        std::vector<std::string> out;
        for (const auto& word : words)
            for (auto& token : analyzer.analyze(word)) out.push_back(std::move(token.term));
        return out;
    };
    auto words = terms_of(request.terms.words);
    words.insert(words.end(), request.terms.analysed.begin(), request.terms.analysed.end());
    const auto excluded_words = terms_of(request.terms.excluded_words);
    struct PhraseTerms {
        std::vector<std::string> terms;
        std::vector<std::uint32_t> offsets;
    };
    // Offsets relative to the phrase's first term.
    auto phrase_terms = [&](const std::vector<std::string>& texts) {
        std::vector<PhraseTerms> out;
        for (const auto& text : texts) {
            PhraseTerms p;
            std::uint32_t first = 0;
            for (auto& token : analyzer.analyze(text)) {
                if (p.terms.empty()) first = token.position;
                p.offsets.push_back(token.position - first);
                p.terms.push_back(std::move(token.term));
            }
            if (!p.terms.empty()) out.push_back(std::move(p));
        }
        return out;
    };
    const auto phrases = phrase_terms(request.terms.phrases), excluded_phrases = phrase_terms(request.terms.excluded_phrases);
    std::vector<std::string> prefixes;
    for (const auto& prefix : request.terms.prefixes) prefixes.push_back(TextAnalyzer::fold(prefix));
    for (const auto& w : words) answer.query_terms.insert(w);
    for (const auto& p : phrases) answer.query_terms.insert(p.terms.begin(), p.terms.end());

    const bool every = request.terms.words.empty() && request.terms.analysed.empty() && request.terms.phrases.empty() && request.terms.prefixes.empty();
    const Bm25 bm25;
    auto plan_for = [&](SearchField field) -> Result<FieldPlan> {
        FieldPlan plan;
        plan.field = field;
        if (every) {
            plan.required.push_back(std::make_unique<EveryMatcher>(columns.docs, field));
            plan.only_words = false;
        }
        const auto& stats = counters.fields[static_cast<std::size_t>(field)];
        const double boost = field_boost(field), average = stats.average_length();
        auto cursor = [&](const std::string& term, const TermEntry& entry) {
            plan.postings.push_back(reader.postings(field, term, entry));
            return PostingCursor(plan.postings.back(), Bm25::idf(stats.documents, entry.document_frequency) * boost, bm25, average);
        };
        auto term_matcher = [&](const std::string& term) -> Result<std::unique_ptr<Matcher>> {
            auto entry = reader.entry(field, term);
            if (!entry) return entry.error();
            if (!entry.value()) return std::unique_ptr<Matcher>{};
            return std::unique_ptr<Matcher>(std::make_unique<TermMatcher>(cursor(term, **entry)));
        };
        auto phrase_matcher = [&](const PhraseTerms& p) -> Result<std::unique_ptr<Matcher>> {
            std::vector<PostingCursor> cursors;
            Phrase phrase;
            phrase.bm25 = bm25;
            phrase.average_length = average;
            phrase.offsets = p.offsets;
            for (const auto& term : p.terms) {
                auto entry = reader.entry(field, term);
                if (!entry) return entry.error();
                if (!entry.value()) return std::unique_ptr<Matcher>{};
                phrase.weight += Bm25::idf(stats.documents, (*entry)->document_frequency) * boost;
                cursors.push_back(cursor(term, **entry));
            }
            return std::unique_ptr<Matcher>(std::make_unique<PhraseMatcher>(std::move(cursors), std::move(phrase)));
        };
        for (const auto& p : phrases) {
            auto m = phrase_matcher(p);
            if (!m) return m.error();
            if (!m.value()) plan.impossible = true;
            else plan.required.push_back(std::move(m).value());
            plan.only_words = false;
        }
        for (const auto& word : words) {
            if (request.terms.all) {
                auto m = term_matcher(word);
                if (!m) return m.error();
                if (!m.value()) plan.impossible = true;
                else plan.required.push_back(std::move(m).value());
                continue;
            }
            auto entry = reader.entry(field, word);
            if (!entry) return entry.error();
            if (entry.value()) plan.plain.push_back(cursor(word, **entry));
        }
        for (const auto& prefix : prefixes) {
            std::vector<std::unique_ptr<Matcher>> parts;
            for (auto& [term, entry] : reader.terms_starting(field, prefix)) {
                answer.query_terms.insert(term);
                parts.push_back(std::make_unique<TermMatcher>(cursor(term, entry)));
            }
            plan.only_words = false;
            if (parts.empty()) {
                if (request.terms.all) plan.impossible = true;
                continue;
            }
            (request.terms.all ? plan.required : plan.optional).push_back(std::make_unique<AnyMatcher>(std::move(parts)));
        }
        for (const auto& word : excluded_words) {
            auto m = term_matcher(word);
            if (!m) return m.error();
            if (m.value()) plan.excluded.push_back(std::move(m).value());
        }
        for (const auto& p : excluded_phrases) {
            auto m = phrase_matcher(p);
            if (!m) return m.error();
            if (m.value()) plan.excluded.push_back(std::move(m).value());
        }
        // Optional words go to the walk as matchers unless WAND takes them whole.
        if (!(plan.only_words && plan.required.empty())) {
            for (auto& c : plan.plain) plan.optional.push_back(std::make_unique<TermMatcher>(std::move(c)));
            plan.plain.clear();
        }
        return plan;
    };

    std::vector<SearchField> fields;
    for (auto f : all_search_fields)
        if (request.filters.fields.empty() || request.filters.fields.contains(f)) fields.push_back(f);

    auto admitted = [&](const FieldPlan& plan, std::uint32_t doc) {
        if (doc >= columns.docs.size() || !admission.admits(columns.docs[doc])) return false;
        for (const auto& m : plan.excluded) {
            m->advance(doc);
            if (m->doc() == doc) return false;
        }
        return true;
    };
    // Every match of the plan, in document order, with its score when asked; stops when on_match says so.
    auto walk = [&](FieldPlan& plan, bool scoring, const std::function<bool(std::uint32_t, double)>& on_match) {
        if (plan.impossible) return;
        std::vector<Matcher*> optional;
        for (auto& m : plan.optional) optional.push_back(m.get());
        std::vector<std::unique_ptr<Matcher>> plain;
        for (auto& c : plan.plain) plain.push_back(std::make_unique<TermMatcher>(std::move(c)));
        plan.plain.clear();
        for (auto& m : plain) optional.push_back(m.get());
        if (plan.required.empty() && optional.empty()) return;
        std::uint32_t target = 0;
        while (true) {
            std::uint32_t candidate = no_more_docs;
            if (!plan.required.empty()) {
                bool agreed = false;
                while (!agreed) {
                    agreed = true;
                    for (auto& m : plan.required) {
                        m->advance(target);
                        if (m->doc() == no_more_docs) return;
                        if (m->doc() != target) {
                            target = m->doc();
                            agreed = false;
                        }
                    }
                }
                candidate = target;
            } else {
                for (auto* m : optional) {
                    m->advance(target);
                    candidate = std::min(candidate, m->doc());
                }
                if (candidate == no_more_docs) return;
            }
            if (admitted(plan, candidate)) {
                double score = 0;
                if (scoring) {
                    for (auto& m : plan.required) score += m->score();
                    for (auto* m : optional) {
                        m->advance(candidate);
                        if (m->doc() == candidate) score += m->score();
                    }
                }
                if (!on_match(candidate, score)) return;
            }
            target = candidate + 1;
        }
    };

    // Totals and facets count the matches up to counted_matches, in the fields' order, by interned number (a string
    // map's lookups per match were most of a common word's query).
    std::array<std::uint64_t, search_field_count> per_field{};
    std::unordered_map<std::uint32_t, std::uint64_t> per_client;
    auto tally = [&](std::uint32_t doc) {
        if (answer.total >= counted_matches) {
            answer.total_exact = false;
            return false;
        }
        ++answer.total;
        const auto& c = columns.docs[doc];
        per_field[c.field] += 1;
        for (auto client : c.clients) per_client[client] += 1;
        return true;
    };

    const std::size_t wanted = request.limit + 1;  // one more says whether a next page exists
    std::vector<Ranked> ranked;
    auto day_of = [&](std::uint32_t doc) { return columns.docs[doc].day; };
    auto keep = [&](const Ranked& r) { return !request.after || before(ranked_of(*request.after), r, request.sort); };
    bool every_match_walked = true;  // then the walks that ranked also counted
    for (auto field : fields) {
        auto plan = plan_for(field);
        if (!plan) return plan.error();
        auto& p = plan.value();
        std::uint64_t postings = 0;
        for (const auto& t : p.postings) postings += t.document_frequency;
        // Block-max WAND over the words, where it pays: documents whose blocks cannot enter the top k are never read.
        // But the totals then need a walk of their own, up to counted_matches: with no more postings than that, one
        // scoring walk that also counts reads less; and a filter or a role's scope turns most of what WAND would
        // admit away, so it reads nearly every block anyway.
        if (request.skip_blocks && request.sort == SearchSort::relevance && !request.after && p.only_words && p.required.empty() && !p.plain.empty() &&
            !admission.narrows() && postings > counted_matches) {
            for (const auto& hit : top_k_any(p.plain, wanted, [&](std::uint32_t doc) { return admitted(p, doc); }))
                ranked.push_back({field, hit.doc, hit.score, day_of(hit.doc)});
            every_match_walked = false;
            continue;
        }
        std::vector<Ranked> matches;
        walk(p, true, [&](std::uint32_t doc, double score) {
            tally(doc);
            Ranked r{field, doc, score, day_of(doc)};
            if (keep(r)) matches.push_back(r);
            return true;
        });
        std::sort(matches.begin(), matches.end(), [&](const Ranked& a, const Ranked& b) { return before(a, b, request.sort); });
        if (matches.size() > wanted) matches.resize(wanted);
        ranked.insert(ranked.end(), matches.begin(), matches.end());
    }
    std::sort(ranked.begin(), ranked.end(), [&](const Ranked& a, const Ranked& b) { return before(a, b, request.sort); });
    if (ranked.size() > request.limit) {
        ranked.resize(request.limit);
        answer.next = place_of(ranked.back());
    }

    // WAND skipped matches: count them by a walk without scores over fresh plans.
    if (!every_match_walked) {
        answer.total = 0;
        answer.total_exact = true;
        per_field = {};
        per_client.clear();
        for (auto field : fields) {
            if (answer.total >= counted_matches) break;
            auto plan = plan_for(field);
            if (!plan) return plan.error();
            walk(plan.value(), false, [&](std::uint32_t doc, double) { return tally(doc); });
        }
    }
    for (std::size_t f = 0; f < search_field_count; ++f)
        if (per_field[f]) answer.kinds[std::string(kind_of(static_cast<SearchField>(f)))] += per_field[f];
    for (const auto& [client, count] : per_client) answer.clients[columns.strings.value(client)] = count;

    for (const auto& r : ranked) {
        auto stored = reader.get(index_keys::document(request.organization, r.doc));
        if (!stored) continue;
        answer.hits.push_back({decode_document(*stored), r.doc, r.score});
    }
    return answer;
} catch (const IndexDamaged& e) {
    return Error{ErrorKind::internal, "search_index_damaged", e.what()};
}

}  // namespace debrief::projections
