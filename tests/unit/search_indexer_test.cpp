// The indexer's own bookkeeping of what concerns a client: one key per document, so that a client's thousandth note
// costs what their first did, and erasure still reaches every document, also of an index an earlier build wrote.
#include <doctest/doctest.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "projections/search/index_keys.hpp"
#include "projections/search/search_indexer.hpp"
#include "projections/search/word_count_merge.hpp"

namespace debrief::projections {
namespace {

const std::string org = "org-a";

struct IndexerFixture {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("debrief-search-indexer-" + std::to_string(::getpid()));
    std::unique_ptr<rocksdb::DB> db;
    std::int64_t now_ms = 1'796'000'000'000;

    IndexerFixture() {
        std::filesystem::remove_all(dir);
        rocksdb::Options options;
        options.create_if_missing = true;
        options.merge_operator = word_count_merge_operator();  // suggestions' counts are merge operands
        rocksdb::DB* opened = nullptr;
        REQUIRE(rocksdb::DB::Open(options, dir.string(), &opened).ok());
        db.reset(opened);
    }
    ~IndexerFixture() {
        db.reset();
        std::filesystem::remove_all(dir);
    }
    // One batch of the projector; answers the bytes its WriteBatch carries.
    std::size_t apply(std::vector<events::Payload> payloads) {
        IndexWriter writer(*db);
        SearchIndexer indexer(writer);
        for (auto& payload : payloads) {
            events::Event event;
            event.metadata.organization_id = OrganizationId{org};
            event.metadata.occurred_at_ms = now_ms;
            event.payload = std::move(payload);
            indexer.apply(event);
        }
        rocksdb::WriteBatch batch;
        writer.write_to(batch);
        REQUIRE(db->Write(rocksdb::WriteOptions{}, &batch).ok());
        return batch.GetDataSize();
    }
    std::size_t note(int n) {
        return apply({events::NoteAdded{NoteId{"n" + std::to_string(n)}, ClientId{"marcus"}, UserId{"coach1"}, "Prefers morning calls"}});
    }
    bool has(const std::string& key) {
        std::string value;
        return db->Get(rocksdb::ReadOptions{}, key, &value).ok();
    }
    std::size_t keys_under(const std::string& prefix) {
        std::size_t count = 0;
        std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions{}));
        for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++count;
        return count;
    }
};

void register_client(IndexerFixture& f) {
    f.apply({events::UserRegistered{UserId{"coach1"}, "Cora Coach", "c1@x", "coach", {}, {}},
             events::ClientRegistered{ClientId{"marcus"}, "Marcus Lee", "", {"renewal"}, "", UserId{"coach1"}, "manual"}});
}

}  // namespace

TEST_CASE("search indexer: a client's 2,003rd note writes about what their second did") {
    IndexerFixture f;
    register_client(f);
    f.note(1);
    const auto second = f.note(2);
    for (int n = 3; n <= 2000; n += 100) {
        std::vector<events::Payload> notes;
        for (int i = n; i < n + 100; ++i)
            notes.push_back(events::NoteAdded{NoteId{"n" + std::to_string(i)}, ClientId{"marcus"}, UserId{"coach1"}, "Prefers morning calls"});
        f.apply(std::move(notes));
    }
    const auto later = f.note(5000);
    INFO("the second note's batch: " << second << " bytes; the 2,003rd's: " << later);
    // A list of the client's documents, rewritten whole, would add 4 bytes per earlier document (8,000 here); what
    // grows is each term's block directory, about 20 bytes per 128 documents (3 terms, 16 blocks: under 1,000).
    CHECK(later < second + 2000);
    CHECK(f.keys_under(index_keys::client_documents(org, "marcus")) == 2003);
}

TEST_CASE("search indexer: erasure removes every document of the client, listed one key each or as an earlier build's list") {
    IndexerFixture f;
    register_client(f);
    f.note(1);  // document 0
    f.note(2);  // document 1
    // Document 1 as an index from before one key per document knew it: in the client's list.
    f.db->Delete(rocksdb::WriteOptions{}, index_keys::client_document(org, "marcus", 1));
    std::string list;
    index_keys::append_big_endian(list, 1);
    f.db->Put(rocksdb::WriteOptions{}, index_keys::client(org, "marcus"), list);
    REQUIRE(f.has(index_keys::document(org, 0)));
    REQUIRE(f.has(index_keys::document(org, 1)));

    // A note added in the erasure's own batch goes with the rest.
    f.apply({events::NoteAdded{NoteId{"n3"}, ClientId{"marcus"}, UserId{"coach1"}, "Asked about the team lead role"},
             events::ClientErased{ClientId{"marcus"}, {}}});
    for (std::uint32_t doc = 0; doc < 3; ++doc) CHECK_FALSE(f.has(index_keys::document(org, doc)));
    CHECK_FALSE(f.has(index_keys::client(org, "marcus")));
    CHECK(f.keys_under(index_keys::client_documents(org, "marcus")) == 0);
    CHECK(f.keys_under(index_keys::terms(org, SearchField::note)) == 0);  // no term keeps a posting of theirs
}

TEST_CASE("search indexer: a document replaced (a refined summary) leaves no key behind under its client") {
    IndexerFixture f;
    register_client(f);
    f.apply({events::SessionCreated{SessionId{"s1"}, UserId{"coach1"}, "2026-11-02", "individual"}});
    events::SummaryContent content;
    content.wins = {"Closed the Henderson renewal"};
    events::SummaryDrafted drafted;
    drafted.summary_id = SummaryId{"sum1"};
    drafted.session_id = SessionId{"s1"};
    drafted.client_id = ClientId{"marcus"};
    drafted.coach_id = UserId{"coach1"};
    drafted.content = content;
    f.apply({drafted});
    const auto before = f.keys_under(index_keys::client_documents(org, "marcus"));
    REQUIRE(before > 0);
    content.wins = {"Closed the Henderson renewal early"};
    events::SummaryRefined refined;
    refined.summary_id = SummaryId{"sum1"};
    refined.before = drafted.content;
    refined.after = content;
    f.apply({refined});
    CHECK(f.keys_under(index_keys::client_documents(org, "marcus")) == before);
}

}  // namespace debrief::projections
