// The search index kept by the RocksDB projector's batches: what each event indexes, replaces and removes, and what a
// query of each role, filter and kind finds.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "projections/search/search_index.hpp"
#include "projections/search/transcript_store.hpp"
#include "tests/support/test_keys.hpp"

namespace debrief::projections {
namespace {

struct IndexFixture {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("debrief-search-index-" + std::to_string(::getpid()));
    std::unique_ptr<TranscriptStore> store;
    std::int64_t offset = 0;
    std::int64_t now_ms = 1'796'000'000'000;  // 2026-11-30

    IndexFixture() {
        std::filesystem::remove_all(dir);
        store = TranscriptStore::open(dir.string(), debrief::testing::test_keys()).value();
    }
    ~IndexFixture() {
        store.reset();
        std::filesystem::remove_all(dir);
    }
    void reopen() {
        store.reset();
        store = TranscriptStore::open(dir.string(), debrief::testing::test_keys()).value();
    }
    // Applies the events as one batch of the projector, in the organization.
    void apply(const std::string& org, std::vector<events::Payload> payloads) {
        std::vector<events::Record> records(payloads.size());
        std::vector<BatchItem> batch;
        for (std::size_t i = 0; i < payloads.size(); ++i) {
            records[i].position = {0, offset++};
            events::Event event;
            event.metadata.organization_id = OrganizationId{org};
            event.metadata.occurred_at_ms = now_ms;
            event.metadata.event_id = "e" + std::to_string(offset);
            event.payload = std::move(payloads[i]);
            batch.push_back({&records[i], std::move(event)});
        }
        auto prepared = store->prepare(batch, "debrief.events", {{0, offset}}, now_ms);
        REQUIRE(prepared.dead.empty());
        REQUIRE(store->commit(prepared));
    }
    SearchAnswer find(const std::string& org, SearchTerms terms, SearchFilters filters = {}, SearchScope scope = {true, {}, {}},
                      SearchSort sort = SearchSort::relevance, std::size_t limit = 10, std::optional<SearchPlace> after = {}) {
        SearchRequest request{org, std::move(terms), std::move(filters), std::move(scope), sort, limit, after};
        auto answer = store->search()->search(request);
        REQUIRE(answer);
        return std::move(answer).value();
    }
};

SearchTerms words(std::vector<std::string> w, bool all = false) {
    SearchTerms t;
    t.words = std::move(w);
    t.all = all;
    return t;
}

events::TranscriptParsed parsed(const std::string& session, std::vector<std::pair<std::string, std::string>> turns,
                                std::vector<std::pair<std::string, std::string>> clients) {
    events::TranscriptParsed e;
    e.session_id = SessionId{session};
    for (auto& [speaker, text] : turns) e.segments.push_back({speaker, std::nullopt, std::nullopt, text});
    e.participants.push_back({"Coach", 0, 0, 0, ClientId{}, true});
    for (auto& [name, id] : clients) e.participants.push_back({name, 0, 0, 0, ClientId{id}, false});
    return e;
}

const std::string org = "org-a", other_org = "org-b";

// Two coaches (one led by a lead), two clients, a session each.
void seed(IndexFixture& f) {
    f.apply(org, {events::UserRegistered{UserId{"lead"}, "Lee Lead", "l@x", "coach_lead", {}, {}},
                  events::UserRegistered{UserId{"coach1"}, "Cora Coach", "c1@x", "coach", UserId{"lead"}, {}},
                  events::UserRegistered{UserId{"coach2"}, "Carl Coach", "c2@x", "coach", {}, {}},
                  events::ClientRegistered{ClientId{"marcus"}, "Marcus Lee", "", {"renewal"}, "", UserId{"coach1"}, "manual"},
                  events::ClientRegistered{ClientId{"nina"}, "Nina Park", "", {}, "", UserId{"coach2"}, "manual"},
                  events::SessionCreated{SessionId{"s1"}, UserId{"coach1"}, "2026-11-02", "individual"},
                  events::SessionCreated{SessionId{"s2"}, UserId{"coach2"}, "2026-11-20", "call_review"}});
    f.apply(org, {parsed("s1",
                         {{"Coach", "How did the Henderson renewal go?"},
                          {"Marcus", "I struggled with time management all week."},
                          {"Marcus", "Managing the calendar is hard, but the renewal is signed."}},
                         {{"Marcus", "marcus"}}),
                  parsed("s2", {{"Coach", "Let us review the de-escalation on this call."}, {"Nina", "Time management on calls is fine."}},
                         {{"Nina", "nina"}})});
}

}  // namespace

TEST_CASE("search index: a transcript's segments are found by their words, stemmed, with their filing") {
    IndexFixture f;
    seed(f);
    auto answer = f.find(org, words({"struggling"}));
    REQUIRE(answer.hits.size() == 1);
    const auto& hit = answer.hits[0].document;
    CHECK(hit.field == SearchField::transcript);
    CHECK(hit.session_id == "s1");
    CHECK(hit.segment == 1);
    CHECK(hit.speaker == "Marcus");
    CHECK(hit.client_ids == std::vector<std::string>{"marcus"});
    CHECK(hit.coach_id == "coach1");
    CHECK(hit.date == "2026-11-02");
    CHECK(hit.tags == std::vector<std::string>{"renewal"});
    CHECK(answer.total == 1);
    CHECK(answer.kinds.at("transcript") == 1);
    // The coach's turn concerns the session's clients.
    auto coach_turn = f.find(org, words({"henderson"}));
    REQUIRE(coach_turn.hits.size() == 1);
    CHECK(coach_turn.hits[0].document.client_ids == std::vector<std::string>{"marcus"});
}

TEST_CASE("search index: any-term ranks by BM25, all-term needs every word, phrases their order") {
    IndexFixture f;
    seed(f);
    auto any = f.find(org, words({"time", "management", "calendar"}));
    CHECK(any.total == 3);
    auto all = f.find(org, words({"time", "management"}, true));
    CHECK(all.total == 2);
    SearchTerms phrase;
    phrase.phrases = {"time management all week"};
    auto exact = f.find(org, phrase);
    REQUIRE(exact.hits.size() == 1);
    CHECK(exact.hits[0].document.session_id == "s1");
    SearchTerms reversed;
    reversed.phrases = {"management time"};
    CHECK(f.find(org, reversed).total == 0);
    // A stop word inside a phrase is a gap any word fills.
    SearchTerms gap;
    gap.phrases = {"review the de-escalation"};
    CHECK(f.find(org, gap).total == 1);
}

TEST_CASE("search index: prefixes, exclusions and filters") {
    IndexFixture f;
    seed(f);
    SearchTerms prefix;
    prefix.prefixes = {"manag"};
    CHECK(f.find(org, prefix).total == 3);  // "management" twice, "managing" once
    SearchTerms excluding = words({"renewal"});
    excluding.excluded_words = {"henderson"};
    auto excluded = f.find(org, excluding);
    REQUIRE(excluded.total == 1);
    CHECK(excluded.hits[0].document.segment == 2);
    SearchFilters by_client;
    by_client.client_ids = {"nina"};
    CHECK(f.find(org, words({"time"}), by_client).total == 1);
    SearchFilters by_type;
    by_type.session_type = "call_review";
    CHECK(f.find(org, words({"management"}), by_type).total == 1);
    SearchFilters by_date;
    by_date.from_day = day_number("2026-11-10");
    by_date.to_day = day_number("2026-11-30");
    auto dated = f.find(org, words({"management"}), by_date);
    REQUIRE(dated.total == 1);
    CHECK(dated.hits[0].document.session_id == "s2");
    SearchFilters by_tag;
    by_tag.tags = {"renewal"};
    CHECK(f.find(org, words({"management"}), by_tag).total == 2);  // "managing" is "manag" too
    SearchFilters unknown;
    unknown.coach_ids = {"nobody"};
    CHECK(f.find(org, words({"management"}), unknown).total == 0);
}

TEST_CASE("search index: another organization's postings are never reached") {
    IndexFixture f;
    seed(f);
    CHECK(f.find(other_org, words({"management"})).total == 0);
    f.apply(other_org, {events::SessionCreated{SessionId{"s9"}, UserId{"x"}, "2026-11-02", "individual"},
                        parsed("s9", {{"Coach", "time management elsewhere"}}, {})});
    auto theirs = f.find(other_org, words({"management"}));
    REQUIRE(theirs.total == 1);
    CHECK(theirs.hits[0].document.session_id == "s9");
    CHECK(f.find(org, words({"elsewhere"})).total == 0);
    CHECK(f.find(org, words({"management"})).total == 3);
}

TEST_CASE("search index: summaries by section, replaced by a refinement, shown to their client once approved") {
    IndexFixture f;
    seed(f);
    events::SummaryContent content;
    content.wins = {"Closed the Henderson renewal"};
    content.challenges = {"Time management under pressure"};
    content.action_items = {{"Block focus time daily", "marcus", ""}};
    f.apply(org, {events::SummaryDrafted{SummaryId{"sum1"}, SessionId{"s1"}, ClientId{"marcus"}, UserId{"coach1"}, content, "high", false, 0.5, "builtin"}});
    SearchFilters challenges;
    challenges.fields = {SearchField::challenges};
    auto found = f.find(org, words({"pressure"}), challenges);
    REQUIRE(found.hits.size() == 1);
    CHECK(found.hits[0].document.id == "sum1");
    CHECK(found.hits[0].document.date == "2026-11-02");
    CHECK(f.find(org, words({"renewal"}), challenges).total == 0);
    const SearchScope as_marcus{false, {}, "marcus"};
    CHECK(f.find(org, words({"pressure"}), {}, as_marcus).total == 0);  // a draft: not the client's yet

    auto refined = content;
    refined.challenges = {"Delegation to the team"};
    f.apply(org, {events::SummaryRefined{SummaryId{"sum1"}, "rewrite challenges", "done", content, refined, "builtin"}});
    CHECK(f.find(org, words({"pressure"})).total == 0);
    CHECK(f.find(org, words({"delegation"})).total == 1);

    f.apply(org, {events::SummaryApproved{SummaryId{"sum1"}, refined, ClientId{"marcus"}}});
    CHECK(f.find(org, words({"delegation"}), {}, as_marcus).total == 1);
    CHECK(f.find(org, words({"struggled"}), {}, as_marcus).total == 0);  // never the transcript
    f.apply(org, {events::SummaryReopened{SummaryId{"sum1"}, "more detail", ClientId{"marcus"}}});
    CHECK(f.find(org, words({"delegation"}), {}, as_marcus).total == 0);
    CHECK(f.find(org, words({"delegation"})).total == 1);
}

TEST_CASE("search index: roles see their own coaches' material only") {
    IndexFixture f;
    seed(f);
    const SearchScope coach1{false, {"coach1"}, {}}, coach2{false, {"coach2"}, {}};
    CHECK(f.find(org, words({"management"}), {}, coach1).total == 2);
    CHECK(f.find(org, words({"management"}), {}, coach2).total == 1);
    CHECK(f.store->search()->coaches_led_by(org, "lead") == std::set<std::string>{"coach1"});
    const SearchScope nobody{false, {}, {}};
    CHECK(f.find(org, words({"management"}), {}, nobody).total == 0);
    f.apply(org, {events::ActionItemCreated{ActionItemId{"a1"}, ClientId{"nina"}, UserId{"coach2"}, "Call the supplier by Friday", "nina", "",
                                            "manual", SessionId{}, SummaryId{}}});
    const SearchScope as_nina{false, {}, "nina"};
    auto own = f.find(org, words({"supplier"}), {}, as_nina);
    REQUIRE(own.total == 1);
    CHECK(own.hits[0].document.field == SearchField::action_item);
    CHECK(own.hits[0].document.date == "2026-11-30");  // the day it was written
    CHECK(f.find(org, words({"supplier"}), {}, SearchScope{false, {}, "marcus"}).total == 0);
}

TEST_CASE("search index: notes, erasure, and a reopened store") {
    IndexFixture f;
    seed(f);
    f.apply(org, {events::NoteAdded{NoteId{"n1"}, ClientId{"marcus"}, UserId{"coach1"}, "Prefers morning calls"}});
    CHECK(f.find(org, words({"morning"})).kinds.at("note") == 1);
    f.reopen();
    CHECK(f.find(org, words({"morning"})).total == 1);
    CHECK(f.find(org, words({"management"})).total == 3);
    f.apply(org, {events::ClientErased{ClientId{"marcus"}, {}}});
    CHECK(f.find(org, words({"morning"})).total == 0);
    CHECK(f.find(org, words({"henderson"})).total == 0);  // the coach's turn in Marcus's session goes too
    CHECK(f.find(org, words({"management"})).total == 1);  // Nina's stays
    f.reopen();
    CHECK(f.find(org, words({"management"})).total == 1);
}

TEST_CASE("search index: many documents across blocks, removed and paged, agree with a scan") {
    IndexFixture f;
    f.apply(org, {events::SessionCreated{SessionId{"s"}, UserId{"coach"}, "2026-11-02", "individual"}});
    std::mt19937 random(7);
    const std::vector<std::string> vocabulary{"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
    std::vector<std::pair<std::string, std::string>> turns;
    std::size_t with_alpha = 0, with_alpha_and_beta = 0;
    for (int i = 0; i < 700; ++i) {
        std::string text;
        bool alpha = false, beta = false;
        for (int w = 0; w < 1 + static_cast<int>(random() % 6); ++w) {
            const auto& word = vocabulary[random() % (1 + random() % vocabulary.size())];
            alpha |= word == "alpha";
            beta |= word == "beta";
            text += word + " ";
        }
        with_alpha += alpha;
        with_alpha_and_beta += alpha && beta;
        turns.emplace_back("Coach", text);
    }
    f.apply(org, {parsed("s", turns, {})});
    CHECK(f.find(org, words({"alpha"})).total == with_alpha);
    CHECK(f.find(org, words({"alpha", "beta"}, true)).total == with_alpha_and_beta);
    // Pages by relevance cover every match once, in order.
    std::set<std::uint32_t> seen;
    std::optional<SearchPlace> after;
    double last = 1e9;
    while (true) {
        auto page = f.find(org, words({"alpha"}), {}, {true, {}, {}}, SearchSort::relevance, 50, after);
        for (const auto& hit : page.hits) {
            CHECK(hit.score <= last);
            last = hit.score;
            CHECK(seen.insert(hit.doc).second);
        }
        if (!page.next) break;
        after = page.next;
    }
    CHECK(seen.size() == with_alpha);
    // Parsing the transcript again replaces every segment.
    f.apply(org, {parsed("s", {{"Coach", "alpha omega"}}, {})});
    CHECK(f.find(org, words({"alpha"})).total == 1);
    CHECK(f.find(org, words({"beta"})).total == 0);
}

}  // namespace debrief::projections
